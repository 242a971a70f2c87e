/**
 * Operator: classifies the pipeline's beats (model inputs built per stream by
 * input-builder.ts), passing bad-signal spans and unclassifiable beats through
 * in stream order.
 *
 * Batching: one onnxruntime call at a time; a call takes every beat waiting, up
 * to batchSize. A call starts when batchSize beats are waiting, or when the
 * burst of records that queued the first waiting beat has ended (an action on
 * `scheduler`, default asap: after the current synchronous emission), or right
 * after the previous call returns. So a live stream (one beat a second) runs
 * each beat at once, single-beat latency, while an offline source (a whole chunk
 * of beats per emission, more arriving while a call runs) fills its batches.
 * Bounded: at most maxPending beats wait; a beat arriving beyond that is passed
 * on unclassified with outcome 'overload' (reported per beat, never silent). An
 * offline driver that must not overload paces its source with `paced(gate)`.
 * Limits: results arrive asynchronously (onnxruntime is async).
 */
import { asapScheduler, concatMap, Observable, type MonoTypeOperatorFunction, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { Beat, PipelineRecord, SignalSpan, SignalSpanStart } from '../pipeline.ts';
import { Classifier, checkClassifierOptions, UNCLASSIFIABLE, type Classification, type ClassifierItem, type ClassifierOptions } from './classifier.ts';
import { ModelInputBuilder } from './input-builder.ts';
import type { Model } from './load.ts';

export type ClassifiedBeat = Beat & Classification;
export type ClassifiedRecord = ClassifiedBeat | SignalSpan | SignalSpanStart;

export interface ClassifyBeatsOptions extends ClassifierOptions {
  /** Most beats waiting for the model (default 1024). */
  maxPending?: number;
  /** Where the end-of-burst start runs (default asapScheduler; a TestScheduler in tests). */
  scheduler?: SchedulerLike;
  /** Told how many beats wait or run after every change (see ClassifyGate). */
  gate?: ClassifyGate;
}

/** Backpressure for offline sources: `ready()` resolves while fewer than `highWater` beats are pending. */
export class ClassifyGate {
  private pending = 0;
  private waiters: (() => void)[] = [];
  constructor(readonly highWater: number) {}
  update(pending: number): void {
    this.pending = pending;
    if (pending < this.highWater) for (const w of this.waiters.splice(0)) w();
  }
  ready(): Promise<void> {
    return this.pending < this.highWater ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Holds each source value until the gate is open. */
export function paced<T>(gate: ClassifyGate): MonoTypeOperatorFunction<T> {
  return concatMap(async (v: T) => { await gate.ready(); return v; });
}

interface Slot {
  record: PipelineRecord;
  item?: ClassifierItem;
  out?: ClassifiedRecord;
}

export function classifyBeats(model: Model, options: ClassifyBeatsOptions = {}): OperatorFunction<PipelineRecord, ClassifiedRecord> {
  const checked = checkClassifierOptions(options);
  const maxPending = options.maxPending ?? 1024;
  if (!(Number.isInteger(maxPending) && maxPending >= 1)) throw new RangeError(`classifyBeats: maxPending must be an integer >= 1, got ${maxPending}`);
  const scheduler = options.scheduler ?? asapScheduler;
  return (source) => new Observable<ClassifiedRecord>((subscriber) => {
    const builder = new ModelInputBuilder(model.spec);
    const classifier = new Classifier(model, checked);
    /** Every record not yet emitted, in stream order. */
    const queue: Slot[] = [];
    /** Beats waiting for a call. */
    const waiting: Slot[] = [];
    let running = 0;
    let startAction: Subscription | null = null;
    let sourceDone = false;
    let closed = false;
    const report = () => options.gate?.update(waiting.length + running);

    const emitReady = () => {
      while (queue.length > 0 && queue[0].out !== undefined) subscriber.next(queue.shift()!.out!);
      if (sourceDone && queue.length === 0) subscriber.complete();
    };
    const start = () => {
      startAction = null;
      if (closed || running > 0 || waiting.length === 0) return;
      const batch = waiting.splice(0, checked.batchSize);
      running = batch.length;
      classifier.classify(batch.map((s) => s.item!)).then((results) => {
        if (closed) return;
        results.forEach((r, i) => { batch[i].out = { ...(batch[i].record as Beat), ...r }; });
        running = 0;
        report();
        emitReady();
        start();
      }, (err: unknown) => { if (!closed) subscriber.error(err); });
    };
    const startSoon = () => {
      if (running > 0) return;
      if (waiting.length >= checked.batchSize) { startAction?.unsubscribe(); start(); } else startAction ??= scheduler.schedule(start);
    };

    const sub = source.subscribe({
      next: (record) => {
        const slot: Slot = { record };
        queue.push(slot);
        if (record.kind !== 'beat') { slot.out = record; emitReady(); return; }
        let input;
        try {
          input = builder.nextBeat(record);
        } catch (err) { subscriber.error(err); return; }
        if (record.quality !== 'good' || input === null) {
          slot.out = { ...record, label: UNCLASSIFIABLE, outcome: input === null ? 'no-window' : 'bad-signal', probabilities: null, top: -1 };
        } else if (waiting.length >= maxPending) {
          slot.out = { ...record, label: UNCLASSIFIABLE, outcome: 'overload', probabilities: null, top: -1 };
        } else {
          slot.item = { input, quality: record.quality };
          waiting.push(slot);
          report();
          startSoon();
        }
        emitReady();
      },
      error: (err) => subscriber.error(err),
      complete: () => {
        sourceDone = true;
        startAction?.unsubscribe();
        start();
        emitReady();
      },
    });
    return () => {
      closed = true;
      startAction?.unsubscribe();
      sub.unsubscribe();
    };
  });
}
