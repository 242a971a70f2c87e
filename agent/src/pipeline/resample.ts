/** Operator: any-rate SampleChunks to the model rate (anti-aliased, see dsp/resampler.ts). */
import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../signal.ts';
import { Resampler } from '../dsp/resampler.ts';
import { statefulOperator } from './stateful.ts';

export function resampleTo(fsOut: number): OperatorFunction<SampleChunk, SampleChunk> {
  return statefulOperator<SampleChunk, SampleChunk>(() => {
    /** Created at the first chunk, which gives the source rate. */
    let resampler: Resampler | null = null;
    return {
      next: (chunk) => {
        resampler ??= new Resampler(chunk.fs, fsOut);
        const out = resampler.process(chunk);
        return out.mv.length > 0 ? [out] : [];
      },
    };
  });
}
