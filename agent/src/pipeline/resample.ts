/**
 * Operator: any-rate SampleChunks to the model rate (anti-aliased, see
 * dsp/resampler.ts). A second lead (`mv2`) goes through its own resampler of
 * the same design, so both leads stay sample-aligned.
 */
import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../signal.ts';
import { Resampler } from '../dsp/resampler.ts';
import { statefulOperator } from './stateful.ts';

export function resampleTo(fsOut: number): OperatorFunction<SampleChunk, SampleChunk> {
  return statefulOperator<SampleChunk, SampleChunk>(() => {
    /** Created at the first chunk, which gives the source rate. */
    let resampler: Resampler | null = null;
    let resampler2: Resampler | null = null;
    return {
      next: (chunk) => {
        resampler ??= new Resampler(chunk.fs, fsOut);
        const out = resampler.process(chunk);
        if (chunk.mv2 !== undefined) {
          if (chunk.mv2.length !== chunk.mv.length) {
            throw new RangeError(`resample: chunk at sample ${chunk.start} has ${chunk.mv2.length} samples of the second lead, ${chunk.mv.length} of the first`);
          }
          resampler2 ??= new Resampler(chunk.fs, fsOut);
          const second = resampler2.process({ start: chunk.start, fs: chunk.fs, mv: chunk.mv2, flags: chunk.flags2 });
          const { mv2: _mv2, flags2: _flags2, ...rest } = out;
          const both: SampleChunk = { ...rest, mv2: second.mv };
          if (second.flags !== undefined) both.flags2 = second.flags;
          return both.mv.length > 0 ? [both] : [];
        }
        return out.mv.length > 0 ? [out] : [];
      },
    };
  });
}
