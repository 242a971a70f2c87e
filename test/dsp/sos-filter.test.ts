import test from 'ava';
import { SosFilter } from '../../agent/src/dsp/sos-filter.ts';
import { butterworthLowpass, highpassSection, lowpassSection, notchSection, sosGainAt } from '../../agent/src/dsp/biquad-design.ts';
import { loadPipelineSpec } from '../../agent/src/pipeline/model-spec.ts';
import { prng, rms, sine } from './synthetic-ecg.ts';

const spec = loadPipelineSpec();

test('one first-order-like section: impulse response table', (t) => {
  // y[n] = x[n] + 0.5 y[n-1]
  const f = new SosFilter([[1, 0, 0, 1, -0.5, 0]]);
  t.deepEqual(Array.from(f.process([1, 0, 0, 0, 0])), [1, 0.5, 0.25, 0.125, 0.0625]);
  f.reset();
  t.deepEqual(Array.from(f.process([2, 0, 0])), [2, 1, 0.5]);
});

test('a0 is divided out and bad sections are rejected with the section named', (t) => {
  const f = new SosFilter([[2, 2, 0, 2, 0, 0]]);
  t.deepEqual(Array.from(f.process([1, 0, 0])), [1, 1, 0]);
  t.throws(() => new SosFilter([[1, 0, 0, 0, 0, 0]]), { message: /section 0 has a0 = 0/ });
  t.throws(() => new SosFilter([[1, 0, 0, 1, 0]]), { message: /section 0 must be 6 finite numbers/ });
});

/** Direct form I, written independently, as the reference for DF2T. */
function df1(sos: readonly (readonly number[])[], x: ArrayLike<number>): Float64Array {
  let y = Float64Array.from(x as ArrayLike<number>);
  for (const [b0, b1, b2, a0, a1, a2] of sos) {
    const out = new Float64Array(y.length);
    for (let n = 0; n < y.length; n++) {
      out[n] = (b0 * y[n] + b1 * (y[n - 1] ?? 0) + b2 * (y[n - 2] ?? 0) - a1 * (out[n - 1] ?? 0) - a2 * (out[n - 2] ?? 0)) / a0;
    }
    y = out;
  }
  return y;
}

test('the spec conditioning filter matches an independent direct-form-I cascade from zero state', (t) => {
  const rand = prng(3);
  const x = Float64Array.from({ length: 5000 }, () => rand() * 2 - 1 + 0.5);
  const a = new SosFilter(spec.sos).process(x);
  const b = df1(spec.sos, x);
  let worst = 0;
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  t.true(worst < 1e-9, `max difference ${worst}`);
});

test('conditioning filter gain measured with sinusoids agrees with its design', (t) => {
  const fs = spec.fs;
  for (const hz of [0.2, 0.5, 1, 10, 25, 40, 60, 100]) {
    const n = Math.round(fs * Math.max(20, 40 / hz));
    const y = new SosFilter(spec.sos).process(sine(hz, fs, n));
    const measured = rms(y, Math.floor(n / 2)) / Math.SQRT1_2;
    const designed = sosGainAt(spec.sos, hz, fs);
    t.true(Math.abs(measured - designed) < 0.01, `${hz} Hz: measured ${measured}, designed ${designed}`);
  }
  // The band edges of the spec: -3 dB at 0.5 and 40 Hz, pass band at 10 Hz.
  t.true(Math.abs(sosGainAt(spec.sos, 0.5, fs) - Math.SQRT1_2) < 1e-3);
  t.true(Math.abs(sosGainAt(spec.sos, 40, fs) - Math.SQRT1_2) < 1e-3);
  t.true(sosGainAt(spec.sos, 10, fs) > 0.999);
});

test('local Butterworth designs reproduce the spec (scipy) coefficients response', (t) => {
  const mine = [highpassSection(0.5, 360), ...butterworthLowpass(4, 40, 360)];
  for (const hz of [0.1, 0.5, 5, 20, 40, 80, 150]) {
    t.true(Math.abs(sosGainAt(mine, hz, 360) - sosGainAt(spec.sos, hz, 360)) < 1e-6, `${hz} Hz`);
  }
});

test('mains notch removes 50 and 60 Hz and passes the QRS band', (t) => {
  for (const mains of [50, 60]) {
    const notch = [notchSection(mains, 360)];
    const gain = (hz: number) => {
      const n = 360 * 10;
      const y = new SosFilter(notch).process(sine(hz, 360, n));
      return rms(y, n / 2) / Math.SQRT1_2;
    };
    t.true(gain(mains) < 0.01, `${mains} Hz`);
    t.true(gain(10) > 0.99);
    t.true(gain(mains - 10) > 0.9);
  }
  t.throws(() => notchSection(200, 360), { message: /must be in \(0, 180\)/ });
});

test('low-pass and high-pass sections are -3 dB at their corner', (t) => {
  t.true(Math.abs(sosGainAt([lowpassSection(15, 360)], 15, 360) - Math.SQRT1_2) < 1e-9);
  t.true(Math.abs(sosGainAt([highpassSection(5, 360)], 5, 360) - Math.SQRT1_2) < 1e-9);
});

test('prime() starts a filter in the steady state of a constant input', (t) => {
  const f = new SosFilter(butterworthLowpass(4, 40, 360));
  f.prime(0.7);
  const y = f.process(new Float64Array(50).fill(0.7));
  for (const v of y) t.true(Math.abs(v - 0.7) < 1e-9);
});

test('output is the same whatever the chunking', (t) => {
  const rand = prng(9);
  const x = Float32Array.from({ length: 2000 }, () => rand());
  const whole = new SosFilter(spec.sos).process(x);
  for (const size of [1, 7, 360]) {
    const f = new SosFilter(spec.sos);
    const parts: number[] = [];
    for (let s = 0; s < x.length; s += size) parts.push(...f.process(x.subarray(s, s + size)));
    t.deepEqual(parts, Array.from(whole), `chunks of ${size}`);
  }
});

test('filterInto gives exactly the samples step gives, block after block, state carried on to step', (t) => {
  const sos = [highpassSection(0.5, 360), ...butterworthLowpass(4, 40, 360)];
  const rand = prng(7);
  const x = Float32Array.from({ length: 1000 }, () => rand() * 4 - 2);
  const bySample = new SosFilter(sos);
  bySample.prime(x[0]);
  const expected = Array.from(x, (v) => bySample.step(v));
  const byBlock = new SosFilter(sos);
  byBlock.prime(x[0]);
  const got: number[] = [];
  const out = new Float64Array(300);
  for (const [from, to] of [[0, 1], [1, 91], [91, 391], [391, 600]]) {
    byBlock.filterInto(x.subarray(from, to), out, to - from);
    got.push(...out.subarray(0, to - from));
  }
  for (let i = 600; i < x.length; i++) got.push(byBlock.step(x[i]));
  t.deepEqual(got, expected);
});
