import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { repoRoot } from '../helpers/requires.ts';

const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');
const SUMMARY = /^arrhythminet run: (.+?): (\d+\.\d) s of signal; frames good (\d+) corrupt (\d+) lost (\d+); samples (\d+) .*; beats (\d+) .*; events (\d+); drops (\d+)/m;

interface Outcome { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; exitedMs: number }

/** Runs `arrhythminet run ARGS` with stdout piped (so quiet); `onStderr` may act on the process as logs arrive. */
function runCli(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void, withModel = false): Promise<Outcome> {
  return new Promise((resolve) => {
    // The model is tested in test/agent/model-classifier.test.ts; here the wiring, without one.
    const child = spawn(process.execPath, [bin, 'run', ...(withModel ? [] : ['--no-model']), ...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot });
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

/** A config file in a fresh directory; the outbox goes there too (not into the checkout). */
async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'arrhythminet-run-'));
  const path = join(dir, 'agent.yaml');
  await writeFile(path, `${text}outbox:\n  dir: ${join(dir, 'state')}\n`);
  return path;
}

test('a fast synthetic run through the codec detects the beats, logs JSON only, and ends with a summary', async (t) => {
  const r = await runCli(['--config', await configFile('mqtt:\n  embeddedPort: 0\n'), '--duration', '60', '--fast']);
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

test('the embedded broker: its address is logged, a subscriber gets the retained status, beats and vitals', async (t) => {
  const path = await configFile('mqtt:\n  embeddedPort: 0\n  vitalsIntervalS: 2\n');
  const got: { topic: string; body: { state?: string } }[] = [];
  let client: mqtt.MqttClient | undefined;
  let stopped = false;
  const r = await runCli(['--config', path], (text, child) => {
    const m = /"broker":"(mqtt:\/\/127\.0\.0\.1:\d+)"/.exec(text);
    if (m && !client) {
      client = mqtt.connect(m[1], { protocolVersion: 4 });
      client.on('connect', () => client!.subscribe('arrhythminet/v1/#', { qos: 1 }));
      client.on('message', (topic, payload) => {
        got.push({ topic, body: JSON.parse(payload.toString()) as { state?: string } });
        if (!stopped && got.filter((g) => g.topic.endsWith('/vitals')).length >= 2) {
          stopped = true;
          child.kill('SIGTERM');
        }
      });
    }
  });
  client?.end(true);
  t.is(r.code, 0, r.stderr);
  t.truthy(client, 'broker address logged');
  const kinds = new Set(got.map((g) => g.topic.split('/').at(-1)));
  for (const k of ['status', 'beat', 'vitals']) t.true(kinds.has(k), `no ${k} message`);
  t.is(got.find((g) => g.topic.endsWith('/status'))!.body.state, 'online');
  t.true(got.every((g) => g.topic.startsWith('arrhythminet/v1/gateway/ecg0/')));
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
  const model = await runCli(['--config', await configFile('model:\n  path: /nonexistent/model.onnx\n')], undefined, true);
  t.is(model.code, 2);
  t.regex(model.stderr, /model\.path = \/nonexistent\/model\.onnx: cannot be loaded: .*\(--no-model runs without classification\)/);
  const duration = await runCli(['--duration', 'soon']);
  t.is(duration.code, 2);
  t.regex(duration.stderr, /--duration must be a number of seconds > 0; got 'soon'/);
});
