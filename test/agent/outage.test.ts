/**
 * Outage acceptance (issue 5) with the real agent process: `arrhythminet run`
 * on a synthetic source with frequent PVCs publishes to a mosquitto started
 * here; the broker is stopped mid-stream while events keep coming, the agent is
 * SIGKILLed during the outage and restarted on the same outbox directory, the
 * broker comes back, and a subscriber with a persistent session receives every
 * event (id and phase) that either agent process produced. What was produced is
 * read from the agent's own debug log ('event: queued', one pino line per event
 * handed to the outbox). Duplicates are allowed (at least once) and counted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mosquitto, repoRoot, testNeeding } from '../helpers/requires.ts';
import { exited, writeMosquittoConf, startMosquitto } from '../helpers/mosquitto.ts';
import { collect, freePort, waitUntil } from '../publish/mqtt-helpers.ts';

const test = testNeeding(mosquitto);
const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

interface Agent { proc: ChildProcess; queued: string[]; recovered: number | null; stderr: string[] }

/** The agent process; collects the events it queued (`id phase`) from its JSON log. */
function startAgent(config: string): Agent {
  const proc = spawn(process.execPath, [bin, 'run', '--config', config, '--quiet'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  const a: Agent = { proc, queued: [], recovered: null, stderr: [] };
  createInterface({ input: proc.stderr! }).on('line', (line) => {
    a.stderr.push(line);
    if (!line.startsWith('{')) return;
    const rec = JSON.parse(line) as { msg: string; eventId?: string; phase?: string; outbox?: { pending: number } };
    if (rec.msg === 'event: queued') a.queued.push(`${rec.eventId} ${rec.phase}`);
    if (rec.msg === 'outbox: recovered') a.recovered = rec.outbox?.pending ?? 0;
  });
  return a;
}

test('every event the agent produced reaches a persistent subscriber across a broker outage and a SIGKILLed agent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'agent-outage-'));
  const port = await freePort();
  const conf = writeMosquittoConf(dir, port, { persistent: true });
  const config = join(dir, 'agent.yaml');
  writeFileSync(config, [
    'gateway: outage', 'channel: synth',
    // Real time, 100 bpm with a PVC every second: an isolated PVC or a couplet every 1-3 s.
    'source:', '  type: synthetic', '  heartRateBpm: 100', '  pvcEverySeconds: 1',
    'mqtt:', `  url: mqtt://127.0.0.1:${port}`, '  clientId: outage-agent', '  publishBeats: false',
    'outbox:', `  dir: ${join(dir, 'state')}`,
    'log:', '  level: debug', '',
  ].join('\n'));
  const agents: Agent[] = [];
  let broker = await startMosquitto(conf, port);
  t.teardown(async () => {
    for (const a of agents) if (a.proc.exitCode === null) a.proc.kill('SIGKILL');
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `mqtt://127.0.0.1:${port}`;
  const subOptions = { clientId: 'agent-outage-subscriber', clean: false, protocolVersion: 5 as const, properties: { sessionExpiryInterval: 3600 } };
  const sub = await collect(url, 'arrhythminet/v1/outage/synth/event', subOptions);

  // 1. The first agent runs and is heard.
  const a = startAgent(config);
  agents.push(a);
  t.true(await waitUntil(() => sub.messages.length >= 2, 20_000), `first agent heard; its log: ${a.stderr.slice(-5).join('\n')}`);

  // 2. Broker and subscriber go away; the agent keeps producing events into its outbox.
  await broker.stop();
  await sub.close();
  const atOutage = a.queued.length;
  t.true(await waitUntil(() => a.queued.length >= atOutage + 4, 15_000), 'events produced during the outage');

  // 3. SIGKILL during the outage; a new agent starts on the same outbox directory.
  a.proc.kill('SIGKILL');
  await exited(a.proc);
  const b = startAgent(config);
  agents.push(b);
  t.true(await waitUntil(() => b.recovered !== null && b.queued.length >= 4, 20_000), 'second agent recovers the outbox and produces events while the broker is down');
  t.true(b.recovered! >= 4, `the restarted agent found ${b.recovered} unsent events on disk`);

  // 4. The broker comes back; the subscriber returns to its persistent session.
  broker = await startMosquitto(conf, port);
  const back = await collect(url, 'arrhythminet/v1/outage/synth/event', subOptions);
  t.teardown(() => back.close());
  const all = () => [...sub.messages, ...back.messages];
  const received = () => new Set(all().map((m) => `${m.body.id} ${m.body.phase}`));
  const fromB = b.queued.length;
  const expected = [...a.queued, ...b.queued];
  await waitUntil(() => expected.every((k) => received().has(k)), 20_000);
  b.proc.kill('SIGTERM');
  await exited(b.proc);

  const got = received();
  const missing = expected.filter((k) => !got.has(k));
  t.deepEqual(missing, [], `missing ${missing.length} of ${expected.length}`);
  t.true(expected.length >= 10, `only ${expected.length} events produced`);
  const duplicates = all().length - got.size;
  t.log(`produced ${expected.length} (first agent ${a.queued.length}, ${a.queued.length - atOutage} during the outage; second ${fromB} by then); `
    + `recovered from disk ${b.recovered}; received ${all().length} messages, ${duplicates} duplicates`);
});
