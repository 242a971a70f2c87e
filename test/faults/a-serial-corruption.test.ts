/**
 * Issue 8 item 2(a): serial garbage, bit flips and dropped bytes at up to 10%.
 *
 * 1. The decoder alone (fast, exact): every frame the faults touched is lost and
 *    counted, every frame they did not touch is decoded, and no decoded sample
 *    differs from the clean stream's sample of the same index.
 * 2. End to end: the same kind of stream (synthetic ECG with known R peaks; 10%
 *    drops + 10% flips for 3 s, garbage and a reboot banner for 1 s, 1% faults
 *    for 4 s) is written into a socat pseudo-terminal read by the real
 *    `arrhythminet run` (serial source, the shipped model, its embedded broker).
 *    A subscriber checks that no beat inside or next to a corrupt stretch is
 *    classified, every classified beat is a true one, poor-signal ('gap')
 *    episodes cover the stretches, beats resume after each, the counters match
 *    what was injected, and the agent runs on until stopped.
 */
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OursDecoder, type SampleBlock } from '../../agent/src/sources/ads1292/index.ts';
import { loadPipelineSpec } from '../../agent/src/pipeline/model-spec.ts';
import { repoRoot, socat, testNeeding } from '../helpers/requires.ts';
import { collect, waitUntil } from '../publish/mqtt-helpers.ts';
import { corruptStream, FS, settings, type Stretch } from './corrupt-stream.ts';

const withSocat = testNeeding(socat);
const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

const STRETCHES: Stretch[] = [
  { startS: 8, endS: 11, fault: { dropRate: 0.1, flipRate: 0.1 } },
  { startS: 18, endS: 19, fault: 'garbage' },
  { startS: 26, endS: 30, fault: { dropRate: 0.01, flipRate: 0.01 } },
];
const DURATION_S = 40;

test('decoder: every touched frame is lost and counted, every untouched one decoded, no sample altered', (t) => {
  const bad = corruptStream(DURATION_S, STRETCHES);
  const clean = corruptStream(DURATION_S, []);
  const reference = new OursDecoder({ settings }).push(clean.bytes).filter((e): e is SampleBlock => e.kind === 'samples');
  const cleanMv = new Float32Array(DURATION_S * FS);
  for (const b of reference) cleanMv.set(b.mv[1], b.start);
  const d = new OursDecoder({ settings });
  const blocks: SampleBlock[] = [];
  // Odd-sized reads, as a UART delivers them.
  for (let i = 0; i < bad.bytes.length; i += 333) blocks.push(...d.push(bad.bytes.subarray(i, i + 333)).filter((e): e is SampleBlock => e.kind === 'samples'));
  const samples = blocks.reduce((n, b) => n + b.mv[1].length, 0);
  t.is(d.counters.samplesLost, bad.altered.length * 10, 'samples lost = 10 per altered data frame');
  t.is(d.counters.framesLost, bad.injected.dataFramesAltered);
  t.is(samples + d.counters.samplesLost, DURATION_S * FS, 'the sample clock is whole: decoded + lost = sent');
  t.is(d.counters.framesGood, DURATION_S * 51 - bad.injected.dataFramesAltered - bad.injected.infoFramesAltered, 'every untouched frame decoded');
  t.true(d.counters.framesCorrupt > 0 && d.counters.bytesSkipped >= bad.injected.garbageBytes);
  for (const b of blocks) b.mv[1].forEach((v, i) => { if (v !== cleanMv[b.start + i]) t.fail(`sample ${b.start + i} differs from the clean stream`); });
  t.log(`injected: ${JSON.stringify(bad.injected)}; decoder: ${JSON.stringify(d.counters)}`);
});

