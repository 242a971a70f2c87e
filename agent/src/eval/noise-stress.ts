/**
 * The MIT-BIH Noise Stress Test, built as PhysioNet's `nst` builds the NSTDB
 * records (118e24 ... 119e_6): pure functions over whole signals in mV.
 *
 * Reference: Moody, Muldrow & Mark, "A noise stress test for arrhythmia
 * detectors", Computers in Cardiology 11:381-384 (1984); WFDB `nst.c` and
 * `sigamp.c` (G. Moody), whose definitions these follow:
 * - signal amplitude S: sigamp -a atr: the peak-to-peak amplitude in the window
 *   R +- 0.05 s around each of the first 300 reference beats that WFDB's map1()
 *   calls NORMAL (N L R a J A S j / Q B e n f), then the mean of the middle 90%
 *   (namp/20 dropped at each end);
 * - noise amplitude N: sigamp -r: the RMS about its own mean of each of the
 *   first 300 consecutive one-second windows of the noise signal, same trimmed
 *   mean;
 * - SNR = 20 log10(S * sqrt(2)/4 / N), i.e. the QRS is taken as a sinusoid of
 *   peak-to-peak amplitude S (power S^2/8); for an asked SNR, nst scales the
 *   noise by g = 10^(-SNR/20) * sqrt(2)/4 * S / N;
 * - schedule: the gain toggles between g and 0 at 5:00, 7:00, 9:00, ... before
 *   the record's end (noise in [5,7), [9,11), ... min; the last segment of a
 *   30:06 record, [29:00, end), is noisy); the noise sample added at t is the
 *   noise record's sample t;
 * - continuity: at each toggle nst shifts the added noise by a constant so the
 *   output has no step (its z[] offsets); a clean segment after a noisy one
 *   therefore carries a constant offset, as in the NSTDB records.
 * The noise signal for ECG signal i is noise signal i mod (noise signals).
 * Limits: values stay in floating mV (nst writes integer ADC units: at most 1
 * ADC unit, 5 uV at MIT-BIH's gain, of difference); sigamp's deviations from a
 * window mean are truncated to integers, here they are not. Where the noise
 * record is shorter than the ECG it wraps, with the offset kept continuous (nst
 * does the same, apart from a one-sample ADC-zero slip at the wrap). Both
 * signals must have the same rate (nst would resample the noise record).
 */

/** sigamp's NMAX: the most measurements averaged. */
export const SIGAMP_MAX_MEASUREMENTS = 300;

/** Beat codes WFDB's map1() maps to NORMAL (sigamp -a measures only these). */
const MAP1_NORMAL_CODES = new Set([1, 2, 3, 4, 7, 8, 9, 11, 12, 13, 25, 34, 35, 38]);

/** True for an annotation code that WFDB's map1() calls NORMAL. */
export const isMap1Normal = (code: number): boolean => MAP1_NORMAL_CODES.has(code);

/** sigamp's trimmed mean: sorts, drops floor(n/20) values at each end, averages the rest. */
export function trimmedMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('trimmed mean of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const low = Math.floor(sorted.length / 20);
  const high = sorted.length - low;
  let sum = 0;
  for (let i = low; i < high; i++) sum += sorted[i];
  return sum / (high - low);
}

/**
 * Normal-QRS peak-to-peak amplitude (sigamp -a): `beats` are reference sample
 * indices of map1-NORMAL beats in order; the window is R +- round(0.05 fs)
 * samples, both ends included. Like sigamp, stops at the first window that
 * leaves the signal. Units of `signal` (mV).
 */
export function qrsAmplitude(signal: Float32Array, fs: number, beats: readonly number[]): number {
  const half = Math.round(0.05 * fs);
  const amps: number[] = [];
  for (const r of beats) {
    if (amps.length >= SIGAMP_MAX_MEASUREMENTS) break;
    if (r - half < 0 || r + half >= signal.length) break;
    let min = signal[r - half];
    let max = min;
    for (let t = r - half + 1; t <= r + half; t++) {
      const v = signal[t];
      if (v < min) min = v; else if (v > max) max = v;
    }
    amps.push(max - min);
  }
  if (amps.length === 0) throw new RangeError('no normal beat to measure the QRS amplitude on');
  return trimmedMean(amps);
}

