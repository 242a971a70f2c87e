/**
 * The values that flow between pipeline stages (DESIGN.md section 1).
 *
 * The clock is the sample index, counted from the start of the stream at the
 * chunk's own rate `fs`; wall-clock time is attached at the source and carried
 * alongside, never used for ordering.
 */

/** Per-sample quality flags (bit mask). */
export const SampleFlag = {
  /** An electrode is off (ADS1292 LOFF_STAT, or the source says so). */
  LEAD_OFF: 1,
  /** The converter code is at full scale (0x7FFFFF or 0x800000). */
  SATURATED: 2,
  /**
   * No sample was received here: a sequence gap, a lost frame, an unplugged
   * device. The value is a placeholder (the last good value) so filters do not
   * ring; consumers must not treat it as signal.
   */
  GAP: 4,
} as const;

/**
 * A run of consecutive samples of one ECG channel, optionally with a second ECG
 * lead sampled with it (same indices, same rate): the detector may use it
 * (dsp/two-lead-qrs-detector.ts); quality, the segmenter and the model use
 * the primary `mv` only.
 */
export interface SampleChunk {
  /** Sample index of mv[0], from the stream start, at `fs`. */
  start: number;
  /** Sampling rate, Hz. */
  fs: number;
  /** Signal in millivolts. */
  mv: Float32Array;
  /** Per-sample SampleFlag bits; absent means every sample is clean. */
  flags?: Uint8Array;
  /** Wall-clock time of mv[0] in ms since the epoch, as the source saw it. */
  wallMs?: number;
  /** Second ECG lead, mV, as many samples as `mv`; absent: one lead. */
  mv2?: Float32Array;
  /** SampleFlag bits of the second lead; absent means clean. */
  flags2?: Uint8Array;
}
