import test from 'ava';
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SdNotify } from '../../agent/src/agent/sd-notify.ts';
import { ConsoleView, formatEventLine } from '../../agent/src/agent/console-view.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';

/** A stand-in for systemd-notify that appends its arguments to a file. */
async function fakeNotify(): Promise<{ program: string; log: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'sd-notify-'));
  const log = join(dir, 'calls');
  const program = join(dir, 'systemd-notify');
  await writeFile(program, `#!/bin/sh\necho "$@" >> '${log}'\n`);
  await chmod(program, 0o755);
  return { program, log };
}

async function waitForLines(path: string, n: number): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const lines = (await readFile(path, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    if (lines.length >= n) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
  return [];
}

test('under systemd: READY=1 with status, WATCHDOG=1 at half of WATCHDOG_USEC, STOPPING=1; each with our pid', async (t) => {
  const { program, log } = await fakeNotify();
  const n = new SdNotify({ program, env: { NOTIFY_SOCKET: '/run/fake', WATCHDOG_USEC: '200000', PATH: process.env.PATH } });
  t.true(n.active);
  t.is(n.watchdogMs, 200);
  n.ready('synthetic');
  const lines = await waitForLines(log, 3);
  n.stopping();
  const all = await waitForLines(log, lines.length + 1);
  t.is(all[0], `--pid=${process.pid} READY=1 STATUS=synthetic`);
  t.true(all.slice(1, -1).length >= 2 && all.slice(1, -1).every((l) => l === `--pid=${process.pid} WATCHDOG=1`), all.join('\n'));
  t.is(all.at(-1), `--pid=${process.pid} STOPPING=1`);
});

test('without NOTIFY_SOCKET nothing is sent; a missing helper is reported once', async (t) => {
  const { program, log } = await fakeNotify();
  const off = new SdNotify({ program, env: { WATCHDOG_USEC: '200000' } });
  t.false(off.active);
  t.is(off.watchdogMs, null);
  off.ready();
  off.stopping();
  await new Promise((r) => setTimeout(r, 100));
  t.is(await readFile(log, 'utf8').catch(() => 'none'), 'none');
  const errors: Error[] = [];
  const missing = new SdNotify({ program: '/nonexistent/systemd-notify', env: { NOTIFY_SOCKET: '/run/fake' }, onError: (e) => errors.push(e) });
  missing.ready();
  await new Promise((r) => setTimeout(r, 100));
  missing.status('x');
  await new Promise((r) => setTimeout(r, 100));
  t.is(errors.length, 1);
});

test('console view: a line per beat, events set apart and coloured only on request', (t) => {
  let text = '';
  const out = new Writable({ write(c, _e, cb) { text += String(c); cb(); } });
  const view = new ConsoleView({ out, fs: 360 });
  const beat: ClassifiedBeat = { kind: 'classified', label: 'V', probs: [0.05, 0, 0, 0.05, 0.9], beat: { kind: 'beat', index: 3600, fs: 360, sourceIndex: 5000, sourceFs: 500, window: new Float32Array(0), windowStart: 3510, rrPrevMs: 500, rrLocalMs: 800, quality: 'good' } };
  view.beat(beat);
  view.event({ id: 's-1', type: 'couplet', phase: 'end', startSample: 3600, endSample: 3780, beats: 2, hrBpm: 120 });
  t.is(text, 'beat      10.00 s  V  RR    500 ms  HR  120 bpm  p=0.90\n>>> EVENT couplet end      10.00 s .. 10.50 s  (2 beats, 120 bpm)  id s-1\n');
  t.is(formatEventLine({ id: 'x', type: 'poor-signal', phase: 'start', startSample: 720, endSample: 720, beats: 0, detail: 'gap' }, 360), 'EVENT poor-signal start       2.00 s  (gap)  id x');
  let coloured = '';
  const tty = new Writable({ write(c, _e, cb) { coloured += String(c); cb(); } });
  new ConsoleView({ out: tty, fs: 360, color: true }).event({ id: 'v', type: 'vt', phase: 'start', startSample: 0, endSample: 0, beats: 3 });
  t.true(coloured.startsWith('\x1b[1m\x1b[31m>>> EVENT vt start'));
});
