/**
 * Issue 8 item 2(f): a wall-clock jump (NTP step, RTC set at boot, an operator's
 * `date -s`) must not disturb the sample clock. The agent reads a serial bridge
 * (MockBinding) and takes its wall time from an injected clock, which the test
 * jumps back an hour and forward two while the stream flows. Compared with the
 * same stream under a steady clock: the same beats at the same sample indices,
 * the same events with the same sample bounds, indices strictly increasing, and
 * each beat's wall time consistent with its sample index and the clock of the
 * moment (sample time is the truth; wall time is carried alongside).
 *
 * The synthetic source and the real-time WFDB replay pace themselves on the
 * monotonic clock: under sinon fake timers whose wall clock is stepped back and
 * forward they deliver the same samples at the same moments as under a steady
 * clock, and their chunks' wall times come from the sample index.
 */
import test from 'ava';
import sinon from 'sinon';
import { join } from 'node:path';
import type { Observable } from 'rxjs';
import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import { startAgent, type AgentSnapshot } from '../../agent/src/agent/agent.ts';
import type { AgentSink } from '../../agent/src/agent/sink.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';
import { parseConfig } from '../../agent/src/config/load.ts';
import { syntheticEcg$ } from '../../agent/src/sources/synthetic.ts';
import { wfdbReplay$ } from '../../agent/src/sources/wfdb-replay.ts';
import type { SampleChunk } from '../../agent/src/signal.ts';
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';
import { waitUntil } from '../publish/mqtt-helpers.ts';
import { encodeSamples, syntheticAdc, tempDir } from '../sources/wfdb/fixtures.ts';
import { corruptStream, FS } from './corrupt-stream.ts';
import { recordingBinding } from '../helpers/mock-serial.ts';

const PATH = '/dev/ttyJUMP0';
const HOUR_MS = 3_600_000;
const DURATION_S = 30;
/** Wall-clock time of the stream's start: any fixed date. */
const T0_MS = Date.UTC(2026, 10, 24, 4, 0, 0);

interface Run {
  beats: { index: number; wallMs: number | undefined }[];
  events: RhythmEvent[];
  snap: AgentSnapshot;
}


/**
 * Streams DURATION_S s of synthetic ECG into the agent one second at a time; the
 * wall clock advances a second per second of signal, plus `jumpMs(second)`.
 */
