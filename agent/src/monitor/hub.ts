/**
 * The monitor's hub: an AgentSink that turns the conditioned signal, beats and
 * events into batches (one every BATCH_MS at most) for the pages connected,
 * and sends each page a status message every second.
 *
 * It never blocks or slows the agent: a page whose connection has more than
 * `maxBufferedBytes` unsent loses the batch (counted, per page and in all),
 * and catches up with the next. Memory is bounded: the last `backlogS` s of
 * batches (so a page that connects or reconnects fills its strip at once) and
 * the last `maxEvents` episodes (so its events list is not empty).
 */
import type { ConditionedChunk } from '../pipeline/chunks.ts';
import type { ClassifiedBeat } from '../agent/records.ts';
import type { AgentSink } from '../agent/sink.ts';
import type { RhythmEvent } from '../rhythm/types.ts';
import { beatItem, eventItem, signalPart } from './messages.ts';
import { BATCH_MS, type BatchMessage, type BeatItem, type EventItem, type HelloMessage, type SignalPart, type StatusMessage } from './protocol.ts';

/** One connected page, as the hub sees it (a WebSocket in server.ts; a fake in tests). */
export interface MonitorClient {
  send(text: string): void;
  /** Bytes queued and not yet sent. */
  readonly bufferedAmount: number;
  close(): void;
}

export type StatusFields = Omit<StatusMessage, 't' | 'sentMs' | 'droppedForYou'>;

export interface MonitorHubOptions {
  /** Model rate of the signal and beat indices, Hz. */
  fs: number;
  /** The stream's description, read for each page that connects. */
  hello: () => Omit<HelloMessage, 't'>;
  /** The gateway's state for the status message. */
  status: () => StatusFields;
  /** Signal kept for pages that connect, s; default 10. */
  backlogS?: number;
  /** Episodes kept for pages that connect; default 30. */
  maxEvents?: number;
  /** A page with more than this unsent loses batches, bytes; default 1 MiB. */
  maxBufferedBytes?: number;
  /** Batching interval, ms; default BATCH_MS. 0: no timer (tests call flush()). */
  batchMs?: number;
  /** Status interval, ms; default 1000. 0: no timer. */
  statusMs?: number;
  now?: () => number;
}

/** Batches kept for replay at most, whatever they hold (a bound beside backlogS). */
const MAX_BACKLOG_BATCHES = 1000;

interface Page {
  client: MonitorClient;
  dropped: number;
}

export class MonitorHub implements AgentSink {
  private readonly pages = new Set<Page>();
  private signal_: SignalPart[] = [];
  private beats: BeatItem[] = [];
  private events: EventItem[] = [];
  /** Recent batches with signal (text and sample count), oldest first. */
  private readonly backlog: { text: string; samples: number }[] = [];
  private backlogSamples = 0;
  /** Latest message of each recent episode, by id, oldest first. */
  private readonly episodes = new Map<string, EventItem>();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private readonly now: () => number;
  private readonly fs: number;
  /** The source's wall clock: a sample index and its time, ms since the epoch. */
  private wall: { index: number; ms: number } | null = null;
  /** Batches not sent to a slow page, all pages together. */
  droppedBatches = 0;
  batchesSent = 0;

  constructor(private readonly o: MonitorHubOptions) {
    this.now = o.now ?? Date.now;
    this.fs = o.fs;
    const batchMs = o.batchMs ?? BATCH_MS;
    const statusMs = o.statusMs ?? 1000;
    if (batchMs > 0) this.timers.push(setInterval(() => this.flush(), batchMs));
    if (statusMs > 0) this.timers.push(setInterval(() => this.sendStatus(), statusMs));
    for (const t of this.timers) t.unref();
  }

  get pageCount(): number {
    return this.pages.size;
  }

  /** A page connected: hello, recent episodes and signal, then live batches. */
  attach(client: MonitorClient): () => void {
    const page: Page = { client, dropped: 0 };
    client.send(JSON.stringify({ t: 'hello', ...this.o.hello() }));
    if (this.episodes.size > 0) client.send(this.batchText([], [], [...this.episodes.values()], true));
    for (const b of this.backlog) client.send(b.text);
    this.pages.add(page);
    client.send(this.statusText(page));
    return () => this.pages.delete(page);
  }

  signal(chunk: ConditionedChunk): void {
    if (chunk.wallMs !== undefined) this.wall = { index: chunk.start, ms: chunk.wallMs };
    if (chunk.cond.length > 0) this.signal_.push(signalPart(chunk));
  }

  beat(b: ClassifiedBeat): void {
    this.beats.push(beatItem(b, this.now()));
  }

  event(e: RhythmEvent): void {
    const item = eventItem(e);
    // Signal episodes carry no wall time of their own; the source's clock dates them as it dates beats.
    if (this.wall !== null) {
      const { index, ms } = this.wall;
      item.startWallMs ??= Math.round(ms + ((e.startSample - index) * 1000) / this.fs);
      if (e.phase === 'end') item.endWallMs ??= Math.round(ms + ((e.endSample - index) * 1000) / this.fs);
    }
    this.events.push(item);
    this.episodes.delete(item.id);
    this.episodes.set(item.id, item);
    const max = this.o.maxEvents ?? 30;
    while (this.episodes.size > max) this.episodes.delete(this.episodes.keys().next().value!);
  }

  vitals(): void {
    // The page computes its heart rate from the beats, beat by beat.
  }

  /** Sends what has accumulated as one batch (the timer calls it every BATCH_MS). */
  flush(): void {
    if (this.signal_.length === 0 && this.beats.length === 0 && this.events.length === 0) return;
    const samples = this.signal_.reduce((n, p) => n + p.uv.length, 0);
    const text = this.batchText(this.signal_, this.beats, this.events, false);
    this.signal_ = [];
    this.beats = [];
    this.events = [];
    this.remember(text, samples);
    for (const page of this.pages) this.sendTo(page, text);
    this.batchesSent++;
  }

  close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.flush();
    for (const p of this.pages) p.client.close();
    this.pages.clear();
    return Promise.resolve();
  }

  private sendStatus(): void {
    if (this.pages.size === 0) return;
    const fields = this.o.status();
    for (const page of this.pages) this.sendTo(page, this.statusText(page, fields));
  }

  private sendTo(page: Page, text: string): void {
    if (page.client.bufferedAmount > (this.o.maxBufferedBytes ?? 1 << 20)) {
      page.dropped++;
      this.droppedBatches++;
      return;
    }
    page.client.send(text);
  }

  private statusText(page: Page, fields = this.o.status()): string {
    const m: StatusMessage = { t: 'status', sentMs: this.now(), ...fields, droppedForYou: page.dropped };
    return JSON.stringify(m);
  }

  private batchText(signal: SignalPart[], beats: BeatItem[], events: EventItem[], replay: boolean): string {
    const m: BatchMessage = { t: 'batch', sentMs: this.now(), signal, beats, events };
    if (replay) m.replay = true;
    return JSON.stringify(m);
  }

  /** Keeps the batch for pages that connect later, as a replay, within backlogS of signal. */
  private remember(text: string, samples: number): void {
    // A batch is replayed marked as such (the page records no label latency for it).
    this.backlog.push({ text: `${text.slice(0, -1)},"replay":true}`, samples });
    this.backlogSamples += samples;
    const keep = (this.o.backlogS ?? 10) * this.fs;
    while (this.backlog.length > MAX_BACKLOG_BATCHES || (this.backlog.length > 1 && this.backlogSamples - this.backlog[0].samples >= keep)) {
      this.backlogSamples -= this.backlog.shift()!.samples;
    }
  }
}
