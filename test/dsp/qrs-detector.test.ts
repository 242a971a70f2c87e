import test from 'ava';
import { DetectorMode, QrsDetector } from '../../agent/src/dsp/qrs-detector.ts';
import { SampleFlag } from '../../agent/src/signal.ts';
import { matchBeats, prng, syntheticEcg } from './synthetic-ecg.ts';

function detect(mv: Float32Array, size = Infinity, flags?: Uint8Array): number[] {
  const d = new QrsDetector({ fs: 360 });
  const out: number[] = [];
  const step = Number.isFinite(size) ? size : mv.length;
  for (let s = 0; s < mv.length; s += step) out.push(...d.process(mv.subarray(s, s + step), flags?.subarray(s, s + step)));
  out.push(...d.flush());
  return out;
}

test('finds every synthetic beat, at its R peak, with no false ones', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 120, seed: 2 });
  const found = detect(ecg.mv);
  const m = matchBeats(ecg.rIndices, found, 54);
  t.is(m.fn, 0);
  t.is(m.fp, 0);
  t.true(m.offsets.every((o) => Math.abs(o) <= 3), `offsets ${[...new Set(m.offsets)]}`);
});

test('beats within the LEARNING period are not lost', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 10, seed: 4 });
  const found = detect(ecg.mv);
  t.is(found[0] !== undefined && Math.abs(found[0] - ecg.rIndices[0]) <= 3, true);
});

test('mode goes from LEARNING to RUNNING after the learning period', (t) => {
  const d = new QrsDetector({ fs: 360, learningS: 2 });
  t.is(d.mode, DetectorMode.LEARNING);
  d.process(new Float32Array(700));
  t.is(d.mode, DetectorMode.LEARNING);
  d.process(new Float32Array(30));
  t.is(d.mode, DetectorMode.RUNNING);
});

test('R indices increase and are the same whatever the chunking', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 60, seed: 5, noiseMv: 0.08 });
  const whole = detect(ecg.mv);
  for (let i = 1; i < whole.length; i++) t.true(whole[i] > whole[i - 1]);
  for (const size of [1, 7, 360]) t.deepEqual(detect(ecg.mv, size), whole, `chunks of ${size}`);
});

test('no beats in a flat line or in low-level noise', (t) => {
  t.deepEqual(detect(new Float32Array(360 * 30).fill(0.3)), []);
  const rand = prng(7);
  // 20 uV peak-to-peak: below the smallest QRS the detector accepts (50 uV).
  const noise = Float32Array.from({ length: 360 * 30 }, () => 0.3 + 0.02 * (rand() - 0.5));
  t.deepEqual(detect(noise), []);
});

test('no beat is placed on a GAP sample', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 40, seed: 6 });
  const flags = new Uint8Array(ecg.mv.length);
  // Samples 15..25 s are a gap: the source holds the last good value there.
  const from = 15 * 360;
  const to = 25 * 360;
  flags.fill(SampleFlag.GAP, from, to);
  ecg.mv.fill(ecg.mv[from - 1], from, to);
  const found = detect(ecg.mv, 360, flags);
  t.true(found.every((r) => r < from || r >= to), `beats in gap: ${found.filter((r) => r >= from && r < to)}`);
  const after = ecg.rIndices.filter((r) => r > to + 360);
  t.true(matchBeats(after, found.filter((r) => r > to + 360), 54).fn <= 1, 'detection resumes after the gap');
});

test('bad options are refused', (t) => {
  t.throws(() => new QrsDetector({ fs: 0 }), { message: /fs must be > 0 Hz, got 0/ });
});

test('after a sudden 6-fold amplitude drop, LEARNING starts again and beats are found again', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 90, seed: 12, noiseMv: 0.005 });
  const drop = 30 * 360;
  for (let i = drop; i < ecg.mv.length; i++) ecg.mv[i] = 0.4 + (ecg.mv[i] - 0.4) / 6;
  const late = ecg.rIndices.filter((r) => r > drop + 10 * 360);
  const withRelearn = detect(ecg.mv);
  t.is(matchBeats(late, withRelearn.filter((r) => r > drop + 10 * 360), 54).fn, 0);
  // Without it (relearning disabled) the old levels keep the small beats out.
  const d = new QrsDetector({ fs: 360, relearnS: 1e6 });
  const without = [...d.process(ecg.mv), ...d.flush()];
  t.true(matchBeats(late, without.filter((r) => r > drop + 10 * 360), 54).fn > late.length / 2);
});