async function runWithClock(jumpMs: (second: number) => number): Promise<Run> {
  MockBinding.reset();
  MockBinding.createPort(PATH);
  const { binding, opened } = recordingBinding();
  const config = await parseConfig({ source: { type: 'serial', path: PATH, rateHz: FS } }, 'test');
  let wallMs = T0_MS;
  const beats: Run['beats'] = [];
  const events: RhythmEvent[] = [];
  const sink: AgentSink = {
    beat: (b: ClassifiedBeat) => beats.push({ index: b.beat.index, wallMs: b.beat.wallMs }),
    event: (e) => events.push(e),
    vitals: () => {},
    close: async () => {},
  };
  const agent = startAgent({ config, sinks: [sink], serial: { serial: { binding, initialBackoffMs: 20, silenceTimeoutMs: 0 }, now: () => wallMs } });
  try {
    if (!(await waitUntil(() => opened.length === 1 && opened[0].isOpen, 5000))) throw new Error('the mock port never opened');
    // Tachycardia at 120 bpm: an episode that starts before the first step, is updated across both, and ends at the stop.
    const { bytes } = corruptStream(DURATION_S, [], 7, { hrMeanBpm: 120, noise: { baselineMv: 0.05, muscleMv: 0.01 } });
    const perSecond = Math.ceil(bytes.length / DURATION_S);
    for (let s = 0; s < DURATION_S; s++) {
      wallMs = T0_MS + (s + 1) * 1000 + jumpMs(s);
      opened[0].emitData(Buffer.from(bytes.subarray(s * perSecond, (s + 1) * perSecond)));
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitUntil(() => agent.snapshot().samplesAtModelRate >= (DURATION_S - 0.1) * 360, 5000);
  } finally {
    agent.stop();
  }
  const snap = await agent.done;
  return { beats, events, snap };
}

const jumps = (s: number) => (s >= 20 ? 2 * HOUR_MS : s >= 10 ? -HOUR_MS : 0);

test.serial('serial source: a wall clock stepped back 1 h and forward 2 h leaves beats and events on the same sample indices', async (t) => {
  const steady = await runWithClock(() => 0);
  const jumped = await runWithClock(jumps);
  t.true(steady.beats.length >= 0.9 * (DURATION_S - 3) * 2, `${steady.beats.length} beats`);
  const tachy = steady.events.filter((e) => e.type === 'tachycardia');
  t.true(tachy.length >= 3 && tachy[0].startSample < 10 * 360 && tachy.at(-1)!.phase === 'end', steady.events.map((e) => `${e.type} ${e.phase}`).join(', '));
  t.deepEqual(jumped.beats.map((b) => b.index), steady.beats.map((b) => b.index), 'same beats, same sample indices');
  t.true(jumped.beats.every((b, i) => i === 0 || b.index > jumped.beats[i - 1].index), 'indices strictly increasing');
  const eventKey = (e: RhythmEvent) => `${e.type} ${e.phase} ${e.startSample}-${e.endSample} ${e.detail ?? ''}`;
  t.deepEqual(jumped.events.map(eventKey), steady.events.map(eventKey), 'same events on the same samples (no extra pause or gap from the jumps)');
  t.true(jumped.events.every((e) => e.endSample >= e.startSample), 'events end after they start');
  const ends = jumped.events.filter((e) => e.phase === 'end');
  t.true(ends.every((e) => e.endWallMs === undefined || e.startWallMs === undefined || e.endWallMs - e.startWallMs > -1.5 * HOUR_MS), 'wall bounds given');
  t.is(jumped.snap.source.holeSamples, 0, 'no placeholder samples: a wall-clock step is not a hole');
  t.is(jumped.snap.source.samplesLost, 0);

  // Wall time is carried alongside: wallMs - (index / fs) is the clock's offset, to within the second of
  // arrival granularity (a chunk is stamped when it is decoded). The pipeline anchors a beat's wall time on
  // the latest chunk it has seen, which is up to ~2 s (its delay) past the R peak: a beat just before a
  // step can carry the clock from after it. Either way, one clock offset, never a mixture.
  const offsets = (r: Run) => r.beats.map((b) => ({ s: b.index / 360, off: b.wallMs! - T0_MS - (b.index * 1000) / 360 }));
  let stampedAfter = 0;
  for (const { s, off } of offsets(jumped)) {
    const candidates = [0, 1, 2, 3].map((d) => jumps(Math.floor(s) + d));
    const match = candidates.findIndex((c) => Math.abs(off - c) <= 1500);
    t.true(match >= 0, `beat at ${s.toFixed(2)} s: wall offset ${off} ms; clock offsets then and up to 3 s later ${candidates.join(', ')}`);
    if (candidates[match] !== candidates[0]) stampedAfter++;
  }
  // Two steps, each within ~2.5 s of pipeline delay of at most ~5 beats at 120 bpm.
  t.true(stampedAfter <= 10, `${stampedAfter} beats stamped with the clock after a step`);
  const steadyOff = offsets(steady).map((o) => o.off);
  t.log(`${steady.beats.length} beats, ${steady.events.length} events; ${stampedAfter} beats near a step carry the clock after it; steady-clock wall offsets ${Math.min(...steadyOff).toFixed(0)}..${Math.max(...steadyOff).toFixed(0)} ms`);
});

/** Fake timers over the wall clock (Date) and the monotonic one (performance.now), which `setSystemTime` leaves alone. */
const FAKE_CLOCKS = ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] as const;

/**
 * Samples a real-time source has delivered at each 100 ms of a fake clock over
 * 7 s, with the wall clock stepped by `stepMs(t)` at t = 2 s (back) and 4 s
 * (forward). Between ticks, real I/O (the WFDB reader's file reads) is let run
 * until the source waits on a timer again.
 */
async function pacedCounts(source: () => Observable<SampleChunk>, steps: { atMs: number; byMs: number }[]) {
  const clock = sinon.useFakeTimers({ now: T0_MS, toFake: [...FAKE_CLOCKS] });
  const chunks: SampleChunk[] = [];
  let done = false;
  const sub = source().subscribe({ next: (c) => chunks.push(c), complete: () => { done = true; }, error: () => { done = true; } });
  // Up to 5 s of real time (process.hrtime is not faked) for the source to wait on a timer again.
  const settle = async () => {
    const until = process.hrtime.bigint() + 5_000_000_000n;
    while (!done && clock.countTimers() === 0 && process.hrtime.bigint() < until) await new Promise((r) => setImmediate(r));
  };
  const counts: number[] = [];
  try {
    for (let ms = 100; ms <= 7000; ms += 100) {
      await settle();
      for (const s of steps) if (s.atMs === ms) clock.setSystemTime(Date.now() + s.byMs);
      await clock.tickAsync(100);
      await settle();
      counts.push(chunks.reduce((n, c) => n + c.mv.length, 0));
    }
  } finally {
    sub.unsubscribe();
    clock.restore();
  }
  return { counts, chunks };
}

const STEPS = [{ atMs: 2000, byMs: -HOUR_MS }, { atMs: 4000, byMs: 2 * HOUR_MS }];

