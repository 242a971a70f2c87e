import test from 'ava';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { SampleFlag } from '../../agent/src/signal.ts';
import { parseSimulateArgs, simulate } from '../../agent/src/cli/commands/simulate.ts';
import { resampler } from '../../agent/src/dsp/resampler.ts';
import { OpenViewDecoder, OursDecoder, type DecoderEvent, type FrameDecoder, type SampleBlock } from '../../agent/src/sources/ads1292/index.ts';
import { MITDB_PRIMARY_LEAD, readWholeSignal } from '../../agent/src/sources/wfdb/index.ts';
import { SerialSource } from '../../agent/src/sources/serial.ts';
import { SyntheticEcg } from '../../agent/src/sources/synthetic.ts';
import { mitdb, mitdbDir, repoRoot, socat, testNeeding } from '../helpers/requires.ts';

const withMitdb = testNeeding(mitdb);
const withSocat = testNeeding(socat);
const record100 = join(mitdbDir, '100');

function tmp(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-sim-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function run(args: string[]): Promise<{ file: Uint8Array; summary: string }> {
  const o = parseSimulateArgs(args);
  const summary = await simulate(o);
  return { file: readFileSync(o.out!), summary };
}

/** Sample value by index (mV) and flags of one channel (0-based; the ECG is on channel 2 by default), from decoded events. */
function byIndex(evs: DecoderEvent[], channel = 1): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (const b of evs.filter((e): e is SampleBlock => e.kind === 'samples')) {
    b.mv[channel].forEach((v, i) => m.set(b.start + i, [v, b.flags[channel][i]]));
  }
  return m;
}

test('bad options are usage errors naming the option and what is allowed', (t) => {
  t.throws(() => parseSimulateArgs(['--rate', '360']), { message: /--rate is 360; allowed: 125, 250, 500/ });
  t.throws(() => parseSimulateArgs(['--format', 'csv']), { message: /--format is 'csv'; allowed: ours, openview/ });
  t.throws(() => parseSimulateArgs(['--format', 'openview', '--rate', '500']), { message: /OpenView \(healthypi-v3\) streams at 125 SPS only/ });
  t.throws(() => parseSimulateArgs(['--record', '100', '--synthetic']), { message: /not both/ });
  t.throws(() => parseSimulateArgs(['--out', 'x', '--pty']), { message: /--out FILE or --pty, not both/ });
  t.throws(() => parseSimulateArgs(['--lead-off', '5']), { message: /--lead-off is '5'; expected START:DURATION/ });
  t.throws(() => parseSimulateArgs(['--drop-bytes', '1.5']), { message: /--drop-bytes is '1.5'; allowed: a probability/ });
  t.throws(() => parseSimulateArgs(['--duration', 'abc']), { message: /--duration is 'abc'; allowed: a number > 0/ });
  t.throws(() => parseSimulateArgs(['--layout', 'nope']), { message: /--layout is 'nope'; allowed: breakout-2017, healthypi-v3, breakout-2025/ });
  t.throws(() => parseSimulateArgs(['--frobnicate']), { message: /frobnicate/ });
  t.throws(() => parseSimulateArgs(['--ecg-channel', '3']), { message: /--ecg-channel is '3'; allowed: 1, 2/ });
  t.is(parseSimulateArgs([]).ecgChannel, 2);
  t.is(parseSimulateArgs(['--format', 'openview']).fsHz, 125);
});

withMitdb('a record streams as our frames that decode back to its resampled MLII lead', async (t) => {
  const dir = tmp(t);
  const { file, summary } = await run(['--record', record100, '--rate', '250', '--duration', '12', '--out', join(dir, 'a.bin')]);
  t.regex(summary, /MLII, 360 Hz -> 250 Hz\), ours: 3000 samples \(12\.0 s\)/);
  const d = new OursDecoder({ settings: { fsHz: 500, gain: [1, 1], vrefV: 4.033 } });
  const evs = d.push(file);
  t.is(evs.filter((e) => e.kind === 'info').length, 12);
  t.deepEqual(d.counters, { ...d.counters, framesCorrupt: 0, gaps: 0, bytesSkipped: 0, framesGood: 300 + 12 });
  const whole = await readWholeSignal(record100, { signal: MITDB_PRIMARY_LEAD, to: 360 * 13 });
  const expected = resampler(360, 250).process(whole).mv;
  const got = byIndex(evs);
  t.is(got.size, 3000);
  const lsb = 2420 / (6 * 8388607);
  for (let i = 0; i < 3000; i++) t.true(Math.abs(got.get(i)![0] - expected[i]) <= lsb, `sample ${i}`);
});

