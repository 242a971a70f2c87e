import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Backoff } from '../../agent/src/publish/backoff.ts';
import { LatencyWindow } from '../../agent/src/publish/latency.ts';
import { ConnectionSettingsError, describeSettings, mqttOptions } from '../../agent/src/publish/connect-options.ts';

test('backoff doubles from the initial delay up to the cap, with equal jitter, and resets', (t) => {
  const top = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1);
  t.deepEqual(Array.from({ length: 6 }, () => top.nextDelayMs()), [100, 200, 400, 800, 1000, 1000]);
  top.reset();
  t.is(top.nextDelayMs(), 100);
  const bottom = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 0);
  t.deepEqual(Array.from({ length: 5 }, () => bottom.nextDelayMs()), [50, 100, 200, 400, 500]);
  t.throws(() => new Backoff({ initialMs: 0 }), { message: 'reconnect initialMs: must be greater than 0, got 0' });
  t.throws(() => new Backoff({ initialMs: 500, maxMs: 100 }), { message: /maxMs: must be at least initialMs \(500\), got 100/ });
});

test('latency percentiles are nearest-rank over the most recent samples', (t) => {
  const w = new LatencyWindow(100);
  t.deepEqual(w.summary(), { p50: null, p99: null });
  for (let i = 1; i <= 100; i++) w.add(i);
  t.deepEqual(w.summary(), { p50: 50, p99: 99 });
  for (let i = 0; i < 100; i++) w.add(1000 + i);
  t.is(w.percentile(0), 1000, 'old samples aged out');
  t.is(w.percentile(1), 1099);
});

test('connection options: TLS files are read, secrets pass through but are never described', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tls-opts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['ca.pem', 'cert.pem']) writeFileSync(join(dir, f), `-----BEGIN ${f}-----\n`);
  // The key is checked against its passphrase when read: a real encrypted one.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'kp' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  writeFileSync(join(dir, 'key.pem'), privateKey);
  const s = { url: 'mqtts://broker.example:8883', username: 'gw', password: 'p4ss', tls: { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), keyPassphrase: 'kp' } };
  const o = mqttOptions(s, 5, undefined);
  t.is(o.protocolVersion, 5);
  t.is(o.password, 'p4ss');
  t.is((o.ca as Buffer).toString(), '-----BEGIN ca.pem-----\n');
  t.is((o as { passphrase?: string }).passphrase, 'kp');
  t.true(o.rejectUnauthorized);
  t.is(o.reconnectPeriod, 0, 'the publisher reconnects itself, with backoff');
  const described = JSON.stringify(describeSettings(s));
  t.false(described.includes('p4ss') || described.includes('"kp"'), described);
});

test('connection options: bad URL or unreadable TLS file is named', (t) => {
  t.throws(() => mqttOptions({ url: 'broker:1883x' }, 5, undefined), { instanceOf: ConnectionSettingsError, message: /protocol broker: is not one of mqtt:, mqtts:, ws:, wss:/ });
  t.throws(() => mqttOptions({ url: 'not a url' }, 5, undefined), { message: /mqtt.url "not a url" is not a URL/ });
  t.throws(() => mqttOptions({ url: 'mqtts://h', tls: { ca: '/nonexistent/ca.pem' } }, 5, undefined), { message: 'mqtt.tls.ca: cannot read /nonexistent/ca.pem: ENOENT' });
});
