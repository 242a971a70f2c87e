/**
 * Operator: runs the QRS detector and attaches the R peaks decided. With
 * `leads: 2` and chunks that carry a second lead (`mv2`), the two-lead
 * detector (dsp/two-lead-qrs-detector.ts); otherwise the single-lead one
 * (dsp/qrs-detector.ts). The mode is fixed by the first chunk with samples:
 * a stream that starts with two leads must keep both.
 */
import type { OperatorFunction } from 'rxjs';
import { QrsDetector, type QrsDetectorOptions } from '../dsp/qrs-detector.ts';
import { TwoLeadQrsDetector } from '../dsp/two-lead-qrs-detector.ts';
import type { ConditionedChunk, DetectedChunk } from './chunks.ts';
import { statefulOperator } from './stateful.ts';

/** 1: the primary lead only; 2: the second lead too, when the source gives one. */
export type DetectionLeads = 1 | 2;

export interface DetectOptions extends Omit<QrsDetectorOptions, 'fs'> {
  leads?: DetectionLeads;
}

export function detectBeats(options: DetectOptions = {}): OperatorFunction<ConditionedChunk, DetectedChunk> {
  const { leads = 2, ...detectorOptions } = options;
  if (leads !== 1 && leads !== 2) throw new RangeError(`detector: leads must be 1 or 2, got ${String(leads)}`);
  return statefulOperator<ConditionedChunk, DetectedChunk>(() => {
    let single: QrsDetector | null = null;
    let two: TwoLeadQrsDetector | null = null;
    let next = 0;
    let fs = 0;
    return {
      next: (chunk) => {
        fs = chunk.fs;
        next = chunk.start + chunk.mv.length;
        if (single === null && two === null) {
          if (chunk.mv.length === 0) return [{ ...chunk, rPeaks: [] }];
          if (leads === 2 && chunk.mv2 !== undefined) two = new TwoLeadQrsDetector({ ...detectorOptions, fs: chunk.fs });
          else single = new QrsDetector({ ...detectorOptions, fs: chunk.fs });
        }
        if (two !== null) {
          if (chunk.mv2 === undefined) {
            if (chunk.mv.length === 0) return [{ ...chunk, rPeaks: [] }];
            throw new RangeError(`detector: the stream began with two leads but the chunk at sample ${chunk.start} has no second lead`);
          }
          return [{ ...chunk, rPeaks: two.process(chunk.mv, chunk.flags, chunk.mv2, chunk.flags2) }];
        }
        return [{ ...chunk, rPeaks: single!.process(chunk.mv, chunk.flags) }];
      },
      flush: () => {
        const detector = two ?? single;
        if (detector === null) return [];
        const rPeaks = detector.flush();
        const empty = new Float32Array(0);
        return [{ start: next, fs, mv: empty, cond: empty, flags: new Uint8Array(0), spans: [], rPeaks }];
      },
    };
  });
}
