import test from 'ava';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';

const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');
const BEAT_LINE = /^t=\s*(\d+\.\d{3}) s {2}RR\s+(\d+) ms {2}HR\s+(\d+) bpm {2}([NVA]) {2}\S/;

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** Runs `arrhythminet run ARGS`; `onStdout` may act on the process as output arrives. */
function runCli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    // A hang guard, not a speed check: a clean stop takes well under a second.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

test('a short fast run prints one ground-truth line per beat and exits 0', async (t) => {
  const r = await runCli(['--duration', '20', '--fast', '--hr', '75']);
  t.is(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  t.true(lines.every((l) => BEAT_LINE.test(l)), lines.find((l) => !BEAT_LINE.test(l)));
  const beats = lines.map((l) => BEAT_LINE.exec(l)!).map((m) => ({ tSec: Number(m[1]), rrMs: Number(m[2]), hr: Number(m[3]), kind: m[4] }));
  // 20 s at 75 bpm: about 25 beats, among them the demo's PVCs and APCs.
  t.true(beats.length >= 20 && beats.length <= 30, `${beats.length} beats`);
  t.true(beats.some((b) => b.kind === 'V') && beats.some((b) => b.kind === 'A'));
  t.true(beats.every((b) => b.tSec <= 20));
  for (const b of beats) t.true(Math.abs(b.hr - 60000 / b.rrMs) <= 1);
  t.regex(r.stderr, /ground truth, not detections/);
  t.regex(r.stderr, new RegExp(`done after 20.0 s of signal: ${beats.length} beats`));
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`a real-time run stops cleanly on ${signal} once beats appear`, async (t) => {
    let sent = false;
    const r = await runCli([], (text, child) => {
      if (!sent && BEAT_LINE.test(text)) {
        sent = true;
        child.kill(signal);
      }
    });
    t.true(sent, 'no beat line appeared');
    t.is(r.signal, null);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stderr, new RegExp(`stopped by ${signal} after \\d+\\.\\d s of signal`));
  });
}

test('--config says it is not built yet and exits 2; bad values are named', async (t) => {
  const config = await runCli(['--config', 'agent.yaml']);
  t.is(config.code, 2);
  t.regex(config.stderr, /--config is not built yet/);
  const duration = await runCli(['--duration', 'soon']);
  t.is(duration.code, 2);
  t.regex(duration.stderr, /--duration must be a number > 0; got 'soon'/);
});
