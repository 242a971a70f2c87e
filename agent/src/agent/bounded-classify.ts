/**
 * Operator: classifies the pipeline's beats in batches, one batch at a time,
 * keeping stream order, with bounded memory whatever the classifier's speed.
 *
 * - Beats in bad signal are labelled Q without the classifier; spans and clock
 *   ticks pass through in order.
 * - At most `maxPending` beats wait for or sit in the classifier (each holds its
 *   window). A beat arriving beyond that is not classified: labelled Q, its
 *   window released, counted in `overflowUnclassified`.
 * - At most `maxHeld` records wait in the ordered output queue (behind a batch
 *   in flight). A beat beyond that is dropped and counted in `beatsDropped`;
 *   a clock tick beyond it is skipped (the next one supersedes it); spans are
 *   always kept (rare, small).
 * - `gate.ready()` resolves when the backlog is under half of maxPending: pull
 *   sources (WFDB replay at full speed) wait on it, so they never overflow.
 * - Batching: a batch runs when `batchSize` beats wait, when the input ends, or
 *   when the input is idle: an event-loop turn (setImmediate) passes with no
 *   record arriving. A live source (chunks every 100 ms) is idle right after
 *   each chunk, so its beats run at once (sub-millisecond); a replay at full
 *   speed delivers a chunk every turn, so it fills whole batches (onnxruntime
 *   runs batches of 32 about twice as fast per beat as batches of 1).
 * Completes after the last batch has returned; a classifier error errors the stream.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Beat, PipelineRecord } from '../pipeline.ts';
import type { BeatClassifier } from './classifier.ts';
import type { AgentCounters, AgentRecord, ClassifiedBeat, ClockTick } from './records.ts';

export interface BoundedClassifyOptions {
  /** Beats per classifier call, at most. */
  batchSize: number;
  /** Beats waiting for or in the classifier, at most. */
  maxPending: number;
  /** Records in the ordered output queue, at most. */
  maxHeld: number;
  counters: AgentCounters;
  gate?: BacklogGate;
  /** Updated in place with the current queue lengths (the soak bench samples them). */
  levels?: ClassifyLevels;
}

/** Queue lengths of the operator, now. */
export interface ClassifyLevels {
  /** Beats waiting for or in the classifier (bounded by maxPending). */
  pending: number;
  /** Records in the ordered output queue (bounded by maxHeld). */
  held: number;
}

/** Backlog level shared with pull sources. */
export class BacklogGate {
  private pending = 0;
  private waiters: (() => void)[] = [];
  constructor(private readonly lowWater: number) {}

  set(pending: number): void {
    this.pending = pending;
    if (pending < this.lowWater) for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves at once when the backlog is low, else when it gets low. */
  ready(): Promise<void> {
    if (this.pending < this.lowWater) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  /** Releases every waiter (shutdown). */
  open(): void {
    this.pending = 0;
    for (const w of this.waiters.splice(0)) w();
  }
}

const EMPTY_WINDOW = new Float32Array(0);

interface Entry {
  rec: PipelineRecord | ClockTick;
  /** What the classifier prepared for a beat it is to classify. */
  prepared?: unknown;
  out?: AgentRecord;
}

export function boundedClassify(classifier: BeatClassifier, o: BoundedClassifyOptions): OperatorFunction<PipelineRecord | ClockTick, AgentRecord> {
  for (const k of ['batchSize', 'maxPending', 'maxHeld'] as const) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new RangeError(`boundedClassify: "${k}" is ${o[k]}; allowed: an integer >= 1`);
  }
  return (source) => new Observable<AgentRecord>((sub) => {
    const queue: Entry[] = [];
    let waiting: Entry[] = [];
    let inFlight = 0;
    let inputDone = false;
    let closed = false;
    const c = o.counters;
    /** Records received so far, and the count the pending idle check last saw. */
    let received = 0;
    let seenByCheck = -1;
    let idleCheck: ReturnType<typeof setImmediate> | null = null;

    const report = () => {
      o.gate?.set(waiting.length + inFlight);
      if (o.levels) { o.levels.pending = waiting.length + inFlight; o.levels.held = queue.length; }
    };
    const drain = () => {
      while (queue.length > 0 && queue[0].out !== undefined) sub.next(queue.shift()!.out!);
      if (o.levels) o.levels.held = queue.length;
      if (inputDone && queue.length === 0 && !closed) {
        closed = true;
        sub.complete();
      }
    };
    const runBatch = () => {
      if (inFlight > 0 || waiting.length === 0 || closed) return;
      const batch = waiting.slice(0, o.batchSize);
      waiting = waiting.slice(batch.length);
      inFlight = batch.length;
      report();
      classifier.classify(batch.map((e) => e.rec as Beat), batch.map((e) => e.prepared)).then((results) => {
        if (closed) return;
        if (results.length !== batch.length) throw new Error(`classifier ${classifier.id} returned ${results.length} results for ${batch.length} beats`);
        batch.forEach((e, i) => {
          const r = results[i];
          const out: ClassifiedBeat = { kind: 'classified', beat: e.rec as Beat, label: r.label, probs: r.probs };
          if (!classifier.isModel) out.unclassified = 'no-model';
          if (r.gradcam) out.gradcam = r.gradcam;
          e.out = out;
          e.prepared = undefined;
          if (classifier.isModel) c.classified++;
        });
        inFlight = 0;
        report();
        drain();
        flushSoon();
      }).catch((err) => {
        if (!closed) { closed = true; sub.error(err); }
      });
    };

    /** Runs a batch now when it is full or the input has ended, else once the input is idle. */
    function flushSoon(): void {
      if (inFlight > 0 || waiting.length === 0 || closed) return;
      if (waiting.length >= o.batchSize || inputDone) { runBatch(); return; }
      if (idleCheck !== null) return;
      seenByCheck = received;
      const check = () => {
        idleCheck = null;
        if (received === seenByCheck || inputDone || waiting.length >= o.batchSize) { runBatch(); return; }
        seenByCheck = received;
        idleCheck = setImmediate(check);
      };
      idleCheck = setImmediate(check);
    }

    const inner = source.subscribe({
      next(rec) {
        received++;
        if (rec.kind !== 'beat') {
          if (rec.kind === 'clock' && queue.length >= o.maxHeld) return;
          if (rec.kind === 'bad-signal') c.spans++;
          queue.push({ rec, out: rec });
          drain();
          return;
        }
        c.beats++;
        let prepared: unknown;
        try {
          prepared = classifier.prepare?.(rec);
        } catch (err) {
          if (!closed) { closed = true; sub.error(err); }
          return;
        }
        if (queue.length >= o.maxHeld) {
          c.beatsDropped++;
          return;
        }
        const entry: Entry = { rec };
        if (rec.quality !== 'good') {
          entry.out = { kind: 'classified', beat: rec, label: 'Q', probs: null, unclassified: 'quality' } satisfies ClassifiedBeat;
        } else if (waiting.length + inFlight >= o.maxPending) {
          c.overflowUnclassified++;
          entry.out = { kind: 'classified', beat: { ...rec, window: EMPTY_WINDOW }, label: 'Q', probs: null, unclassified: 'overflow' };
        } else {
          entry.prepared = prepared;
          waiting.push(entry);
        }
        queue.push(entry);
        report();
        drain();
        flushSoon();
      },
      error: (err) => { if (!closed) { closed = true; sub.error(err); } },
      complete() {
        inputDone = true;
        drain();
        flushSoon();
      },
    });
    return () => {
      closed = true;
      if (idleCheck !== null) clearImmediate(idleCheck);
      inner.unsubscribe();
    };
  });
}
