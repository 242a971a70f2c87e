import test from 'ava';
import { createTachogram } from '../../agent/src/sources/synthetic/rhythm.ts';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import { bandPower } from './synthetic-spectrum.ts';

const sampleHz = 4;

function tachogramSamples(lfHfRatio: number, seconds = 2048): number[] {
  const tacho = createTachogram({ hrMeanBpm: 60, hrStdBpm: 2, lfHfRatio }, mulberry32(11));
  return Array.from({ length: seconds * sampleHz }, (_, i) => tacho.rrSec(i / sampleHz) - tacho.rrMeanSec);
}

test('the RR tachogram has its power in the Mayer (0.1 Hz) and RSA (0.25 Hz) peaks', (t) => {
  const rr = tachogramSamples(0.5);
  const lf = bandPower(rr, sampleHz, 0.07, 0.13);
  const hf = bandPower(rr, sampleHz, 0.22, 0.28);
  const all = bandPower(rr, sampleHz, 0, sampleHz / 2);
  t.true((lf + hf) / all > 0.95, `share in the two peaks ${((lf + hf) / all).toFixed(3)}`);
  // The ratio of 32 random sinusoids per peak scatters around the asked one.
  t.true(Math.abs(lf / hf - 0.5) < 0.15, `LF/HF ${(lf / hf).toFixed(3)} for 0.5 asked`);
  const between = bandPower(rr, sampleHz, 0.15, 0.2);
  t.true(between < 0.01 * all);
});

test('the LF/HF ratio option moves power between the peaks', (t) => {
  const ratioOf = (asked: number) => {
    const rr = tachogramSamples(asked);
    return bandPower(rr, sampleHz, 0.07, 0.13) / bandPower(rr, sampleHz, 0.22, 0.28);
  };
  const high = ratioOf(2);
  t.true(Math.abs(high - 2) < 0.6, `LF/HF ${high.toFixed(2)} for 2 asked`);
  t.true(high > 2 * ratioOf(0.5));
});

test('the RR standard deviation follows the heart rate one (60 s / hr^2 per bpm)', (t) => {
  const rr = tachogramSamples(1);
  const sd = Math.sqrt(rr.reduce((s, x) => s + x * x, 0) / rr.length);
  const expected = (60 * 2) / (60 * 60);
  t.true(Math.abs(sd / expected - 1) < 0.2, `RR sd ${(sd * 1000).toFixed(1)} ms, expected ${(expected * 1000).toFixed(1)}`);
});
