/**
 * The outage scenario against a real mosquitto (DESIGN.md section 7): events keep
 * coming while the broker is down, the publishing process is SIGKILLed during
 * the outage and restarted, the broker comes back, and a subscriber with a
 * persistent session receives every event id that was committed to the outbox.
 * Duplicates are allowed (at least once) and reported.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { mosquitto, repoRoot, testNeeding } from '../helpers/requires.ts';
import { exited, writeMosquittoConf, startMosquitto } from '../helpers/mosquitto.ts';
import { collect, freePort, waitUntil } from './mqtt-helpers.ts';
import { Publisher } from '../../agent/src/publish/client.ts';
import { Outbox } from '../../agent/src/publish/outbox/outbox.ts';
import { FileOutboxStore } from '../../agent/src/publish/outbox/file-store.ts';
import { buildBeat, buildEvent, buildVitals } from '../../agent/src/publish/payloads.ts';
import { validatePayload } from '../../agent/src/publish/validate.ts';
import { origin, T0 } from './examples.ts';

const test = testNeeding(mosquitto);

interface Child { proc: ChildProcess; lines: string[]; committed: string[] }

function startChild(env: Record<string, string>): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/publish/fixtures/publisher-child.ts')], {
    cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const c: Child = { proc, lines: [], committed: [] };
  createInterface({ input: proc.stdout! }).on('line', (l) => {
    c.lines.push(l);
    if (l.startsWith('committed ')) c.committed.push(l.slice(10));
  });
  return c;
}

test('every committed event reaches a persistent subscriber across a broker outage and a SIGKILLed publisher', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'outage-'));
  const port = await freePort();
  const conf = writeMosquittoConf(dir, port, { persistent: true });
  const children: Child[] = [];
  let broker = await startMosquitto(conf, port);
  t.teardown(async () => {
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `mqtt://127.0.0.1:${port}`;
  const subOptions = { clientId: 'outage-subscriber', clean: false, protocolVersion: 5 as const, properties: { sessionExpiryInterval: 3600 } };
  const sub = await collect(url, 'arrhythminet/v1/+/+/event', subOptions);
  const outbox = join(dir, 'outbox.log');

  // 1. The first publisher runs and is heard.
  const a = startChild({ MQTT_URL: url, OUTBOX: outbox, RUN: 'a', COUNT: '0' });
  children.push(a);
  t.true(await waitUntil(() => a.lines.includes('connected 5') && sub.messages.length >= 20, 15_000), 'first publisher connects with MQTT v5 and is heard');
  const m = sub.messages[0];
  t.is(m.properties?.contentType, 'application/json');

  // 2. The broker goes down; events keep coming and are committed to the outbox. The
  // subscriber goes away too, and comes back only after the publisher has drained: what
  // it gets then, the broker kept for it in its persistent session across the restart.
  await broker.stop();
  await sub.close();
  const atOutage = a.committed.length;
  t.true(await waitUntil(() => a.committed.length >= atOutage + 30, 10_000), 'events committed during the outage');

  // 3. The publisher is killed hard during the outage, and a new one starts on the same outbox.
  a.proc.kill('SIGKILL');
  await exited(a.proc);
  const b = startChild({ MQTT_URL: url, OUTBOX: outbox, RUN: 'b', COUNT: '40' });
  children.push(b);
  t.true(await waitUntil(() => b.committed.length === 40, 15_000), 'second publisher commits its events while the broker is still down');
  const recovered = Number(b.lines.find((l) => l.startsWith('recovered '))?.slice(10));
  t.true(recovered >= 20, `the restarted publisher found ${recovered} unsent events on disk`);

  // 4. The broker comes back; everything pending is sent.
  broker = await startMosquitto(conf, port);
  t.true(await waitUntil(() => b.lines.includes('drained'), 20_000), 'the outbox drains');
  const back = await collect(url, 'arrhythminet/v1/+/+/event', subOptions);
  t.teardown(() => back.close());
  const all = () => [...sub.messages, ...back.messages];
  const expected = [...a.committed, ...b.committed];
  const received = () => new Set(all().map((x) => x.body.id as string));
  await waitUntil(() => expected.every((id) => received().has(id)), 10_000);

  const got = received();
  const missing = expected.filter((id) => !got.has(id));
  t.deepEqual(missing, [], `missing ${missing.length} of ${expected.length}`);
  // First arrival follows production order: a's events, then b's.
  const firstSeen = [...got].filter((id) => expected.includes(id));
  t.deepEqual(firstSeen, expected);
  const duplicates = all().length - got.size;
  t.log(`committed ${expected.length} (a ${a.committed.length}, b ${b.committed.length}), received ${all().length} messages (${back.messages.length} kept by the broker's session), ${duplicates} duplicates, ${got.size - expected.length} uncommitted extras from the killed publisher`);
  b.proc.kill('SIGTERM');
  await exited(b.proc);
});

test('against mosquitto the publisher speaks MQTT v5: content type, beat expiry, retained status', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mosq-v5-'));
  const port = await freePort();
  const conf = writeMosquittoConf(dir, port, { persistent: false });
  const broker = await startMosquitto(conf, port);
  t.teardown(async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `mqtt://127.0.0.1:${port}`;
  const sub = await collect(url, 'arrhythminet/v1/#', { protocolVersion: 5 });
  const store = FileOutboxStore.open(join(dir, 'outbox.log'));
  const pub = new Publisher({ url, origin, outbox: new Outbox(store, 1 << 20), agentVersion: 'test', beatExpiryS: 45 });
  t.true(await waitUntil(() => pub.connected));
  t.is(pub.stats().protocolVersion, 5);
  pub.publishBeat(buildBeat(origin, { sample: 1, fs: 360, wallMs: T0, label: 'V', probs: [0, 0, 0, 0, 1] }));
  pub.publishVitals(buildVitals(origin, { wallMs: T0, intervalS: 10, hrBpm: 60, counts: { N: 10 } }));
  t.true(await waitUntil(() => sub.of('beat').length === 1 && sub.of('vitals').length === 1 && sub.of('status').length === 1));
  const beat = sub.of('beat')[0];
  t.is(beat.properties?.contentType, 'application/json');
  t.true(beat.properties!.messageExpiryInterval! <= 45 && beat.properties!.messageExpiryInterval! > 40);
  t.is(sub.of('vitals')[0].properties?.messageExpiryInterval, undefined);
  const status = sub.of('status')[0];
  t.is(status.body.versions.mqttProtocol, 5);
  t.true(validatePayload('status', status.body).valid);
  // Events through a file outbox with its default group commit: all arrive; latency is enqueue to PUBACK.
  const events = 500;
  for (let i = 0; i < events; i++) pub.publishEvent(buildEvent(origin, { id: `pvc-${i}`, type: 'pvc', phase: 'end', startSample: i, endSample: i, beats: 1 }, 360, T0));
  t.true(await waitUntil(() => sub.of('event').length === events && pub.stats().outbox.records === 0, 15_000));
  t.deepEqual(sub.of('event').map((e) => e.body.id), Array.from({ length: events }, (_, i) => `pvc-${i}`));
  t.log(`${events} events enqueued at once, enqueue-to-PUBACK latency ms: ${JSON.stringify(pub.stats().latencyMs)}`);
  await pub.close();
  t.true(await waitUntil(() => sub.of('status').at(-1)?.body.state === 'offline'));
  t.true(sub.of('status').at(-1)!.properties?.contentType === 'application/json');
  await sub.close();
});