test('injected faults: corrupt frames never become samples, gaps keep the sample clock, lead-off and saturation are flagged', async (t) => {
  const dir = tmp(t);
  const common = ['--synthetic', '--seed', '3', '--rate', '500', '--duration', '30', '--lead-off', '4:1', '--saturate', '10:0.5'];
  const clean = byIndex(new OursDecoder({ settings: { fsHz: 500, gain: [6, 6], vrefV: 2.42 } })
    .push((await run([...common, '--out', join(dir, 'clean.bin')])).file));
  const d = new OursDecoder({ settings: { fsHz: 500, gain: [6, 6], vrefV: 2.42 } });
  const { summary } = await run([...common, '--drop-bytes', '0.0005', '--bit-flips', '0.0005', '--out', join(dir, 'bad.bin')]);
  const evs = d.push(readFileSync(join(dir, 'bad.bin')));
  t.regex(summary, /faults: \d+ bytes dropped, \d+ bits flipped/);
  const got = byIndex(evs);
  t.true(d.counters.framesCorrupt > 0 && d.counters.gaps > 0, JSON.stringify(d.counters));
  t.true(got.size > 0.8 * 15000);
  // Every decoded sample is the clean sample of the same index: nothing corrupt, nothing shifted.
  for (const [i, v] of got) t.deepEqual(v, clean.get(i), `sample ${i}`);
  t.is(got.size + d.counters.samplesLost, Math.max(...got.keys()) + 1);
  const flagged = (flag: number) => [...clean].filter(([, [, f]]) => f & flag).map(([i]) => i);
  t.deepEqual([Math.min(...flagged(SampleFlag.LEAD_OFF)), flagged(SampleFlag.LEAD_OFF).length], [2000, 500]);
  t.deepEqual([Math.min(...flagged(SampleFlag.SATURATED)), flagged(SampleFlag.SATURATED).length], [5000, 250]);
});

test('the synthetic ECG streams at the device rate and decodes back to the generator\'s samples', async (t) => {
  const dir = tmp(t);
  const { file, summary } = await run(['--synthetic', '--seed', '5', '--rate', '1000', '--duration', '3', '--out', join(dir, 's.bin')]);
  t.regex(summary, /synthetic ECG \(seed 5, .*\), ours: 3000 samples \(3\.0 s\)/);
  const got = byIndex(new OursDecoder({ settings: { fsHz: 1000, gain: [6, 6], vrefV: 2.42 } }).push(file));
  const expected = new SyntheticEcg({ fs: 1000, seed: 5 }).next(3000).mv;
  t.is(got.size, 3000);
  const lsb = 2420 / (6 * 8388607);
  for (let i = 0; i < 3000; i++) t.true(Math.abs(got.get(i)![0] - expected[i]) <= lsb, `sample ${i}`);
});

test.serial('--realtime paces on the monotonic clock: the wall clock stepping back an hour does not stall the stream', async (t) => {
  const dir = tmp(t);
  const realNow = Date.now;
  let calls = 0;
  // From the second reading on, the wall clock is an hour behind (an NTP step back).
  Date.now = () => realNow() - (calls++ > 0 ? 3_600_000 : 0);
  t.teardown(() => { Date.now = realNow; });
  t.timeout(20_000, 'pacing followed the stepped wall clock');
  const { file } = await run(['--synthetic', '--seed', '2', '--rate', '250', '--duration', '0.5', '--realtime', '--out', join(dir, 'r.bin')]);
  Date.now = realNow;
  t.is(byIndex(new OursDecoder({ settings: { fsHz: 250, gain: [6, 6], vrefV: 2.42 } }).push(file)).size, 125);
});

