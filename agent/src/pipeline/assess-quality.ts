/**
 * Operator: judges signal quality block by block (dsp/signal-quality.ts) and
 * re-chunks the stream into whole blocks carrying complete flags and the
 * bad-signal spans that ended.
 */
import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../signal.ts';
import { SignalQuality, type QualityBlock, type SignalQualityOptions } from '../dsp/signal-quality.ts';
import type { QualityChunk } from './chunks.ts';
import { statefulOperator } from './stateful.ts';

export function assessQuality(options: Omit<SignalQualityOptions, 'fs'> = {}): OperatorFunction<SampleChunk, QualityChunk> {
  return statefulOperator<SampleChunk, QualityChunk>(() => {
    let quality: SignalQuality | null = null;
    /** Samples not yet released (their block is incomplete), mV, from index `pendingStart`. */
    let pending = new Float32Array(0);
    let pendingStart = 0;
    /** Wall clock anchor: sample index and its time, ms since epoch. */
    let wallIndex = -1;
    let wallMs = 0;
    let fs = 0;
    const release = (blocks: QualityBlock[]): QualityChunk[] => {
      const out: QualityChunk[] = blocks.map((b) => {
        const mv = pending.slice(b.start - pendingStart, b.start - pendingStart + b.flags.length);
        const chunk: QualityChunk = { start: b.start, fs, mv, flags: b.flags, spans: b.spans };
        if (wallIndex >= 0) chunk.wallMs = wallMs + ((b.start - wallIndex) * 1000) / fs;
        return chunk;
      });
      if (blocks.length > 0) {
        const last = blocks[blocks.length - 1];
        const end = last.start + last.flags.length;
        pending = pending.slice(end - pendingStart);
        pendingStart = end;
      }
      return out;
    };
    return {
      next: (chunk) => {
        if (quality === null) {
          fs = chunk.fs;
          quality = new SignalQuality({ ...options, fs });
          pendingStart = chunk.start;
        }
        if (chunk.wallMs !== undefined) { wallIndex = chunk.start; wallMs = chunk.wallMs; }
        const joined = new Float32Array(pending.length + chunk.mv.length);
        joined.set(pending);
        joined.set(chunk.mv, pending.length);
        pending = joined;
        return release(quality.process(chunk.mv, chunk.flags));
      },
      flush: () => {
        if (quality === null) return [];
        return release([quality.flush()]);
      },
    };
  });
}
