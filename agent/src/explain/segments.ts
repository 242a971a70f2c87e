/**
 * Time segments of a beat window, the players of the SHAP game (shap.ts): S
 * contiguous, non-overlapping runs of samples covering the window, as equal as
 * integers allow. Segment i is [round(i L / S), round((i + 1) L / S)), so
 * lengths differ by at most one sample and the split is the same for every beat
 * (a segment is a fixed time span relative to R).
 * Limits: the split ignores the beat's morphology (a QRS may straddle two
 * segments); with the spec's 256-sample window at 360 Hz, 12 segments are
 * about 59 ms each.
 */

export interface Segment {
  /** First sample, inclusive. */
  start: number;
  /** Last sample + 1. */
  end: number;
}

export function timeSegments(length: number, count: number): Segment[] {
  if (!(Number.isInteger(length) && length >= 1)) throw new RangeError(`segments: window length must be an integer >= 1, got ${length}`);
  if (!(Number.isInteger(count) && count >= 1 && count <= length)) {
    throw new RangeError(`segments: count must be an integer from 1 to the window length ${length}, got ${count}`);
  }
  const bounds = Array.from({ length: count + 1 }, (_, i) => Math.round((i * length) / count));
  return Array.from({ length: count }, (_, i) => ({ start: bounds[i], end: bounds[i + 1] }));
}

/**
 * Segment times in ms relative to R, for labels and reports: `before` is the
 * number of window samples before R (spec.window.before), `fs` the rate.
 */
export function segmentTimesMs(segments: readonly Segment[], before: number, fs: number): { startMs: number; endMs: number }[] {
  return segments.map((s) => ({ startMs: ((s.start - before) * 1000) / fs, endMs: ((s.end - before) * 1000) / fs }));
}

/**
 * Spreads each segment's value evenly over its samples (value / length per
 * sample), so the per-sample map sums to the same total and can be drawn like
 * a Grad-CAM map.
 */
export function spreadOverSamples(values: ArrayLike<number>, segments: readonly Segment[], length: number): Float32Array {
  if (values.length !== segments.length) throw new RangeError(`segments: ${values.length} values for ${segments.length} segments`);
  const out = new Float32Array(length);
  segments.forEach((s, i) => out.fill(values[i] / (s.end - s.start), s.start, s.end));
  return out;
}
