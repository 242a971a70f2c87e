/**
 * Operator: the optional mains notch, then the model's conditioning filter
 * (models/spec.json conditioning.sos, zero initial state, as in training).
 * With the notch on, both the detector's input and the model's windows are
 * notched; the training code applies no notch, so leave it off (null) unless
 * the mains interference is strong. A second lead (the detector's) gets the
 * same notch, its own copy; the conditioning filter is the primary's only.
 */
import type { OperatorFunction } from 'rxjs';
import { SosFilter } from '../dsp/sos-filter.ts';
import { notchSection } from '../dsp/biquad-design.ts';
import type { ConditionedChunk, QualityChunk } from './chunks.ts';
import { statefulOperator } from './stateful.ts';

export interface ConditionOptions {
  sos: readonly (readonly number[])[];
  /** Mains frequency to notch out, Hz, or null for none. */
  mainsHz: 50 | 60 | null;
}

export function condition(options: ConditionOptions): OperatorFunction<QualityChunk, ConditionedChunk> {
  if (options.mainsHz !== null && options.mainsHz !== 50 && options.mainsHz !== 60) {
    throw new RangeError(`mains notch: mainsHz must be 50, 60 or null, got ${String(options.mainsHz)}`);
  }
  return statefulOperator<QualityChunk, ConditionedChunk>(() => {
    const conditioning = new SosFilter(options.sos);
    let notch: SosFilter | null = null;
    let notch2: SosFilter | null = null;
    let started = false;
    return {
      next: (chunk) => {
        let mv = chunk.mv;
        let mv2 = chunk.mv2;
        if (options.mainsHz !== null && mv.length > 0) {
          if (notch === null) notch = new SosFilter([notchSection(options.mainsHz, chunk.fs)]);
          if (!started) notch.prime(mv[0]);
          mv = notch.process(mv, new Float32Array(mv.length)) as Float32Array;
          if (mv2 !== undefined) {
            if (notch2 === null) { notch2 = new SosFilter([notchSection(options.mainsHz, chunk.fs)]); notch2.prime(mv2[0]); }
            mv2 = notch2.process(mv2, new Float32Array(mv2.length)) as Float32Array;
          }
        }
        if (mv.length > 0) started = true;
        const cond = conditioning.process(mv, new Float32Array(mv.length)) as Float32Array;
        return [mv2 === undefined ? { ...chunk, mv, cond } : { ...chunk, mv, mv2, cond }];
      },
    };
  });
}
