import test from 'ava';
import { synthesize, type NoiseOptions } from '../../agent/src/sources/synthetic.ts';

/** Power spectrum |X(k)|^2 of x (zero-padded to a power of two) by radix-2 FFT; bin k is k fs / N Hz. */
function powerSpectrum(x: ArrayLike<number>): { power: Float64Array; n: number } {
  let n = 1;
  while (n < x.length) n *= 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(Array.from(x));
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) [re[i], re[j]] = [re[j], re[i]];
  }
  for (let len = 2; len <= n; len *= 2) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
    }
  }
  const power = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) power[k] = re[k] ** 2 + im[k] ** 2;
  return { power, n };
}

function bandShare(x: ArrayLike<number>, fs: number, loHz: number, hiHz: number): number {
  const { power, n } = powerSpectrum(x);
  let inBand = 0;
  let total = 0;
  for (let k = 1; k < power.length; k++) {
    const f = (k * fs) / n;
    total += power[k];
    if (f >= loHz && f <= hiHz) inBand += power[k];
  }
  return inBand / total;
}

function bandPower(x: ArrayLike<number>, fs: number, loHz: number, hiHz: number): number {
  const { power, n } = powerSpectrum(x);
  let sum = 0;
  for (let k = 1; k < power.length; k++) if ((k * fs) / n >= loHz && (k * fs) / n <= hiHz) sum += power[k];
  return sum;
}

const rms = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0) / x.length);

/** The noise alone: each noise has its own random stream, so the clean signal under it is unchanged. */
function noiseOnly(fs: number, noise: NoiseOptions, seconds = 30): { clean: Float32Array; noisy: Float32Array; diff: Float64Array } {
  const base = { fs, seed: 7, hrMeanBpm: 70, ectopics: [{ kind: 'V' as const, atBeat: 5 }] };
  const clean = synthesize(base, seconds).chunk.mv;
  const noisy = synthesize({ ...base, noise }, seconds).chunk.mv;
  return { clean, noisy, diff: Float64Array.from(noisy, (v, i) => v - clean[i]) };
}

test('mains interference raises the power at the mains frequency and nowhere else', (t) => {
  for (const [fs, mainsHz] of [[500, 50], [360, 60], [250, 50]] as const) {
    const { clean, noisy, diff } = noiseOnly(fs, { mainsMv: 0.1, mainsHz });
    const gain = bandPower(noisy, fs, mainsHz - 0.5, mainsHz + 0.5) / bandPower(clean, fs, mainsHz - 0.5, mainsHz + 0.5);
    t.true(gain > 100, `${fs} Hz: power at ${mainsHz} Hz rose x${gain.toFixed(0)}`);
    t.true(bandShare(diff, fs, mainsHz - 0.5, mainsHz + 0.5) > 0.99);
    // A sinusoid of peak A has an RMS of A / sqrt 2.
    t.true(Math.abs(rms(diff) - 0.1 / Math.SQRT2) < 0.002, `rms ${rms(diff)}`);
  }
});

test('muscle noise lies in 20-150 Hz with the asked RMS and leaves the low band alone', (t) => {
  const fs = 500;
  const { clean, noisy, diff } = noiseOnly(fs, { muscleMv: 0.05 });
  t.true(Math.abs(rms(diff) - 0.05) < 0.005, `rms ${rms(diff)} for 0.05 asked`);
  t.true(bandShare(diff, fs, 15, 170) > 0.9, `share in band ${bandShare(diff, fs, 15, 170)}`);
  const lowRatio = bandPower(noisy, fs, 0.5, 5) / bandPower(clean, fs, 0.5, 5);
  t.true(Math.abs(lowRatio - 1) < 0.05, `0.5-5 Hz power changed by x${lowRatio}`);
  t.true(bandPower(noisy, fs, 40, 150) > 10 * bandPower(clean, fs, 40, 150));
});

test('muscle noise keeps its RMS at a low rate where the band is cut at 0.45 fs', (t) => {
  const { diff } = noiseOnly(250, { muscleMv: 0.05 });
  t.true(Math.abs(rms(diff) - 0.05) < 0.005, `rms ${rms(diff)}`);
});

test('baseline wander is slow (below 0.6 Hz) with the asked RMS', (t) => {
  const fs = 360;
  const { clean, noisy, diff } = noiseOnly(fs, { baselineMv: 0.2 }, 120);
  t.true(bandShare(diff, fs, 0, 0.6) > 0.98, `share below 0.6 Hz ${bandShare(diff, fs, 0, 0.6)}`);
  // Five slow sinusoids over 120 s: the sample RMS is within a few percent of the expected one.
  t.true(Math.abs(rms(diff) - 0.2) < 0.03, `rms ${rms(diff)}`);
  t.true(bandPower(noisy, fs, 0.02, 0.6) > 2 * bandPower(clean, fs, 0.02, 0.6));
});
