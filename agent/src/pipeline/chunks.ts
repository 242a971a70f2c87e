/** The values between the pipeline's stages, all at the model rate. */
import type { BadSignalSpan, BadSignalStart } from '../dsp/signal-quality.ts';

/** Samples with complete quality flags (SampleFlag | QualityFlag bits). */
export interface QualityChunk {
  /** Sample index of mv[0] at fs, from the stream start. */
  start: number;
  fs: number;
  /** Signal, mV (resampled; notched when the mains notch is on). */
  mv: Float32Array;
  flags: Uint8Array;
  /** Wall-clock time of mv[0], ms since the epoch, when the source gave it. */
  wallMs?: number;
  /** Bad-signal spans that ended, and ones that began, within or before this chunk, in order. */
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
