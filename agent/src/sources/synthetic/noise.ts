/**
 * Additive noise of the synthetic ECG, one generator per kind, each a function
 * of the sample index that is called once per output sample in order (so the
 * result does not depend on how the stream is chunked).
 *
 * - Baseline wander: a sum of slow sinusoids (0.05 to 0.5 Hz, the band of
 *   respiration and electrode motion drift) with random frequencies and phases.
 * - Mains interference: a sinusoid at 50 or 60 Hz.
 * - Muscle (EMG-like) noise: white Gaussian noise band-limited to 20-150 Hz (or
 *   0.45 fs, whichever is lower) by second-order Butterworth high- and low-pass
 *   sections, the band where surface EMG overlaps the ECG (Clifford, Azuaje &
 *   McSharry, Advanced Methods and Tools for ECG Data Analysis, 2006, ch. 3).
 * Limits: stationary noise only; no electrode-motion artefact, no EMG bursts, no
 * mains harmonics.
 */
import { gaussian, type Uniform } from './prng.ts';

/** Next noise value for sample n (called with n = 0, 1, 2, ... in order). */
export type NoiseSource = (n: number) => number;

const BASELINE_COMPONENTS = 5;

/** Baseline wander with root-mean-square amplitude rmsMv. */
export function baselineWander(fs: number, rmsMv: number, uniform: Uniform): NoiseSource {
  const omega: number[] = [];
  const phase: number[] = [];
  for (let i = 0; i < BASELINE_COMPONENTS; i++) {
    omega.push((2 * Math.PI * (0.05 + 0.45 * uniform())) / fs);
    phase.push(2 * Math.PI * uniform());
  }
  // K sinusoids of amplitude A have an RMS of A sqrt(K / 2).
  const amp = rmsMv / Math.sqrt(BASELINE_COMPONENTS / 2);
  return (n) => {
    let v = 0;
    for (let i = 0; i < BASELINE_COMPONENTS; i++) v += Math.sin(omega[i] * n + phase[i]);
    return amp * v;
  };
}

/** Mains hum of peak amplitude peakMv at mainsHz. */
export function mainsHum(fs: number, mainsHz: number, peakMv: number, uniform: Uniform): NoiseSource {
  const omega = (2 * Math.PI * mainsHz) / fs;
  const phase = 2 * Math.PI * uniform();
  return (n) => peakMv * Math.sin(omega * n + phase);
}

/** Biquad coefficients, normalised (a0 = 1). */
interface Biquad { b0: number; b1: number; b2: number; a1: number; a2: number }

/** Second-order Butterworth section by the bilinear transform (RBJ cookbook, Q = 1/sqrt 2). */
function butterworth(kind: 'low' | 'high', cutoffHz: number, fs: number): Biquad {
  const w0 = (2 * Math.PI * cutoffHz) / fs;
  const alpha = Math.sin(w0) / Math.SQRT2;
  const cos = Math.cos(w0);
  const a0 = 1 + alpha;
  const b1 = kind === 'low' ? 1 - cos : -(1 + cos);
  const b0 = kind === 'low' ? (1 - cos) / 2 : (1 + cos) / 2;
  return { b0: b0 / a0, b1: b1 / a0, b2: b0 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** A band-pass made of a high-pass then a low-pass section, as a stateful sample filter. */
function bandPass(fs: number, lowHz: number, highHz: number): (x: number) => number {
  const h = butterworth('high', lowHz, fs);
  const l = butterworth('low', highHz, fs);
  // Direct form I state of each section, kept in locals: this runs once per sample.
  let hx1 = 0, hx2 = 0, hy1 = 0, hy2 = 0, lx1 = 0, lx2 = 0, ly1 = 0, ly2 = 0;
  return (x) => {
    const hy = h.b0 * x + h.b1 * hx1 + h.b2 * hx2 - h.a1 * hy1 - h.a2 * hy2;
    hx2 = hx1; hx1 = x; hy2 = hy1; hy1 = hy;
    const ly = l.b0 * hy + l.b1 * lx1 + l.b2 * lx2 - l.a1 * ly1 - l.a2 * ly2;
    lx2 = lx1; lx1 = hy; ly2 = ly1; ly1 = ly;
    return ly;
  };
}

export const MUSCLE_LOW_HZ = 20;
export const MUSCLE_HIGH_HZ = 150;

/** Band-limited Gaussian noise with root-mean-square amplitude rmsMv. */
export function muscleNoise(fs: number, rmsMv: number, uniform: Uniform): NoiseSource {
  const highHz = Math.min(MUSCLE_HIGH_HZ, 0.45 * fs);
  // The filter's noise gain is the energy of its impulse response; measured once
  // so the output RMS is what was asked for whatever the rate.
  const probe = bandPass(fs, MUSCLE_LOW_HZ, highHz);
  let energy = 0;
  for (let n = 0; n < 8 * fs; n++) energy += probe(n === 0 ? 1 : 0) ** 2;
  const scale = rmsMv / Math.sqrt(energy);
  const filter = bandPass(fs, MUSCLE_LOW_HZ, highHz);
  const normal = gaussian(uniform);
  return () => scale * filter(normal());
}
