/**
 * Test fixture generator: a plain synthetic ECG (Gaussian P, Q, R, S, T waves)
 * with known R-peak positions, baseline wander and seeded noise. Not a model of
 * real ECG; enough to check timing, alignment and chunking.
 */
import { mulberry32 as prng } from '../../agent/src/sources/synthetic/prng.ts';

/** Deterministic uniform [0, 1) generator: the synthetic source's mulberry32. */
export { prng };

export interface SyntheticEcg {
  fs: number;
  mv: Float32Array;
  /** R-peak sample indices at fs. */
  rIndices: number[];
}

const WAVES: readonly [offsetS: number, mv: number, sigmaS: number][] = [
  [-0.2, 0.15, 0.025], [-0.025, -0.12, 0.008], [0, 1.2, 0.01], [0.025, -0.3, 0.01], [0.28, 0.3, 0.04],
];

export function syntheticEcg(options: { fs: number; seconds: number; seed?: number; noiseMv?: number; rMv?: number }): SyntheticEcg {
  const { fs, seconds } = options;
  const rand = prng(options.seed ?? 1);
  const n = Math.round(fs * seconds);
  const mv = new Float32Array(n);
  const rIndices: number[] = [];
  const rScale = (options.rMv ?? 1.2) / 1.2;
  let t = 0.5;
  let beat = 0;
  while (t < seconds - 0.5) {
    rIndices.push(Math.round(t * fs));
    beat++;
    // Mostly 0.75-0.95 s; every 7th beat premature (0.5 s), then a pause.
    t += beat % 7 === 0 ? 0.5 : beat % 7 === 1 ? 1.1 : 0.75 + 0.2 * rand();
  }
  for (const r of rIndices) {
    for (const [off, amp, sigma] of WAVES) {
      const c = r + off * fs;
      const a = off === 0 || Math.abs(off) < 0.03 ? amp * rScale : amp;
      const from = Math.max(0, Math.floor(c - 5 * sigma * fs));
      const to = Math.min(n - 1, Math.ceil(c + 5 * sigma * fs));
      for (let i = from; i <= to; i++) mv[i] += a * Math.exp(-0.5 * ((i - c) / (sigma * fs)) ** 2);
    }
  }
  const noise = options.noiseMv ?? 0.02;
  for (let i = 0; i < n; i++) mv[i] += 0.2 * Math.sin((2 * Math.PI * 0.3 * i) / fs) + 0.4 + noise * (rand() - 0.5) * 2;
  return { fs, mv, rIndices };
}

/** Splits a signal into SampleChunk-like pieces of `size` samples (Infinity: one chunk). */
export function chunked(mv: Float32Array, size: number, fs: number, flags?: Uint8Array) {
  const out: { start: number; fs: number; mv: Float32Array; flags?: Uint8Array }[] = [];
  const step = Number.isFinite(size) ? size : mv.length;
  for (let s = 0; s < mv.length; s += step) {
    const c: { start: number; fs: number; mv: Float32Array; flags?: Uint8Array } = { start: s, fs, mv: mv.slice(s, s + step) };
    if (flags) c.flags = flags.slice(s, s + step);
    out.push(c);
  }
  return out;
}

/** Greedy 150 ms matching of detections to reference beats (both sorted sample indices). */
export function matchBeats(ref: readonly number[], test: readonly number[], toleranceSamples: number) {
  const used = new Uint8Array(test.length);
  let tp = 0;
  let j = 0;
  const offsets: number[] = [];
  for (const r of ref) {
    while (j < test.length && test[j] < r - toleranceSamples) j++;
    let best = -1;
    for (let k = j; k < test.length && test[k] <= r + toleranceSamples; k++) {
      if (!used[k] && (best < 0 || Math.abs(test[k] - r) < Math.abs(test[best] - r))) best = k;
    }
    if (best >= 0) { used[best] = 1; tp++; offsets.push(test[best] - r); }
  }
  return { tp, fn: ref.length - tp, fp: test.length - tp, offsets };
}

/** Sinusoid of `hz` at `fs`, `n` samples, amplitude `amp`. */
export function sine(hz: number, fs: number, n: number, amp = 1, phase = 0): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = amp * Math.sin((2 * Math.PI * hz * i) / fs + phase);
  return x;
}

/** RMS of x[from..to). */
export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / (to - from));
}
