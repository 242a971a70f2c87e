/**
 * The noise stress test: nst's schedule, mixing and SNR definitions on generated
 * signals, then on MIT-BIH 118 with the NSTDB em recording (the SNR measured
 * back, noise only in the scheduled segments, Se/+P at 24 dB near the clean
 * record's).
 */
import test from 'ava';
import { join } from 'node:path';
import {
  addScheduledNoise, isMap1Normal, noiseGain, noiseRms, nstSchedule, qrsAmplitude, snrDb, trimmedMean,
} from '../../agent/src/eval/noise-stress.ts';
import {
  evaluateRuns, falsePositivesByQuality, loadStressNoise, loadStressRecord, runStress,
} from '../../agent/src/eval/noise-stress-run.ts';
import { compareBeats } from '../../agent/src/eval/beat-match.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mitdb, mitdbDir, nstdb, nstdbDir, repoRoot, testNeeding } from '../helpers/requires.ts';

const fs = 360;

/** A deterministic pseudo-random signal (LCG), zero-mean-ish. */
function noiseSignal(n: number, seed = 7): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 - 0.5 + 0.3; // offset: nst must not care about the noise's mean
  }
  return out;
}

test('schedule: clean to 5:00, then alternating 2-minute noisy and clean segments to the end', (t) => {
  const length = 650000; // a MIT-BIH record, 30:05.6
  const s = nstSchedule(length, fs);
  t.deepEqual(s[0], { start: 0, end: 300 * fs, noisy: false });
  for (let i = 1; i < s.length; i++) {
    t.is(s[i].start, s[i - 1].end);
    t.is(s[i].noisy, !s[i - 1].noisy);
    if (i < s.length - 1) t.is(s[i].end - s[i].start, 120 * fs);
  }
  t.is(s[s.length - 1].end, length);
  // Toggles at 5, 7, ..., 29 min: 13 of them, the last segment (29:00 to the end) noisy.
  t.is(s.length, 14);
  t.true(s[s.length - 1].noisy);
  t.deepEqual(nstSchedule(200 * fs, fs), [{ start: 0, end: 200 * fs, noisy: false }]);
});

test('mixing: gain x noise in noisy segments only, no step at any toggle, constant offset in clean ones', (t) => {
  const n = 20 * fs;
  const clean = new Float32Array(n).map((_, i) => Math.sin(i / 50));
  const noise = noiseSignal(7 * fs); // shorter than the signal: it wraps
  const schedule = nstSchedule(n, fs, { firstS: 3, segmentS: 4 });
  const g = 0.8;
  const y = addScheduledNoise(clean, noise, g, schedule);
  const added = (i: number) => y[i] - clean[i];
  for (const seg of schedule) {
    for (let i = Math.max(seg.start, 1); i < seg.end; i++) {
      const step = added(i) - added(i - 1);
      if (!seg.noisy) t.true(Math.abs(step) < 1e-5, `clean sample ${i} changed the added noise by ${step}`);
      else if (i % noise.length !== 0) {
        const want = g * (noise[i % noise.length] - noise[(i - 1) % noise.length]);
        if (Math.abs(step - want) > 1e-5) t.fail(`noisy sample ${i}: step ${step}, want ${want}`);
      }
    }
  }
  for (let i = 0; i < 3 * fs; i++) if (added(i) !== 0) t.fail(`sample ${i} before the first toggle has noise`);
  // The wrap (sample 7 s) holds the level instead of jumping.
  t.true(Math.abs(added(7 * fs) - added(7 * fs - 1)) < 1e-5);
});

test('sigamp definitions: trimmed mean, QRS peak-to-peak window, one-second RMS about the window mean', (t) => {
  const values = Array.from({ length: 40 }, (_, i) => (i * 37) % 40); // 0..39 shuffled
  t.is(trimmedMean(values), 19.5); // 2 dropped at each end: mean of 2..37
  t.is(trimmedMean([5, 1, 3]), 3); // fewer than 20: nothing dropped

  const signal = new Float32Array(2000);
  const half = Math.round(0.05 * fs); // 18 samples
  signal[500 - half] = -1; signal[500 + half] = 2; // both window ends count
  signal[500 - half - 1] = 50; signal[500 + half + 1] = 50; // just outside: ignored
  t.is(qrsAmplitude(signal, fs, [500]), 3);

  // A square wave of +-a around any offset has RMS a in every window.
  const sq = new Float32Array(10 * fs).map((_, i) => 4 + (i % 2 === 0 ? 0.25 : -0.25));
  t.true(Math.abs(noiseRms(sq, fs) - 0.25) < 1e-6);

  t.true(isMap1Normal(1) && isMap1Normal(3) && isMap1Normal(8) && !isMap1Normal(5) && !isMap1Normal(6) && !isMap1Normal(14));
});

test('gain and SNR are inverse: noise scaled by noiseGain measures back at the asked SNR', (t) => {
  const noise = noiseSignal(400 * fs);
  const n = noiseRms(noise, fs);
  for (const snr of [24, 6, 0, -6]) {
    const g = noiseGain(snr, 2.5, n);
    const scaled = noise.map((v) => v * g);
    t.true(Math.abs(snrDb(2.5, noiseRms(scaled, fs)) - snr) < 1e-4, `SNR ${snr}`);
  }
});

