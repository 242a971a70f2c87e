import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mitdb, mitdbDir, testNeeding } from '../helpers/requires.ts';
import { isBeat, readAnnotations, symbolOf } from '../../agent/src/sources/wfdb/index.ts';
import { matchBeats, syntheticEcg } from '../dsp/synthetic-ecg.ts';
import { cli } from '../helpers/cli.ts';

/** Writes a one-signal format-16 WFDB record of a synthetic ECG; returns its path and R peaks. */
async function syntheticRecord(dir: string, name: string, fs: number) {
  const ecg = syntheticEcg({ fs, seconds: 60, seed: fs });
  const adc = new Int16Array(ecg.mv.length);
  for (let i = 0; i < adc.length; i++) adc[i] = Math.round(ecg.mv[i] * 200);
  await writeFile(join(dir, `${name}.dat`), new Uint8Array(adc.buffer));
  await writeFile(join(dir, `${name}.hea`), `${name} 1 ${fs} ${adc.length}\n${name}.dat 16 200 16 0 ${adc[0]} 0 0 ECG\n`);
  return { path: join(dir, name), rIndices: ecg.rIndices };
}

for (const fs of [128, 250, 257]) {
  test(`a ${fs} Hz record is annotated in its own sample numbers`, async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'annotate-'));
    const rec = await syntheticRecord(dir, `syn${fs}`, fs);
    const out = join(dir, 'out');
    const r = await cli('annotate', rec.path, '--out', out, '--annotator', 'det');
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`syn${fs}\\.det: \\d+ beats at ${fs} Hz`));
    const anns = await readAnnotations(join(out, `syn${fs}`), 'det');
    t.true(anns.every((a) => symbolOf(a.code) === 'Q'));
    const m = matchBeats(rec.rIndices, anns.map((a) => a.sample), Math.round(0.15 * fs));
    t.deepEqual([m.fn, m.fp], [0, 0]);
    t.true(m.offsets.every((o) => Math.abs(o) <= Math.ceil(0.01 * fs)));
  });
}

test('usage errors exit 2 and say what is allowed', async (t) => {
  let r = await cli('annotate', 'x');
  t.is(r.code, 2);
  t.regex(r.stderr, /--out DIR is required/);
  r = await cli('annotate', '--out', '/tmp/x');
  t.is(r.code, 2);
  t.regex(r.stderr, /expected one RECORD/);
  r = await cli('annotate', 'x', '--out', '/tmp/x', '--annotator', 'a.b');
  t.is(r.code, 2);
  t.regex(r.stderr, /--annotator must be letters, digits or _, got 'a.b'/);
  r = await cli('annotate', 'x', '--out', '/tmp/x', '--mains', '55');
  t.is(r.code, 2);
  t.regex(r.stderr, /--mains must be 50 or 60 \(Hz\), got '55'/);
});

test('a missing record is bad usage (exit 2, as a missing model is) naming the header', async (t) => {
  const r = await cli('annotate', '/nonexistent/rec', '--out', '/tmp/x');
  t.is(r.code, 2);
  t.regex(r.stderr, /RECORD: no WFDB header \/nonexistent\/rec\.hea; a record is named by its path without extension/);
});

testNeeding(mitdb)('MIT-BIH record 100: every reference beat found', async (t) => {
  const out = await mkdtemp(join(tmpdir(), 'annotate-'));
  const r = await cli('annotate', join(mitdbDir, '100'), '--out', out);
  t.is(r.code, 0, r.stderr);
  const test_ = await readAnnotations(join(out, '100'), 'qrs');
  const ref = (await readAnnotations(join(mitdbDir, '100'))).filter((a) => isBeat(a.code));
  const m = matchBeats(ref.map((a) => a.sample), test_.map((a) => a.sample), 54);
  t.true(m.fn <= 2 && m.fp <= 2, `FN ${m.fn}, FP ${m.fp}`);
});

test('a header with a sampling frequency the pipeline cannot take is refused at once, naming the file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'arrhythminet-fs-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  // 1e8 Hz would design a resampling filter of gigabytes; the .dat is never read.
  await writeFile(join(dir, 'r1.hea'), 'r1 1 99999999 650000\nr1.dat 212 200 11 1024 0 0 0 MLII\n');
  const r = await cli('annotate', join(dir, 'r1'), '--out', join(dir, 'out'));
  t.is(r.code, 1);
  t.regex(r.stderr, /r1\.hea: sampling frequency 99999999 Hz; the pipeline takes an integer from 50 to 20000 Hz/);
});