async function startSocat(dir: string): Promise<ChildProcess> {
  const child = spawn('socat', [`pty,raw,echo=0,link=${join(dir, 'ecg')}`, `pty,raw,echo=0,link=${join(dir, 'bridge')}`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(existsSync(join(dir, 'ecg')) && existsSync(join(dir, 'bridge'))); i++) await new Promise((r) => setTimeout(r, 20));
  return child;
}

interface BeatMsg { sample: number; label: string; probs: unknown; quality: { poor: boolean; gap: boolean } }
interface EventMsg { type: string; phase: string; startSample: number; endSample: number; detail?: string }

withSocat('through the real agent: no beat from corrupt data is classified, gaps are flagged, counters match, the agent runs on', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-corrupt-'));
  const socatProc = await startSocat(dir);
  const config = join(dir, 'agent.yaml');
  writeFileSync(config, JSON.stringify({
    gateway: 'faults', channel: 'a',
    source: { type: 'serial', path: join(dir, 'ecg'), rateHz: FS, gain: 6, vrefV: 2.42 },
    mqtt: { url: 'embedded', embeddedPort: 0, vitalsIntervalS: 1 },
    outbox: { dir: join(dir, 'state') },
    log: { level: 'info' },
  }));
  const agent = spawn(process.execPath, [bin, 'run', '--config', config, '--quiet'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  agent.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => agent.on('exit', (code) => r(code)));
  t.teardown(() => {
    if (agent.exitCode === null) agent.kill('SIGKILL');
    socatProc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  t.true(await waitUntil(() => /"broker":"mqtt:\/\/127\.0\.0\.1:\d+"/.test(stderr) && stderr.includes('"msg":"running"'), 30_000), stderr);
  const url = /"broker":"(mqtt:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)![1];
  // The embedded broker (aedes) speaks MQTT 3.1.1.
  const sub = await collect(url, 'arrhythminet/v1/faults/a/#', { protocolVersion: 4 });
  t.teardown(() => sub.close());
  // The port is opened as the agent starts; a moment for it, then the whole stream at once.
  await new Promise((r) => setTimeout(r, 1000));
  const stream = corruptStream(DURATION_S, STRETCHES);
  const fh = await open(join(dir, 'bridge'), 'w');
  await fh.write(stream.bytes);
  await fh.close();

  const spec = loadPipelineSpec();
  const toModel = (i: number) => Math.round((i * spec.fs) / FS);
  const lastTrue = toModel(stream.truthR.at(-1)!);
  const beats = () => sub.of('beat').map((m) => m.body as BeatMsg);
  // Beats trail the signal by up to ~2 s; the last ones come out at the stop's drain.
  t.true(await waitUntil(() => beats().some((b) => b.sample >= lastTrue - 3 * spec.fs), 60_000), `beats: ${beats().length}; ${stderr.slice(-800)}`);
  // Every byte read before the stop: the status message (each second) counts the good frames.
  const expectedGood = DURATION_S * 51 - stream.injected.dataFramesAltered - stream.injected.infoFramesAltered;
  await waitUntil(() => sub.of('status').some((m) => (m.body as { counters?: { frames: number } }).counters?.frames === expectedGood), 30_000);
  t.is(agent.exitCode, null, 'still running after the corrupt stretches');
  agent.kill('SIGTERM');
  const code = await exited;
  t.is(code, 0, stderr.slice(-800));
  t.false(/^\s+at /m.test(stderr), 'no stack trace');
  t.regex(stderr, /"msg":"serial: \S+ecg opened/, 'the open of the serial device is logged');
  await waitUntil(() => sub.of('status').some((m) => m.body.state === 'offline'), 3000);

  // Untrustworthy samples at the model rate: those of the altered frames. (Garbage between intact frames
  // corrupts no sample: the beats of the garbage stretch are real and may be classified.)
  const bad = stream.altered.map(([a, b]) => [toModel(a), toModel(b)] as [number, number]);
  const windowTouches = (idx: number) => bad.some(([a, b]) => idx + spec.after > a && idx - spec.before < b);
  const classified = beats().filter((b) => b.probs !== null);
  const truth = stream.truthR.map(toModel);
  const tol = Math.round(0.15 * spec.fs);
  const nearTruth = (idx: number) => truth.some((r) => Math.abs(r - idx) <= tol);
  const touching = classified.filter((b) => windowTouches(b.sample));
  t.deepEqual(touching.map((b) => b.sample), [], 'classified beats whose window overlaps an altered frame');
  t.deepEqual(classified.filter((b) => !nearTruth(b.sample)).map((b) => b.sample), [], 'classified beats that are not true beats (invented)');
  t.true(beats().filter((b) => b.probs === null).every((b) => b.label === 'Q' && b.quality.poor), 'unclassified beats say Q and poor');

  // Beats resume after each stretch: true beats 2 s or more from any stretch are found and classified.
  const farFromBad = truth.filter((r) => STRETCHES.every((s) => r < toModel(s.startS * FS) - 2 * spec.fs || r > toModel(s.endS * FS) + 2 * spec.fs) && r > 2 * spec.fs);
  const found = farFromBad.filter((r) => classified.some((b) => Math.abs(b.sample - r) <= tol));
  t.true(found.length >= 0.95 * farFromBad.length, `${found.length} of ${farFromBad.length} clean beats classified`);

  // Quality flagged: a poor-signal 'gap' episode covers each stretch with altered frames.
  const gaps = sub.of('event').map((m) => m.body as EventMsg).filter((e) => e.type === 'poor-signal' && e.phase === 'end' && e.detail === 'gap');
  for (const s of STRETCHES.filter((x) => x.fault !== 'garbage')) {
    const first = stream.altered.find(([a]) => a >= s.startS * FS)!;
    const last = stream.altered.filter(([a]) => a < s.endS * FS).at(-1)!;
    t.true(gaps.some((e) => e.startSample <= toModel(first[0]) && e.endSample >= toModel(last[1])),
      `no gap episode covers the altered frames of ${s.startS}-${s.endS} s (${first[0] / FS}-${last[1] / FS} s): ${gaps.map((e) => `${e.startSample / spec.fs}-${e.endSample / spec.fs} s`).join(', ')}`);
  }

  // Counters (the summary line): what was lost is what was injected.
  const m = /frames good (\d+) corrupt (\d+) lost (\d+); samples (\d+)/.exec(stderr);
  t.truthy(m, stderr.slice(-500));
  const [good, corrupt, lost] = [Number(m![1]), Number(m![2]), Number(m![3])];
  t.is(lost, stream.injected.dataFramesAltered, 'frames lost = data frames altered');
  t.is(good, expectedGood, 'every untouched frame decoded');
  t.true(corrupt > 0 && corrupt <= stream.injected.dataFramesAltered + stream.injected.infoFramesAltered, `corrupt ${corrupt}`);
  const status = sub.of('status').at(-1)!.body as { counters: { drops: number } };
  t.true(status.counters.drops >= lost * 10, `status drops ${status.counters.drops}`);
  t.log(`injected ${JSON.stringify(stream.injected)}; agent: frames good ${good}, corrupt ${corrupt}, lost ${lost}; `
    + `${beats().length} beats published, ${classified.length} classified, ${found.length}/${farFromBad.length} clean beats found; gap episodes ${gaps.map((e) => `${(e.startSample / spec.fs).toFixed(2)}-${(e.endSample / spec.fs).toFixed(2)} s`).join(', ')}`);
});

interface UniformRun { code: number | null; stderr: string; simulateSummary: string; beats: number; events: EventMsg[]; statuses: { counters: Record<string, unknown> }[] }

/**
 * `arrhythminet simulate --pty --realtime` with 10% drops and 10% flips on every
 * byte (no frame of ~100 bytes survives that) into `arrhythminet run`.
 */
async function uniformTenPercent(): Promise<UniformRun> {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-uniform-'));
  const config = join(dir, 'agent.yaml');
  writeFileSync(config, JSON.stringify({
    gateway: 'faults', channel: 'u', source: { type: 'serial', path: join(dir, 'ecg') },
    mqtt: { url: 'embedded', embeddedPort: 0, vitalsIntervalS: 1 }, outbox: { dir: join(dir, 'state') },
  }));
  const agent = spawn(process.execPath, [bin, 'run', '--config', config, '--quiet', '--no-model'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  agent.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => agent.on('exit', (code) => r(code)));
  try {
    await waitUntil(() => stderr.includes('"msg":"running"'), 30_000);
    const url = /"broker":"(mqtt:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)![1];
    const sub = await collect(url, 'arrhythminet/v1/faults/u/#', { protocolVersion: 4 });
    // The agent waits for the device; the simulator makes it appear (the link), as a plugged-in bridge.
    const sim = spawn(process.execPath, [bin, 'simulate', '--synthetic', '--pty', '--pty-link', join(dir, 'ecg'), '--realtime', '--duration', '6',
      '--drop-bytes', '0.1', '--bit-flips', '0.1', '--seed', '4'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let simErr = '';
    sim.stderr!.on('data', (d: Buffer) => (simErr += d.toString()));
    await new Promise((r) => sim.on('exit', r));
    await new Promise((r) => setTimeout(r, 1500));
    const stillRunning = agent.exitCode === null;
    agent.kill('SIGTERM');
    const code = await exited;
    await sub.close();
    return {
      code: stillRunning ? code : -1, stderr, simulateSummary: simErr.trim(), beats: sub.of('beat').length,
      events: sub.of('event').map((m) => m.body as EventMsg), statuses: sub.of('status').map((m) => m.body as UniformRun['statuses'][number]),
    };
  } finally {
    if (agent.exitCode === null) agent.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

let uniform: Promise<UniformRun> | null = null;
const uniformRun = () => (uniform ??= uniformTenPercent());

withSocat.serial('simulate at 10% everywhere into run: no beat, every frame counted corrupt, the agent runs on and stops cleanly', async (t) => {
  const r = await uniformRun();
  t.is(r.code, 0, `running until stopped, then exit 0: ${r.stderr.slice(-600)}`);
  t.false(/^\s+at /m.test(r.stderr), 'no stack trace');
  t.is(r.beats, 0, 'no beat from corrupt data');
  const m = /frames good (\d+) corrupt (\d+) lost (\d+)/.exec(r.stderr);
  t.truthy(m, r.stderr.slice(-500));
  const frames = Number(/(\d+) frames,/.exec(r.simulateSummary)![1]);
  t.is(Number(m![1]), 0);
  // Each frame that survives as a frame (sync bytes and length intact) fails its CRC; the rest is skipped as noise.
  t.true(Number(m![2]) > 0.3 * frames && Number(m![2]) <= frames, `corrupt ${m![2]} of ${frames} frames sent`);
  t.log(`${r.simulateSummary}; agent: ${m![0]}`);
});

// Bytes arrive, no frame is valid: after a quality block (1 s) the serial source stands GAP placeholders for the
// missing signal (serial-chunks.ts), which the pipeline reports as a poor-signal 'gap' episode; the status
// message carries the decoder's frame counters, so a subscriber sees corrupt frames rising with no good ones.
withSocat.serial('simulate at 10% everywhere into run: the garbled line is reported as poor signal and in the status counters', async (t) => {
  const r = await uniformRun();
  const poor = r.events.filter((e) => e.type === 'poor-signal');
  t.true(poor.length > 0, `no poor-signal event for ${r.simulateSummary}; events: ${JSON.stringify(r.events)}`);
  t.true(poor.every((e) => e.detail === 'gap'), JSON.stringify(poor));
  t.truthy(poor.find((e) => e.phase === 'start'));
  t.true(r.events.every((e) => e.type === 'poor-signal'), `only poor signal: ${r.events.map((e) => e.type).join(', ')}`);
  // Placeholders stand for most of the ~6 s the line was garbled (from 1 s into it until a block after its last byte).
  const m = /garbled-line placeholders (\d+)/.exec(r.stderr);
  t.truthy(m, r.stderr.slice(-500));
  const garbledS = Number(m![1]) / 500; // the device rate (config default)
  t.true(garbledS >= 3 && garbledS <= 8, `${garbledS} s of garbled-line placeholders`);
  const summary = /frames good (\d+) corrupt (\d+) lost (\d+)/.exec(r.stderr)!;
  const counted = r.statuses.filter((s) => s.counters).map((s) => s.counters as { frames: number; framesCorrupt?: number; framesLost?: number });
  t.true(counted.every((c) => c.frames === 0), 'no good frame in any status');
  t.true(counted.some((c) => (c.framesCorrupt ?? 0) > 0), `status counters: ${JSON.stringify(counted.at(-1))}`);
  t.true(counted.every((c) => (c.framesCorrupt ?? -1) >= 0 && (c.framesCorrupt ?? 0) <= Number(summary[2])), 'corrupt frames in the status, at most the final count');
  t.log(`poor-signal events ${poor.map((e) => `${e.phase} ${(e.startSample / 360).toFixed(2)}-${(e.endSample / 360).toFixed(2)} s`).join(', ')}; `
    + `garbled-line placeholders ${garbledS.toFixed(2)} s; last status counters ${JSON.stringify(counted.at(-1))}`);
});
