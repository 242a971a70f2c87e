/** The values between the pipeline's stages, all at the model rate. */
import type { BadSignalSpan, BadSignalStart } from '../dsp/signal-quality.ts';

/**
 * Samples with their quality flags as released (pipeline/assess-quality.ts):
 * the source's SampleFlag bits and the judged QualityFlag bits in force. A
 * chunk that carries spans ends at the block boundary where they apply.
 */
export interface QualityChunk {
  /** Sample index of mv[0] at fs, from the stream start. */
  start: number;
  fs: number;
  /** Signal, mV (resampled; notched when the mains notch is on). */
  mv: Float32Array;
  flags: Uint8Array;
  /** Wall-clock time of mv[0], ms since the epoch, when the source gave it. */
  wallMs?: number;
  /** Second ECG lead, mV, and its source flags (signal.ts), when the source gives one; for the detector only. */
  mv2?: Float32Array;
  flags2?: Uint8Array;
  /** Bad-signal spans that ended, and ones that began, with the block this chunk completes, in order (they follow its samples). */
  spans: (BadSignalSpan | BadSignalStart)[];
}

export interface ConditionedChunk extends QualityChunk {
  /** The model's conditioned signal (models/spec.json conditioning.sos), mV. */
  cond: Float32Array;
}

export interface DetectedChunk extends ConditionedChunk {
  /** R peaks decided while this chunk was processed (indices at fs, increasing). */
  rPeaks: number[];
}