/** Same delivery, second by second, with and without the steps; contiguous indices; wall time = start + index / fs. */
async function assertPacingIgnoresSteps(t: import('ava').ExecutionContext, fs: number, source: () => Observable<SampleChunk>) {
  const steady = await pacedCounts(source, []);
  const stepped = await pacedCounts(source, STEPS);
  // Real time: each 100 ms tick releases the 100 ms of signal it made due, no more, no less.
  t.deepEqual(steady.counts, steady.counts.map((_, i) => ((i + 1) * 100 * fs) / 1000), 'steady clock: paced in real time');
  t.deepEqual(stepped.counts, steady.counts, 'a wall clock stepped back 1 h and forward 2 h: the same samples at the same moments (no stall, no burst)');
  t.true(stepped.chunks.every((c, i) => i === 0 || c.start === stepped.chunks[i - 1].start + stepped.chunks[i - 1].mv.length), 'contiguous sample indices');
  t.true(stepped.chunks.every((c) => c.wallMs === T0_MS + (c.start * 1000) / fs), 'wall time = start + index / fs, whatever the clock did');
  t.log(`${stepped.counts.at(-1)} samples in 7 s at ${fs} Hz, steps at 2 s and 4 s; samples at 2.1 s ${stepped.counts[20]}, at 4.1 s ${stepped.counts[40]}`);
}

test.serial('synthetic source: paced on the monotonic clock, a wall clock stepped back and forward changes nothing', async (t) => {
  await assertPacingIgnoresSteps(t, 250, () => syntheticEcg$({ fs: 250, seed: 2 }, { pace: 'realtime' }));
});

test.serial('WFDB real-time replay: paced on the monotonic clock, a wall clock stepped back and forward changes nothing', async (t) => {
  const tmp = await tempDir();
  t.teardown(() => tmp.remove());
  await tmp.write('paced.hea', 'paced 1 250 7500\npaced.dat 16 200 16 0 0 0 0 MLII\n');
  await tmp.write('paced.dat', encodeSamples(16, syntheticAdc(7500, 12, 5)));
  await assertPacingIgnoresSteps(t, 250, () => wfdbReplay$({ record: join(tmp.dir, 'paced'), signal: 'MLII', speed: 'realtime' }));
});

/** Yanks the mock cable: the pending read fails with EIO and the device node goes away (as test/sources/serial.test.ts). */
function unplug(p: MockPortBinding): void {
  MockBinding.reset();
  const pending = (p as unknown as { pendingRead: ((err: Error) => void) | null }).pendingRead;
  if (!pending) throw new Error('test bug: no read pending on the mock port');
  pending(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
}

test.serial('serial source: a wall clock stepped forward 1 h during an unplug does not turn a 1 s hole into an hour of placeholders', async (t) => {
  MockBinding.reset();
  MockBinding.createPort(PATH);
  const { binding, opened } = recordingBinding();
  const config = await parseConfig({ source: { type: 'serial', path: PATH, rateHz: FS } }, 'test');
  let wallMs = T0_MS;
  const events: RhythmEvent[] = [];
  const sink: AgentSink = { beat: () => {}, event: (e) => events.push(e), vitals: () => {}, close: async () => {} };
  const agent = startAgent({ config, sinks: [sink], serial: { serial: { binding, initialBackoffMs: 20, silenceTimeoutMs: 0 }, now: () => wallMs, fillEveryMs: 100 } });
  t.teardown(() => agent.stop());
  t.true(await waitUntil(() => opened.length === 1 && opened[0].isOpen, 5000));
  const { bytes } = corruptStream(10, []);
  const half = Math.floor(bytes.length / 2);
  wallMs += 5000;
  opened[0].emitData(Buffer.from(bytes.subarray(0, half)));
  await waitUntil(() => agent.snapshot().samplesAtModelRate >= 4 * 360, 5000);
  unplug(opened[0]);
  const unpluggedAt = performance.now();
  // NTP steps the clock forward an hour while the cable is out; about a second really passes.
  wallMs += HOUR_MS;
  await new Promise((r) => setTimeout(r, 1000));
  MockBinding.createPort(PATH);
  t.true(await waitUntil(() => opened.length === 2 && opened[1].isOpen, 5000), 'reopened');
  const holeS = (performance.now() - unpluggedAt) / 1000;
  wallMs += 5000;
  // The replugged bridge restarts its sequence numbers (a fresh stream).
  opened[1].emitData(Buffer.from(corruptStream(5, []).bytes));
  await waitUntil(() => agent.snapshot().source.framesGood >= 2 * 5 * 51 - 2, 5000);
  agent.stop();
  const snap = await agent.done;
  const placeholdersS = snap.source.holeSamples / FS;
  t.log(`hole really ${holeS.toFixed(2)} s; placeholders ${placeholdersS.toFixed(2)} s`);
  t.true(placeholdersS <= holeS + 1, `${placeholdersS.toFixed(1)} s of placeholders for a ${holeS.toFixed(1)} s hole`);
});
