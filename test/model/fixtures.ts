/**
 * Generated beats for the model tests that need no MIT-BIH: ECG-like windows
 * (a QRS of random width and amplitude on a small P and T wave, noise) from a
 * seeded generator, turned into model inputs by the stream's builder; and a
 * fake Model that records its batches.
 */
import type { Beat } from '../../agent/src/pipeline.ts';
import type { Model } from '../../agent/src/model/load.ts';
import type { ModelSpec } from '../../agent/src/model/spec.ts';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` beats of one stream: R every 250-400 samples, windows as spec.window. */
export function syntheticBeats(spec: ModelSpec, n: number, seed = 1): Beat[] {
  const r = rng(seed);
  const length = spec.before + spec.after;
  const beats: Beat[] = [];
  let index = 200;
  for (let i = 0; i < n; i++) {
    const rr = 250 + Math.floor(r() * 150);
    index += rr;
    const width = 4 + r() * 14;
    const amp = (r() < 0.2 ? -1 : 1) * (0.5 + r() * 1.5);
    const window = new Float32Array(length);
    for (let t = 0; t < length; t++) {
      const d = t - spec.before;
      window[t] = amp * Math.exp(-(d * d) / (2 * width * width)) + 0.1 * Math.exp(-((d + 60) ** 2) / 200)
        + 0.25 * Math.exp(-((d - 110) ** 2) / 800) + 0.02 * (r() - 0.5);
    }
    beats.push({ kind: 'beat', index, fs: spec.fs, sourceIndex: index, sourceFs: spec.fs, window, windowStart: index - spec.before, rrPrevMs: i === 0 ? null : (rr * 1000) / spec.fs, rrLocalMs: null, quality: 'good' });
  }
  return beats;
}

export interface FakeModel extends Model {
  batches: number[];
}

/**
 * A Model whose probabilities depend only on each beat's own input (so any
 * batching gives the same answer): class = floor(rrPrevS * 10) mod classes,
 * top probability 0.5 + rrRatio mod 0.5. `delayMs` makes each call slow; `fail`
 * makes the n-th call reject.
 */
export function fakeModel(spec: ModelSpec, options: { delayMs?: number; failOnCall?: number } = {}): FakeModel {
  const batches: number[] = [];
  const k = spec.classes.length;
  return {
    path: 'fake.onnx', card: { name: 'fake', sha256: '', bytes: 0, specSha256: spec.sha256 }, spec,
    featureChannels: 1, featureSteps: 1, gradcamAlpha: new Float32Array(k), batches,
    async run(_x, rr, n) {
      batches.push(n);
      if (options.failOnCall === batches.length) throw new Error('fake model failure');
      if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
      const p = new Float32Array(n * k);
      const side = spec.sideInputNames.length;
      for (let b = 0; b < n; b++) {
        const top = Math.floor(rr[b * side] * 10) % k;
        const conf = 0.5 + (rr[b * side + 2] % 0.5);
        for (let c = 0; c < k; c++) p[b * k + c] = c === top ? conf : (1 - conf) / (k - 1);
      }
      return { probabilities: p };
    },
    release: async () => {},
  };
}