/**
 * Noise RMS amplitude (sigamp -r): RMS about the window's own mean of each
 * consecutive whole window of `windowS` seconds (1 s), at most 300 windows from
 * the start, trimmed mean. Units of `noise`.
 */
export function noiseRms(noise: Float32Array, fs: number, windowS = 1): number {
  const w = Math.round(windowS * fs);
  const rms: number[] = [];
  for (let s = 0; s + w <= noise.length && rms.length < SIGAMP_MAX_MEASUREMENTS; s += w) {
    let mean = 0;
    for (let t = s; t < s + w; t++) mean += noise[t];
    mean /= w;
    let sq = 0;
    for (let t = s; t < s + w; t++) sq += (noise[t] - mean) ** 2;
    rms.push(Math.sqrt(sq / w));
  }
  if (rms.length === 0) throw new RangeError(`noise shorter than one ${windowS}-s window`);
  return trimmedMean(rms);
}

/** nst's noise-to-signal ratio: RMS noise per unit of peak-to-peak signal, for `snrDb`. */
export const noiseToSignal = (snrDb: number): number => 10 ** (-snrDb / 20) * Math.SQRT2 / 4;

/** The gain nst applies to the noise for `snrDb`, given S (peak-to-peak) and N (RMS). */
export const noiseGain = (snrDb: number, signalPtp: number, noiseRmsValue: number): number =>
  (noiseToSignal(snrDb) * signalPtp) / noiseRmsValue;

/** The SNR, dB, of a signal of peak-to-peak S with noise of RMS N (nst's definition). */
export const snrDb = (signalPtp: number, noiseRmsValue: number): number =>
  20 * Math.log10((signalPtp * Math.SQRT2) / (4 * noiseRmsValue));

/** A run of samples [start, end) with or without noise. */
export interface NoiseSegment {
  start: number;
  end: number;
  noisy: boolean;
}

export interface ScheduleOptions {
  /** First toggle, s (nst: 5:00). */
  firstS?: number;
  /** Segment length, s (nst: 2:00). */
  segmentS?: number;
}

/**
 * nst's protocol over a record of `lengthSamples`: clean to 5:00, then
 * alternating noisy and clean two-minute segments to the end.
 */
export function nstSchedule(lengthSamples: number, fs: number, options: ScheduleOptions = {}): NoiseSegment[] {
  const first = Math.round((options.firstS ?? 300) * fs);
  const step = Math.round((options.segmentS ?? 120) * fs);
  const out: NoiseSegment[] = [];
  let start = 0;
  let noisy = false;
  for (let t = first; t < lengthSamples; t += step) {
    if (t > start) out.push({ start, end: t, noisy });
    start = t;
    noisy = !noisy;
  }
  if (lengthSamples > start) out.push({ start, end: lengthSamples, noisy });
  return out;
}

/**
 * The noisy signal: clean + gain x noise inside the noisy segments, with nst's
 * continuity offsets (the added noise never steps at a toggle or a wrap).
 * Returns the new signal; `clean` and `noise` are not changed.
 */
export function addScheduledNoise(clean: Float32Array, noise: Float32Array, gain: number,
  schedule: readonly NoiseSegment[]): Float32Array {
  if (noise.length === 0) throw new RangeError('empty noise signal');
  const out = new Float32Array(clean.length);
  /** The added noise at the previous sample (nst's output minus input). */
  let added = 0;
  for (const seg of schedule) {
    const end = Math.min(seg.end, clean.length);
    if (!seg.noisy) {
      for (let t = seg.start; t < end; t++) out[t] = clean[t] + added;
      continue;
    }
    // Offset so that the first noisy sample continues from the last output.
    const prev = (seg.start - 1 + noise.length) % noise.length;
    let offset = seg.start === 0 ? 0 : added - gain * noise[prev];
    for (let t = seg.start; t < end; t++) {
      const k = t % noise.length;
      if (k === 0 && t > 0) offset = added - gain * noise[k]; // wrap: hold the level
      added = gain * noise[k] + offset;
      out[t] = clean[t] + added;
    }
  }
  return out;
}
