/**
 * Operator: cuts each detected beat's window (dsp/segmenter.ts) and emits the
 * pipeline's records in stream order: beats, and bad-signal spans as they end.
 * Indices are at the model rate; `sourceFs()` gives the source's own rate for
 * the indices a WFDB annotation file needs.
 */
import type { OperatorFunction } from 'rxjs';
import { Segmenter } from '../dsp/segmenter.ts';
import type { BadSignalSpan, BadSignalStart } from '../dsp/signal-quality.ts';
import type { BeatQuality } from '../dsp/segmenter.ts';
import type { DetectedChunk } from './chunks.ts';
import { statefulOperator } from './stateful.ts';

/** One detected beat, ready for the classifier. */
export interface Beat {
  kind: 'beat';
  /** R-peak sample index at the model rate `fs`, from the stream start. */
  index: number;
  /** Model rate, Hz (360). */
  fs: number;
  /** R-peak sample index at the source's own rate (for WFDB annotation files). */
  sourceIndex: number;
  /** Source rate, Hz. */
  sourceFs: number;
  /** Wall-clock time of the R peak, ms since the epoch, when the source gave it. */
  wallMs?: number;
  /** Conditioned signal, mV, spec window.before + window.after samples; the aligned R (spec window.align) at [before]. */
  window: Float32Array;
  /** Model-rate sample index of window[0]: aligned R - before (index - before when the window was not moved). */
  windowStart: number;
  /** Interval from the previous beat, ms; null for the first and for the first after missing signal (gap, lead-off). */
  rrPrevMs: number | null;
  /** Mean of the last 8 measured intervals, ms; null while there is none. */
  rrLocalMs: number | null;
  /** 'good', or why the beat must not be classified. */
  quality: BeatQuality;
}

/** A bad-signal span with its bounds also at the source rate. */
export interface SignalSpan extends BadSignalSpan {
  sourceStart: number;
  sourceEnd: number;
  sourceFs: number;
}

/** A bad-signal span has begun (its SignalSpan follows when it ends), with its start also at the source rate. */
export interface SignalSpanStart extends BadSignalStart {
  sourceStart: number;
  sourceFs: number;
}

export type PipelineRecord = Beat | SignalSpan | SignalSpanStart;

export interface SegmentOptions {
  before: number;
  after: number;
  /** models/spec.json window.align (absent: windows at the R marks). */
  align?: { radius: number; delay: number };
  /** The source's rate, known once the first chunk has arrived. */
  sourceFs: () => number;
}

export function segmentBeats(options: SegmentOptions): OperatorFunction<DetectedChunk, PipelineRecord> {
  return statefulOperator<DetectedChunk, PipelineRecord>(() => {
    let segmenter: Segmenter | null = null;
    let fs = 0;
    /** Wall clock anchor: sample index and its time, ms since epoch. */
    let wallIndex = -1;
    let wallMs = 0;
    const toSource = (i: number) => Math.round((i * options.sourceFs()) / fs);
    const beat = (s: ReturnType<Segmenter['flush']>[number]): Beat => {
      const b: Beat = { kind: 'beat', index: s.index, fs, sourceIndex: toSource(s.index), sourceFs: options.sourceFs(),
        window: s.window, windowStart: s.windowStart, rrPrevMs: s.rrPrevMs, rrLocalMs: s.rrLocalMs, quality: s.quality };
      if (wallIndex >= 0) b.wallMs = wallMs + ((s.index - wallIndex) * 1000) / fs;
      return b;
    };
    return {
      next: (chunk) => {
        if (segmenter === null) {
          fs = chunk.fs;
          segmenter = new Segmenter({ fs, before: options.before, after: options.after, align: options.align });
        }
        if (chunk.wallMs !== undefined) { wallIndex = chunk.start; wallMs = chunk.wallMs; }
        // A chunk's spans close its last block: they follow the beats cut within it.
        const out: PipelineRecord[] = segmenter.process(chunk.cond, chunk.flags, chunk.rPeaks).map(beat);
        for (const s of chunk.spans) {
          out.push(s.kind === 'bad-signal'
            ? { ...s, sourceStart: toSource(s.start), sourceEnd: toSource(s.end), sourceFs: options.sourceFs() }
            : { ...s, sourceStart: toSource(s.start), sourceFs: options.sourceFs() });
        }
        return out;
      },
      flush: () => (segmenter === null ? [] : segmenter.flush().map(beat)),
    };
  });
}
