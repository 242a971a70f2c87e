/**
 * Two-lead QRS detection (dsp/two-lead-qrs-detector.ts) on generated signals:
 * with the second lead unusable it is exactly the single-lead detector; output
 * does not depend on the chunking; motion noise in one lead only makes fewer
 * false beats than on that lead alone.
 */
import test from 'ava';
import { QrsDetector } from '../../agent/src/dsp/qrs-detector.ts';
import { TwoLeadQrsDetector } from '../../agent/src/dsp/two-lead-qrs-detector.ts';
import { SampleFlag } from '../../agent/src/signal.ts';
import { matchBeats, prng, syntheticEcg } from './synthetic-ecg.ts';

const fs = 360;

function runSingle(x: Float32Array, size = x.length): number[] {
  const d = new QrsDetector({ fs });
  const out: number[] = [];
  for (let s = 0; s < x.length; s += size) out.push(...d.process(x.subarray(s, s + size)));
  return [...out, ...d.flush()];
}

function runTwo(x: Float32Array, x2: Float32Array, size = x.length, flags2?: Uint8Array): number[] {
  const d = new TwoLeadQrsDetector({ fs });
  const out: number[] = [];
  for (let s = 0; s < x.length; s += size) out.push(...d.process(x.subarray(s, s + size), undefined, x2.subarray(s, s + size), flags2?.subarray(s, s + size)));
  return [...out, ...d.flush()];
}

/**
 * A second lead: the same beats at another amplitude with independent noise;
 * and a copy of `mv` with motion noise (white, 5-sample moving average, about
 * 0.6 mV RMS, broadband so it reaches the QRS band) from `noiseFromS` to
 * `noiseToS`: electrode motion in one lead only.
 */
function twoLeads(seconds: number, noiseFromS: number, noiseToS: number) {
  const ecg = syntheticEcg({ fs, seconds, seed: 5, noiseMv: 0.03 });
  const rand = prng(99);
  const x2 = new Float32Array(ecg.mv.length);
  for (let i = 0; i < x2.length; i++) x2[i] = 0.6 * ecg.mv[i] + 0.03 * (rand() - 0.5);
  const noisy = ecg.mv.slice();
  let acc = 0;
  const white = [0, 0, 0, 0, 0];
  for (let i = Math.round(noiseFromS * fs); i < Math.min(noisy.length, noiseToS * fs); i++) {
    const w = 0.9 * (rand() - 0.5);
    acc += w - white[i % 5];
    white[i % 5] = w;
    noisy[i] += acc;
  }
  return { ecg, x2, noisy };
}

test('with the second lead flagged throughout, the two-lead detector gives exactly the single-lead detector\'s beats', (t) => {
  const { noisy, x2 } = twoLeads(60, 20, 40);
  const off = new Uint8Array(x2.length).fill(SampleFlag.LEAD_OFF);
  const single = runSingle(noisy);
  t.true(single.length > 50);
  t.deepEqual(runTwo(noisy, x2, noisy.length, off), single);
});

test('two-lead output is identical whatever the chunking', (t) => {
  const { noisy, x2 } = twoLeads(40, 10, 30);
  const flags2 = new Uint8Array(x2.length);
  flags2.fill(SampleFlag.GAP, 5000, 5400);
  const whole = runTwo(noisy, x2, noisy.length, flags2);
  t.true(whole.length > 30);
  for (const size of [1, 7, 360]) t.deepEqual(runTwo(noisy, x2, size, flags2), whole, `chunks of ${size}`);
});

test('motion noise in one lead: with the clean second lead, fewer false beats and no fewer true ones', (t) => {
  const { ecg, noisy, x2 } = twoLeads(120, 20, 100);
  const tol = Math.round(0.15 * fs);
  const score = (beats: number[]) => {
    const m = matchBeats(ecg.rIndices, beats, tol);
    return { tp: m.tp, fp: m.fp };
  };
  const one = score(runSingle(noisy));
  const two = score(runTwo(noisy, x2));
  t.true(one.fp > 10, `the single-lead detector takes noise for beats (${one.fp}), else the test shows nothing`);
  t.true(two.fp < one.fp / 2, `false beats: two leads ${two.fp}, one lead ${one.fp}`);
  t.true(two.tp >= one.tp, `true beats: two leads ${two.tp}, one lead ${one.tp}`);
});

test('the second lead must have as many samples as the first', (t) => {
  const d = new TwoLeadQrsDetector({ fs });
  t.throws(() => d.process(new Float32Array(10), undefined, new Float32Array(9)), { message: /second lead has 9 samples where the primary has 10/ });
});
