import test from 'ava';
import { synthesize, type NoiseOptions } from '../../agent/src/sources/synthetic.ts';
import { bandPower, bandShare } from './synthetic-spectrum.ts';

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
