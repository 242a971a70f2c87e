import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';

const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');
const SUMMARY = /^arrhythminet run: (.+?): (\d+\.\d) s of signal; frames good (\d+) corrupt (\d+) lost (\d+); samples (\d+) .*; beats (\d+) .*; events (\d+); drops (\d+)/m;

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; exitedMs: number }

/** Runs `arrhythminet run ARGS` with stdout piped (so quiet); `onStderr` may act on the process as logs arrive. */
function runCli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, child);
    });
    // A hang guard, not a speed check.
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, exitedMs: Date.now() });
    });
  });
}

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'arrhythminet-run-'));
  const path = join(dir, 'agent.yaml');
  await writeFile(path, text);
  return path;
}

test('a fast synthetic run through the codec detects the beats, logs JSON only, and ends with a summary', async (t) => {
  const r = await runCli(['--duration', '60', '--fast']);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '', 'quiet when piped: nothing on stdout');
  const lines = r.stderr.trim().split('\n');
  const json = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string });
  const msgs = json.map((j) => j.msg);
  t.deepEqual(msgs.filter((m) => ['starting', 'running', 'stopped'].includes(m)), ['starting', 'running', 'stopped']);
  t.is(json.length, lines.length - 1, 'every stderr line but the summary is a JSON log line');
  const m = SUMMARY.exec(r.stderr);
  t.truthy(m, r.stderr);
  const [, why, signalS, good, corrupt, lost, samples, beats] = m!;
  t.is(why, 'source ended');
  t.is(Number(signalS), 60);
  t.is(Number(samples), 60 * 500);
  // 10 conversions per frame plus an info frame a second: 3000 + 60 (+1 at the end).
  t.true(Number(good) >= 3060, good);
  t.is(Number(corrupt), 0);
  t.is(Number(lost), 0);
  // 72 bpm with PVCs every 20 s, less the beats still inside the detector's delay at the end.
  t.true(Number(beats) >= 68 && Number(beats) <= 76, beats);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`a real-time run stops on ${signal}, drains, exits 0`, async (t) => {
    const path = await configFile('mqtt:\n  embeddedPort: 0\n');
    let sentAt = 0;
    const r = await runCli(['--config', path], (text, child) => {
      if (sentAt === 0 && text.includes('"msg":"running"')) {
        sentAt = -1;
        // Let a few seconds of signal through so there is something to drain.
        setTimeout(() => { sentAt = Date.now(); child.kill(signal); }, 2500);
      }
    });
    t.true(sentAt > 0, 'never started');
    t.is(r.signal, null);
    t.is(r.code, 0, r.stderr);
    const m = SUMMARY.exec(r.stderr);
    t.truthy(m, r.stderr);
    t.is(m![1], `stopped by ${signal}`);
    t.true(Number(m![2]) >= 2, m![2]);
    t.log(`exit ${r.exitedMs - sentAt} ms after ${signal}`);
  });
}

test('a bad config exits 2 with the loader\'s message naming the key; bad --duration too', async (t) => {
  const path = await configFile('source:\n  type: serial\n  path: /dev/null\n  baud: 1234\n');
  const bad = await runCli(['--config', path]);
  t.is(bad.code, 2);
  t.regex(bad.stderr, /source\.baud = 1234: must be one of/);
  const missing = await runCli(['--config', join(tmpdir(), 'no-such-arrhythminet.yaml')]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /cannot be read: ENOENT/);
  const duration = await runCli(['--duration', 'soon']);
  t.is(duration.code, 2);
  t.regex(duration.stderr, /--duration must be a number of seconds > 0; got 'soon'/);
});
