/**
 * Unplug acceptance (issue 5): the agent reads a serial bridge on a socat
 * pseudo-terminal; socat is killed (the device disappears) and restarted on
 * the same path (a replugged bridge restarting its sequence numbers). The agent
 * must reopen within 5 s and report a poor-signal 'gap' episode covering the
 * hole, with the sample clock still counting elapsed time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testNeeding, socat } from '../helpers/requires.ts';
import { startAgent } from '../../agent/src/agent/agent.ts';
import type { AgentSink } from '../../agent/src/agent/sink.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';
import { parseConfig } from '../../agent/src/config/load.ts';
import { OursEncoder } from '../../agent/src/sources/ads1292/index.ts';
import { SyntheticEcg } from '../../agent/src/sources/synthetic.ts';
import type { SerialStateChange } from '../../agent/src/sources/serial.ts';
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';

const test = testNeeding(socat);
const FS = 500;
const settings = { fsHz: FS, gain: [6, 6] as [number, number], vrefV: 2.42 };

async function startSocat(dir: string): Promise<ChildProcess> {
  const child = spawn('socat', [`pty,raw,echo=0,link=${join(dir, 'ecg')}`, `pty,raw,echo=0,link=${join(dir, 'bridge')}`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !(existsSync(join(dir, 'ecg')) && existsSync(join(dir, 'bridge'))); i++) await new Promise((r) => setTimeout(r, 20));
  return child;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function waitFor(pred: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const tick = () => (pred() ? resolve(true) : Date.now() - t0 > ms ? resolve(false) : setTimeout(tick, 20));
    tick();
  });
}

/** A bridge streaming the synthetic ECG in real time, on channel 2, 100 ms a write. */
async function stream(dir: string, ecg: SyntheticEcg, seconds: number): Promise<void> {
  const enc = new OursEncoder({ settings, samplesPerFrame: 10 });
  const fh: FileHandle = await open(join(dir, 'bridge'), 'w');
  try {
    await fh.write(enc.info());
    const t0 = Date.now();
    for (let k = 0; k < seconds * 10; k++) {
      const mv = ecg.next(FS / 10).mv;
      for (const f of enc.push(new Float32Array(mv.length), mv)) await fh.write(f);
      const due = t0 + (k + 1) * 100 - Date.now();
      if (due > 0) await sleep(due);
    }
  } finally {
    await fh.close();
  }
}

test.serial('a pty bridge that disappears and comes back is reopened within 5 s, with a gap episode covering the hole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-unplug-'));
  let child = await startSocat(dir);
  const config = await parseConfig({ source: { type: 'serial', path: join(dir, 'ecg'), rateHz: FS } }, 'test');
  const events: RhythmEvent[] = [];
  const beats: ClassifiedBeat[] = [];
  const states: (SerialStateChange & { atMs: number })[] = [];
  const sink: AgentSink = { beat: (b) => beats.push(b), event: (e) => events.push(e), vitals: () => {}, close: async () => {} };
  const agent = startAgent({ config, sinks: [sink], serial: { onState: (s) => states.push({ ...s, atMs: Date.now() }), serial: { initialBackoffMs: 100 } } });
  t.teardown(() => {
    agent.stop();
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  t.true(await waitFor(() => states.some((s) => s.state === 'open'), 5000), 'opened the pty');
  const ecg = new SyntheticEcg({ fs: FS, seed: 5, hrMeanBpm: 75 });
  await stream(dir, ecg, 6);
  const beatsBefore = beats.length;

  child.kill('SIGTERM');
  const unpluggedAt = Date.now();
  t.true(await waitFor(() => states.some((s) => s.state === 'waiting'), 5000), 'noticed the unplug');
  await sleep(3000);
  child = await startSocat(dir);
  const backAt = Date.now();
  const opens = () => states.filter((s) => s.state === 'open').length;
  t.true(await waitFor(() => opens() === 2, 5000), 'reopened within 5 s');
  const reopenedAt = states.filter((s) => s.state === 'open')[1].atMs;
  t.log(`reopened ${reopenedAt - backAt} ms after the pty came back (hole ${backAt - unpluggedAt} ms)`);
  // The replugged bridge restarts its sequence numbers, as a power-cycled one does.
  await stream(dir, ecg, 6);
  agent.stop();
  const snap = await agent.done;

  const gaps = events.filter((e) => e.type === 'poor-signal' && e.detail === 'gap');
  t.deepEqual(gaps.map((e) => e.phase), ['start', 'end'], events.map((e) => `${e.type} ${e.phase}`).join(', '));
  const end = gaps[1];
  const holeS = (reopenedAt - unpluggedAt) / 1000;
  const episodeS = (end.endSample - end.startSample) / agent.fs;
  t.log(`gap episode ${(end.startSample / agent.fs).toFixed(2)}..${(end.endSample / agent.fs).toFixed(2)} s (${episodeS.toFixed(2)} s) for a ${holeS.toFixed(2)} s hole`);
  // Covers the hole (quality blocks are 1 s, so it is rounded out to whole blocks).
  t.true(episodeS >= holeS - 0.2 && episodeS <= holeS + 2.5, `${episodeS} s episode, ${holeS} s hole`);
  // The sample clock kept counting through the hole: beats after it sit ~hole later than stream time without it.
  const after = beats.slice(beatsBefore).find((b) => b.beat.index > end.endSample);
  t.truthy(after, 'beats resumed after the hole');
  t.true(snap.source.holeSamples / FS >= holeS - 0.6, `${snap.source.holeSamples} placeholder samples`);
  t.is(snap.source.framesCorrupt, 0);
  t.is(snap.source.opens, 2);
  t.false(events.some((e) => e.type === 'pause'), 'no pause reported for the unplug');
});
