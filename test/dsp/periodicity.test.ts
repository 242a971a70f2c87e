import test from 'ava';
import { lagCorrelation, peakAutocorrelation } from '../../agent/src/dsp/periodicity.ts';
import { prng } from './synthetic-ecg.ts';

const fs = 90;

test('a sine correlates with itself at its period and anti-correlates at half of it', (t) => {
  const x = Float64Array.from({ length: 2 * fs }, (_, i) => Math.sin((2 * Math.PI * 3 * i) / fs));
  t.true(lagCorrelation(x, 30) > 0.99);
  t.true(lagCorrelation(x, 15) < -0.99);
  const p = peakAutocorrelation(x, 0.2 * fs, 0.6 * fs);
  t.is(p.lag, 30);
  t.true(p.r > 0.99);
});

test('white noise has no autocorrelation peak worth the name', (t) => {
  const rand = prng(7);
  const x = Float64Array.from({ length: 2 * fs }, () => rand() - 0.5);
  t.true(peakAutocorrelation(x, 0.2 * fs, 0.6 * fs).r < 0.35);
});

test('a slow wave whose autocorrelation only decays across the range has no peak in it (the edge does not count)', (t) => {
  // 0.5 Hz: correlation falls monotonically from lag 0.2 s to 0.6 s.
  const x = Float64Array.from({ length: 2 * fs }, (_, i) => Math.sin((2 * Math.PI * 0.5 * i) / fs));
  t.true(lagCorrelation(x, 0.2 * fs) > 0.7);
  t.deepEqual(peakAutocorrelation(x, 0.2 * fs, 0.6 * fs), { r: 0, lag: 0 });
});

test('degenerate input: constant, too short', (t) => {
  t.is(lagCorrelation(new Float64Array(100).fill(1), 10), 0);
  t.is(lagCorrelation([1, 2, 3], 2), 0);
  t.deepEqual(peakAutocorrelation([1, 2, 3, 4], 1, 10), { r: 0, lag: 0 });
});
