/** Operator: runs the QRS detector (dsp/qrs-detector.ts) and attaches the R peaks decided. */
import type { OperatorFunction } from 'rxjs';
import { QrsDetector, type QrsDetectorOptions } from '../dsp/qrs-detector.ts';
import type { ConditionedChunk, DetectedChunk } from './chunks.ts';
import { statefulOperator } from './stateful.ts';

export function detectBeats(options: Omit<QrsDetectorOptions, 'fs'> = {}): OperatorFunction<ConditionedChunk, DetectedChunk> {
  return statefulOperator<ConditionedChunk, DetectedChunk>(() => {
    let detector: QrsDetector | null = null;
    let next = 0;
    let fs = 0;
    return {
      next: (chunk) => {
        detector ??= new QrsDetector({ ...options, fs: chunk.fs });
        fs = chunk.fs;
        next = chunk.start + chunk.mv.length;
        return [{ ...chunk, rPeaks: detector.process(chunk.mv, chunk.flags) }];
      },
      flush: () => {
        if (detector === null) return [];
        const rPeaks = detector.flush();
        const empty = new Float32Array(0);
        return [{ start: next, fs, mv: empty, cond: empty, flags: new Uint8Array(0), spans: [], rPeaks }];
      },
    };
  });
}
