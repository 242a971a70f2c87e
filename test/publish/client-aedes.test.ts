import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import test from 'ava';
import { pino } from 'pino';
import { startEmbeddedBroker } from '../../agent/src/publish/broker.ts';
import { Publisher, type PublisherOptions } from '../../agent/src/publish/client.ts';
import { REDACT_PATHS } from '../../agent/src/publish/connect-options.ts';
import { Outbox } from '../../agent/src/publish/outbox/outbox.ts';
import { FileOutboxStore } from '../../agent/src/publish/outbox/file-store.ts';
import { MemoryOutboxStore } from '../../agent/src/publish/outbox/memory-store.ts';
import { buildBeat, buildEvent } from '../../agent/src/publish/payloads.ts';
import { validatePayload } from '../../agent/src/publish/validate.ts';
import { collect, freePort, waitUntil } from './mqtt-helpers.ts';
import { examples, origin, rhythmEvent, T0 } from './examples.ts';

const dir = mkdtempSync(join(tmpdir(), 'publish-aedes-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

const fastReconnect = { initialMs: 50, maxMs: 200 };
const event = (i: number) => buildEvent(origin, rhythmEvent({ id: `pvc-${i}`, type: 'pvc', phase: 'end' }), 360, T0 + i);
const beat = (i: number) => buildBeat(origin, { sample: i * 300, fs: 360, wallMs: T0 + i, label: 'N', probs: [0.9, 0.025, 0.025, 0.025, 0.025] });

function publisher(url: string, over: Partial<PublisherOptions> = {}): Publisher {
  return new Publisher({ url, origin, outbox: new Outbox(new MemoryOutboxStore(), 1 << 20), agentVersion: '0.1.0-test', reconnect: fastReconnect, ...over });
}

test('embedded broker: ephemeral port, clean stop, and a clear error for a port in use', async (t) => {
  const a = await startEmbeddedBroker({ port: 0 });
  t.true(a.port > 0);
  t.is(a.url, `mqtt://127.0.0.1:${a.port}`);
  await t.throwsAsync(startEmbeddedBroker({ port: a.port }), { message: new RegExp(`cannot listen on 127.0.0.1:${a.port}: the port is in use`) });
  await a.close();
  const b = await startEmbeddedBroker({ port: a.port });
  await b.close();
  await t.throwsAsync(startEmbeddedBroker({ port: 70000 }), { message: /port: must be an integer from 0 to 65535, got 70000/ });
});

test('falls back to MQTT 3.1.1 against aedes; retained online status, QoS 0 beats, QoS 1 events, all valid', async (t) => {
  const broker = await startEmbeddedBroker({ port: 0 });
  t.teardown(() => broker.close());
  const sub = await collect(broker.url, 'arrhythminet/v1/#');
  const pub = publisher(broker.url);
  await waitUntil(() => pub.connected);
  t.is(pub.stats().protocolVersion, 4);
  for (let i = 0; i < 5; i++) t.true(pub.publishBeat(beat(i)));
  for (let i = 0; i < 5; i++) pub.publishEvent(event(i));
  pub.publishExplain(examples().explain);
  t.true(await waitUntil(() => sub.of('event').length === 5 && sub.of('beat').length === 5 && sub.of('explain').length === 1));
  t.is(sub.of('explain')[0].qos, 1);
  t.deepEqual(sub.of('explain')[0].body, examples().explain);
  const status = sub.of('status')[0];
  t.is(status.body.state, 'online');
  t.is(status.body.versions.mqttProtocol, 4);
  t.true(validatePayload('status', status.body).valid);
  t.true(sub.of('beat').every((m) => m.qos === 0 && validatePayload('beat', m.body).valid));
  t.true(sub.of('event').every((m) => m.qos === 1 && validatePayload('event', m.body).valid));
  t.deepEqual(sub.of('event').map((m) => m.body.id), [0, 1, 2, 3, 4].map((i) => `pvc-${i}`));
  t.true(await waitUntil(() => pub.stats().outbox.records === 0), 'acknowledged events leave the outbox');
  t.not(pub.stats().latencyMs.p50, null);

  // A late subscriber still sees the retained status.
  const late = await collect(broker.url, 'arrhythminet/v1/+/+/status');
  t.true(await waitUntil(() => late.messages.length === 1));
  t.true(late.messages[0].retain);
  await pub.close();
  t.true(await waitUntil(() => sub.of('status').at(-1)?.body.state === 'offline'), 'close() says offline');
  await Promise.all([sub.close(), late.close()]);
});

test('the last will says offline (retained) when the connection dies without DISCONNECT', async (t) => {
  const broker = await startEmbeddedBroker({ port: 0 });
  t.teardown(() => broker.close());
  const sub = await collect(broker.url, 'arrhythminet/v1/+/+/status');
  const pub = publisher(broker.url, { reconnect: { initialMs: 60_000, maxMs: 60_000 } });
  t.true(await waitUntil(() => sub.messages.length === 1));
  // Kill the agent's side of the connection the way a crash or a pulled cable would.
  for (const c of Object.values((broker.aedes as unknown as { clients: Record<string, { conn: { destroy(): void } }> }).clients)) c.conn.destroy();
  t.true(await waitUntil(() => sub.messages.at(-1)?.body.state === 'offline'));
  t.true(validatePayload('status', sub.messages.at(-1)!.body).valid);
  await pub.close();
  await sub.close();
});

test('events published while the broker is down all arrive once it is up, in order; beats are shed and counted', async (t) => {
  const port = await freePort();
  const store = FileOutboxStore.open(join(dir, 'down.log'), { commitIntervalMs: 20 });
  const pub = publisher(`mqtt://127.0.0.1:${port}`, { outbox: new Outbox(store, 1 << 20) });
  const durable: Promise<boolean>[] = [];
  for (let i = 0; i < 200; i++) {
    durable.push(pub.publishEvent(event(i)).durable);
    t.false(pub.publishBeat(beat(i)));
  }
  t.true((await Promise.all(durable)).every(Boolean));
  t.is(pub.stats().beatsShed, 200);
  t.is(pub.stats().outbox.records, 200);

  const broker = await startEmbeddedBroker({ port });
  t.teardown(() => broker.close());
  const sub = await collect(broker.url, 'arrhythminet/v1/+/+/event');
  // Mid-stream outage: stop the broker, keep producing, bring it back on the same port.
  t.true(await waitUntil(() => sub.messages.length >= 200, 15_000));
  await broker.close();
  for (let i = 200; i < 300; i++) pub.publishEvent(event(i));
  const again = await startEmbeddedBroker({ port });
  t.teardown(() => again.close());
  t.true(await waitUntil(() => pub.connected && sub.client.connected, 15_000));
  await new Promise<void>((r) => sub.client.subscribe('arrhythminet/v1/+/+/event', { qos: 1 }, () => r()));
  for (let i = 300; i < 400; i++) pub.publishEvent(event(i));
  t.true(await waitUntil(() => pub.stats().outbox.records === 0, 15_000));
  // The broker acknowledges before it forwards: give the subscriber its moment.
  await waitUntil(() => new Set(sub.messages.map((m) => m.body.id)).has('pvc-399'), 5_000);

  // The subscriber had no session to keep messages for it while it resubscribed; all the
  // publisher knows is that the broker acknowledged every event. Those published after
  // the subscriber was back must all be there, in order.
  const ids = sub.messages.map((m) => Number(m.body.id.slice(4)));
  const first = ids.slice(0, 200);
  t.deepEqual(first, Array.from({ length: 200 }, (_, i) => i));
  const tail = ids.filter((i) => i >= 300);
  t.deepEqual([...new Set(tail)], Array.from({ length: 100 }, (_, i) => 300 + i));
  t.true(pub.stats().connects >= 2);
  // The retained birth status after the reconnect counts the shed beats as drops.
  const status = await collect(again.url, 'arrhythminet/v1/+/+/status');
  t.true(await waitUntil(() => status.messages.length === 1));
  t.is(status.messages[0].body.counters.drops, 200);
  t.true(status.messages[0].body.counters.publishLatencyMs.p99 >= status.messages[0].body.counters.publishLatencyMs.p50);
  await status.close();
  await pub.close();
  await sub.close();
});

test('the password is sent to the broker and never logged', async (t) => {
  const broker = await startEmbeddedBroker({ port: 0 });
  t.teardown(() => broker.close());
  const seen: string[] = [];
  broker.aedes.authenticate = (_client, username, password, done) => {
    seen.push(`${username}:${password?.toString()}`);
    done(null, username === 'gw' && password?.toString() === 'hunter2-secret');
  };
  let log = '';
  const sink = new Writable({ write(chunk, _enc, cb) { log += chunk.toString(); cb(); } });
  // No pino redaction here: the publisher itself must keep secrets out of what it logs.
  const logger = pino({ level: 'trace' }, sink);
  const good = publisher(broker.url, { username: 'gw', password: 'hunter2-secret', logger });
  t.true(await waitUntil(() => good.connected));
  await good.close();
  const bad = publisher(broker.url, { username: 'gw', password: 'wrong-secret', logger, reconnect: { initialMs: 60_000, maxMs: 60_000 } });
  t.true(await waitUntil(() => seen.length >= 2));
  t.false(bad.connected);
  await bad.close();
  t.true(seen.includes('gw:hunter2-secret'));
  t.regex(log, /mqtt: connecting/);
  t.regex(log, /\[redacted\]/);
  t.false(log.includes('hunter2-secret'), log);
  t.false(log.includes('wrong-secret'));
});

test('pino redaction paths cover secrets passed in log objects by mistake', (t) => {
  let log = '';
  const sink = new Writable({ write(chunk, _enc, cb) { log += chunk.toString(); cb(); } });
  const logger = pino({ redact: REDACT_PATHS }, sink);
  logger.info({ password: 's1', mqtt: { password: 's2', tls: { keyPassphrase: 's3' } } }, 'x');
  t.false(/s1|s2|s3/.test(log.replace(/"time":\d+|"pid":\d+|"hostname":"[^"]*"/g, '')), log);
});

test('reconnects with growing delays while the broker hangs up on every connection', async (t) => {
  const { createServer } = await import('node:net');
  const at: number[] = [];
  const server = createServer((s) => {
    at.push(Date.now());
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  t.teardown(() => server.close());
  const pub = publisher(`mqtt://127.0.0.1:${(server.address() as { port: number }).port}`, { reconnect: { initialMs: 100, maxMs: 800 }, maxInflight: 1 });
  await new Promise((r) => setTimeout(r, 2000));
  await pub.close();
  const gaps = at.slice(1).map((x, i) => x - at[i]);
  // Delays are 50-100, 100-200, 200-400, 400-800, 400-800 ms: at most 7 attempts in 2 s (a fixed 100 ms would make 20).
  t.true(at.length >= 3 && at.length <= 7, `attempts at ${gaps.join(', ')} ms gaps`);
  t.true(gaps.at(-1)! >= 200, `the delay grew: gaps ${gaps.join(', ')} ms`);
  t.false(pub.connected);
});

test('on start, entries left in the outbox by an earlier run are sent first, in order', async (t) => {
  const path = join(dir, 'restart.log');
  const earlier = FileOutboxStore.open(path);
  for (let i = 0; i < 30; i++) earlier.put({ kind: i % 3 ? 'event' : 'explain', topic: `arrhythminet/v1/${origin.gateway}/${origin.channel}/${i % 3 ? 'event' : 'explain'}`, payload: JSON.stringify({ id: `old-${i}` }) });
  await earlier.close();
  const broker = await startEmbeddedBroker({ port: 0 });
  t.teardown(() => broker.close());
  const sub = await collect(broker.url, 'arrhythminet/v1/+/+/+');
  const store = FileOutboxStore.open(path);
  t.is(store.report.pending, 30);
  const pub = publisher(broker.url, { outbox: new Outbox(store, 1 << 20), maxInflight: 4 });
  pub.publishEvent(event(99));
  t.true(await waitUntil(() => sub.messages.filter((m) => !m.topic.endsWith('/status')).length === 31));
  t.deepEqual(sub.messages.filter((m) => !m.topic.endsWith('/status')).map((m) => m.body.id), [...Array.from({ length: 30 }, (_, i) => `old-${i}`), 'pvc-99']);
  t.true(await waitUntil(() => store.size.records === 0));
  await pub.close();
  await sub.close();
});