test('false positives are split by the quality stage\'s verdict on the test beat', (t) => {
  const n = (sample: number) => ({ sample, symbol: 'N' });
  const c = compareBeats([n(1000), n(1400), n(1800)], [n(1000), n(1200), n(1400), n(1600), n(1800)], { fs, startS: 0 });
  t.deepEqual(falsePositivesByQuality(c.pairs, new Set([1200, 1400])), { total: 2, unclassifiable: 1 });
});

test('eval noise: a missing option or a bad SNR is a usage error (exit 2) naming it', async (t) => {
  const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');
  const run = (...args: string[]) => promisify(execFile)(process.execPath, [bin, 'eval', 'noise', ...args])
    .then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
  const noDir = await run('--db', '/nonexistent');
  t.is(noDir.code, 2);
  t.regex(noDir.stderr, /--noise-dir DIR is required/);
  const badSnr = await run('--db', 'x', '--noise-dir', 'y', '--snr', '6,loud');
  t.is(badSnr.code, 2);
  t.regex(badSnr.stderr, /--snr: 'loud' is not a number/);
  const modelAlone = await run('--db', 'x', '--noise-dir', 'y', '--model', 'm.onnx');
  t.is(modelAlone.code, 2);
  t.regex(modelAlone.stderr, /--model and --config go with --agent/);
});

const dataTest = testNeeding(mitdb, nstdb);

dataTest('MIT-BIH 118 + em: SNR measured back, noise only in the schedule, Se/+P at 24 dB near clean', async (t) => {
  const record = await loadStressRecord(join(mitdbDir, '118'), '118');
  const noise = await loadStressNoise(join(nstdbDir, 'em'), 'em');
  t.is(record.header.signals[record.signal].description, 'MLII');
  const schedule = nstSchedule(record.clean.length, fs);
  const snr = 12;
  const g = noiseGain(snr, record.signalPtpMv, noise.rmsMv[0]);
  const y = addScheduledNoise(record.clean, noise.signals[0], g, schedule);
  const added = y.map((v, i) => v - record.clean[i]);

  // Measured back as nst calibrates: S by sigamp -a on the output's clean first
  // 5 minutes, N by sigamp -r on the added noise over the noise record's first
  // 300 s (what nst measures), recovered from the output's noisy samples.
  const normals = record.reference.filter((a) => ['N', 'L', 'R', 'a', 'J', 'A', 'S', 'j', '/', 'Q', 'B', 'e', 'n', 'f'].includes(a.symbol)).map((a) => a.sample);
  const sOut = qrsAmplitude(y, fs, normals);
  const noisy = schedule.filter((s) => s.noisy);
  // Within a noisy segment the added noise is g x noise + constant; the constant
  // goes with each window's mean, so the gain is read back from the segment.
  const seg = noisy[0];
  let num = 0;
  let den = 0;
  for (let i = seg.start; i < seg.end; i++) {
    const dn = noise.signals[0][i] - noise.signals[0][seg.start];
    num += (added[i] - added[seg.start]) * dn;
    den += dn * dn;
  }
  const gMeasured = num / den;
  const nOut = noiseRms(noise.signals[0].map((v) => v * gMeasured), fs);
  t.true(Math.abs(snrDb(sOut, nOut) - snr) < 0.01, `SNR measured back ${snrDb(sOut, nOut)} dB`);
  // The same definition over the noise actually present in the noisy segments:
  // em is louder after its first 5 minutes, so the effective SNR is lower.
  const inSegments = Float32Array.from(noisy.flatMap((s) => Array.from(added.subarray(s.start, s.end))));
  const effective = snrDb(sOut, noiseRms(inSegments, fs));
  t.log(`em, asked ${snr} dB: ${effective.toFixed(2)} dB over the noisy segments`);
  t.true(effective < snr && effective > snr - 8);

  // Noise only where scheduled: the added signal is constant in every clean segment.
  for (const s of schedule.filter((x) => !x.noisy)) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = s.start; i < s.end; i++) { lo = Math.min(lo, added[i]); hi = Math.max(hi, added[i]); }
    t.true(hi - lo < 1e-5, `clean segment at ${s.start / fs} s varies by ${hi - lo} mV`);
  }
  for (const s of noisy) {
    let sq = 0;
    for (let i = s.start + 1; i < s.end; i++) sq += (added[i] - added[i - 1]) ** 2;
    t.true(sq > 0, `noisy segment at ${s.start / fs} s has no noise`);
  }

  // Se and +P at 24 dB within 0.5 points of the clean record's, through the pipeline.
  const clean = await runStress(record, noise, null);
  const at24 = await runStress(record, noise, 24);
  const [e0, e24] = [await evaluateRuns([record], [clean]), await evaluateRuns([record], [at24])];
  const se = (e: typeof e0) => e.summary.gross.qrsSensitivity.percent!;
  const pp = (e: typeof e0) => e.summary.gross.qrsPositivePredictivity.percent!;
  t.log(`118 clean Se ${se(e0).toFixed(2)} +P ${pp(e0).toFixed(2)}; em 24 dB Se ${se(e24).toFixed(2)} +P ${pp(e24).toFixed(2)}`);
  t.true(se(e0) > 99.5 && pp(e0) > 99.5);
  t.true(Math.abs(se(e24) - se(e0)) <= 0.5 && Math.abs(pp(e24) - pp(e0)) <= 0.5);
  t.true(at24.gain > 0);
});