withMitdb('openview output decodes with the same preset', async (t) => {
  const dir = tmp(t);
  const { file } = await run(['--record', record100, '--format', 'openview', '--layout', 'breakout-2017', '--duration', '4', '--out', join(dir, 'o.bin')]);
  const d: FrameDecoder = new OpenViewDecoder({ layout: 'breakout-2017' });
  const got = byIndex(d.push(file), 0);
  t.is(got.size, 500);
  t.is(d.counters.bytesSkipped, 0);
  const whole = await readWholeSignal(record100, { signal: MITDB_PRIMARY_LEAD, to: 360 * 5 });
  const expected = resampler(360, 125).process(whole).mv;
  for (let i = 0; i < 500; i++) t.true(Math.abs(got.get(i)![0] - expected[i]) < 0.004, `sample ${i}`);
});

withSocat('--pty --realtime: the serial source reads the stream from the printed pty path', async (t) => {
  const child = spawn(process.execPath, [join(repoRoot, 'agent', 'bin', 'arrhythminet.js'), 'simulate', '--synthetic',
    '--pty', '--realtime', '--duration', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => { child.kill('SIGINT'); });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  const path = line.toString().trim();
  t.regex(path, /^\/dev\/pts\/\d+$/);
  const source = new SerialSource({ path, baudRate: 115200, silenceTimeoutMs: 0 });
  const d = new OursDecoder({ settings: { fsHz: 500, gain: [6, 6], vrefV: 2.42 } });
  let samples = 0;
  source.on('data', (b) => d.push(b).forEach((e) => { if (e.kind === 'samples') samples += e.mv[0].length; }));
  source.start();
  const t0 = Date.now();
  while (samples < 500 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
  await source.stop();
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  t.true(samples >= 500, `received ${samples} samples`);
  t.is(d.counters.framesCorrupt, 0);
  t.is(code, 0);
});

withMitdb('a run that fails part way (a .dat shorter than its header) leaves the file already at --out as it was', async (t) => {
  const dir = tmp(t);
  // Record 100 with its signal file cut to 10 s: the header promises 30 min.
  for (const ext of ['hea', 'dat']) copyFileSync(join(mitdbDir, `100.${ext}`), join(dir, `100.${ext}`));
  truncateSync(join(dir, '100.dat'), 360 * 3 * 10);
  const out = join(dir, 'keep.bin');
  writeFileSync(out, 'frames of an earlier run');
  await t.throwsAsync(simulate(parseSimulateArgs(['--record', join(dir, '100'), '--duration', '60', '--out', out])), { message: /100\.dat/ });
  t.is(readFileSync(out, 'utf8'), 'frames of an earlier run');
  t.deepEqual(readdirSync(dir).filter((f) => f.includes('partial')), [], 'no partial file left behind');
  // A complete run replaces it.
  await simulate(parseSimulateArgs(['--synthetic', '--duration', '2', '--out', out]));
  t.true(statSync(out).size > 1000);
});

test('--out to a device is written in place (not renamed over), and a full one is a clear error', async (t) => {
  if (!existsSync('/dev/full')) { t.pass('no /dev/full here'); return; }
  await t.throwsAsync(simulate(parseSimulateArgs(['--synthetic', '--duration', '20', '--out', '/dev/full'])), { message: /cannot write \/dev\/full: ENOSPC/ });
  t.true(statSync('/dev/full').isCharacterDevice(), '/dev/full is still the device');
  t.false(existsSync(`/dev/full.partial-${process.pid}`));
});

withSocat('--pty-link where socat cannot make it is a usage error saying why, not a printed link and EPIPE', async (t) => {
  const dir = tmp(t);
  const link = join(dir, 'no-such-dir', 'ecg');
  const e = await t.throwsAsync(simulate(parseSimulateArgs(['--synthetic', '--pty', '--duration', '5', '--pty-link', link])));
  t.is(e?.name, 'UsageError');
  t.regex(e?.message ?? '', /--pty-link .*no-such-dir\/ecg: socat could not make the link \(symlink\(.*No such file or directory\)/);
});
