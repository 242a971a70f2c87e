/**
 * Operator: runs the signal pipeline and interleaves clock ticks with its
 * records, so the rhythm rules see time pass when no beat comes (a pause).
 *
 * A tick is sent after each source chunk's records, at the chunk's end
 * converted to the model rate, minus `lagS`: the pipeline reports a beat up to
 * ~2.5 s after its R peak (window tail 0.46 s, or a detector search-back up to
 * 2.5 s, pipeline.ts), so a clock at the source's edge would make the pause
 * rule fire before the late beat arrives.
 * A tick never passes the first GAP or LEAD_OFF sample of the source that the
 * pipeline has not yet reported as bad signal: otherwise an unplug (no beats,
 * placeholders) would look like a pause before the quality stage (its spans
 * close with their 0.25-s block) tells the rules the signal is bad. The hold is released by the
 * bad-signal start that covers it, or by a span that ends after it.
 */
import { Observable, Subject, type OperatorFunction } from 'rxjs';
import type { PipelineRecord } from '../pipeline.ts';
import { SampleFlag, type SampleChunk } from '../signal.ts';
import type { ClockTick } from './records.ts';

export interface WithClockOptions {
  /** Model rate, Hz (the pipeline's output rate). */
  fs: number;
  /** How far ticks trail the source, s. Default 3. */
  lagS?: number;
}

const HOLD_FLAGS = SampleFlag.GAP | SampleFlag.LEAD_OFF;

export function withClock(pipeline: OperatorFunction<SampleChunk, PipelineRecord>, o: WithClockOptions): OperatorFunction<SampleChunk, PipelineRecord | ClockTick> {
  const lagSamples = Math.round((o.lagS ?? 3) * o.fs);
  return (source) => new Observable<PipelineRecord | ClockTick>((sub) => {
    const input = new Subject<SampleChunk>();
    /** Model-rate sample of the first unreported GAP / LEAD_OFF sample; null when none. */
    let holdAt: number | null = null;
    let lastTick = -1;
    const inner = input.pipe(pipeline).subscribe({
      next: (r) => {
        if (holdAt !== null && ((r.kind === 'bad-signal-start' && r.start <= holdAt) || (r.kind === 'bad-signal' && r.end > holdAt))) holdAt = null;
        sub.next(r);
      },
      error: (err) => sub.error(err),
      complete: () => sub.complete(),
    });
    const outer = source.subscribe({
      next: (chunk) => {
        const toModel = (i: number) => Math.floor((i * o.fs) / chunk.fs);
        if (holdAt === null && chunk.flags) {
          const i = chunk.flags.findIndex((f) => (f & HOLD_FLAGS) !== 0);
          if (i >= 0) holdAt = toModel(chunk.start + i);
        }
        input.next(chunk);
        const end = chunk.start + chunk.mv.length;
        let sample = toModel(end) - lagSamples;
        if (holdAt !== null) sample = Math.min(sample, holdAt);
        if (sample > lastTick && sample >= 0) {
          lastTick = sample;
          const tick: ClockTick = { kind: 'clock', sample, fs: o.fs };
          if (chunk.wallMs !== undefined) tick.wallMs = chunk.wallMs + ((sample - toModel(chunk.start)) * 1000) / o.fs;
          sub.next(tick);
        }
      },
      error: (err) => input.error(err),
      complete: () => input.complete(),
    });
    return () => {
      outer.unsubscribe();
      inner.unsubscribe();
    };
  });
}
