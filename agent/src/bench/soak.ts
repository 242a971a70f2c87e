/**
 * Soak sampler (issue 8 item 3): while the end-to-end replay runs, samples
 * every `everyMs` the RSS, the V8 heap and every queue the agent keeps
 * (classification: beats pending, records held in order; MQTT: messages in
 * flight, outbox records), keeps the maximum of each, and records a row each
 * time the replayed signal crosses a whole hour. "Flat" = RSS at the end within
 * 10 MB of the RSS after the first hour of signal. Under `node --expose-gc`
 * each hourly row follows a full collection (heap used = live data).
 * Limits: the timer runs between the agent's own tasks, so at full speed a
 * sample can be late by one batch (ms); a queue's max is over the samples.
 */
import type { AgentSnapshot } from '../agent/agent.ts';
import type { PublisherStats } from '../publish/index.ts';

export interface QueueLevels {
  classifyPending: number;
  classifyHeld: number;
  mqttInflight: number;
  outboxRecords: number;
}

export interface SoakRow extends QueueLevels {
  /** Hours of signal replayed when sampled. */
  hour: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
}

export interface SoakResult {
  everyMs: number;
  rows: SoakRow[];
  /** The largest level of each queue over every sample. */
  maxQueues: QueueLevels;
  firstHourRssMb: number | null;
  endRssMb: number;
  /** End RSS minus RSS after the first hour, MB (target: within 10). */
  endMinusFirstHourMb: number | null;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export class SoakSampler {
  private readonly rows: SoakRow[] = [];
  private readonly max: QueueLevels = { classifyPending: 0, classifyHeld: 0, mqttInflight: 0, outboxRecords: 0 };
  private readonly timer: ReturnType<typeof setInterval>;
  /** Signal replayed by the inputs already finished, s. */
  private doneS = 0;
  private current: (() => AgentSnapshot) | null = null;
  private nextHour = 1;

  constructor(private readonly o: { fs: number; mqtt: () => PublisherStats; everyMs?: number }) {
    this.timer = setInterval(() => this.sample(), o.everyMs ?? 100);
    this.timer.unref();
  }

  /** An input's agent has started. */
  start(snapshot: () => AgentSnapshot): void {
    this.current = snapshot;
  }

  /** The input has ended after `signalS` of signal. */
  end(signalS: number): void {
    this.sample();
    this.current = null;
    this.doneS += signalS;
    this.sample();
  }

  private sample(): void {
    const snap = this.current?.() ?? null;
    const m = this.o.mqtt();
    const levels: QueueLevels = {
      classifyPending: snap?.queues.pending ?? 0, classifyHeld: snap?.queues.held ?? 0, mqttInflight: m.inflight, outboxRecords: m.outbox.records,
    };
    for (const k of Object.keys(levels) as (keyof QueueLevels)[]) this.max[k] = Math.max(this.max[k], levels[k]);
    const signalS = this.doneS + (snap ? snap.samplesAtModelRate / this.o.fs : 0);
    if (signalS >= this.nextHour * 3600) {
      // Under `node --expose-gc`, a full collection first: the heap left is live data, so a leak shows as growth.
      (globalThis as { gc?: () => void }).gc?.();
      const mem = process.memoryUsage();
      this.rows.push({ hour: Math.round((signalS / 3600) * 100) / 100, rssMb: mb(mem.rss), heapUsedMb: mb(mem.heapUsed), heapTotalMb: mb(mem.heapTotal), ...levels });
      this.nextHour = Math.floor(signalS / 3600) + 1;
    }
  }

  stop(): SoakResult {
    clearInterval(this.timer);
    const endRssMb = mb(process.memoryUsage.rss());
    const first = this.rows[0]?.rssMb ?? null;
    return {
      everyMs: this.o.everyMs ?? 100, rows: this.rows, maxQueues: { ...this.max }, firstHourRssMb: first, endRssMb,
      endMinusFirstHourMb: first === null ? null : Math.round((endRssMb - first) * 10) / 10,
    };
  }
}
