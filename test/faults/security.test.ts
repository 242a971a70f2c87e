/**
 * Issue 8 item 5: the agent against mosquitto with TLS only, password
 * authentication and an ACL (test/faults/secure-broker.ts, the setup of
 * docs/security.md). The real `arrhythminet run` with a config file:
 *  - valid credentials: it connects and publishes, only under its own prefix;
 *  - a wrong password: refused, said so in the log, retried, password not shown;
 *  - a gateway id its user may not write: nothing it sends reaches anyone;
 *  - a client certificate (CN = user) with an encrypted key works;
 *  - clients without credentials, with another CA, or in plain text get nothing;
 *  - passwords, the key passphrase and the key never appear in the agent's
 *    output or its retained status.
 */
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type IClientOptions } from 'mqtt';
import { mosquitto, openssl, repoRoot, testNeeding } from '../helpers/requires.ts';
import { collect, waitUntil, type Collector } from '../publish/mqtt-helpers.ts';
import { ConnectionSettingsError, mqttOptions } from '../../agent/src/publish/connect-options.ts';
import { CERT_USER, GATEWAY, startSecureBroker, type SecureBroker } from './secure-broker.ts';

const test = testNeeding<{ broker: SecureBroker; dir: string }>(mosquitto, openssl);
const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

test.before(async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-security-'));
  t.context = { dir, broker: await startSecureBroker(dir) };
});

test.after.always(async (t) => {
  await t.context.broker?.stop();
  if (t.context.dir) rmSync(t.context.dir, { recursive: true, force: true });
});

interface AgentProcess {
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `arrhythminet run --no-model` on a real-time synthetic source with frequent PVCs (events every few s). */
function runAgent(dir: string, name: string, gateway: string, mqttConfig: Record<string, unknown>, env: Record<string, string> = {}): AgentProcess {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, JSON.stringify({
    gateway, channel: 'ecg0',
    source: { type: 'synthetic', heartRateBpm: 100, pvcEverySeconds: 1 },
    mqtt: { clientId: `${name}-agent`, vitalsIntervalS: 1, ...mqttConfig },
    outbox: { dir: join(dir, `${name}-state`) },
    log: { level: 'debug' },
  }, null, 2));
  const child = spawn(process.execPath, [bin, 'run', '--config', path, '--no-model'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    output: () => out,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const tlsTo = (b: SecureBroker, port = b.port) => `mqtts://localhost:${port}`;

function asUser(b: SecureBroker, user: string, extra: IClientOptions = {}): IClientOptions {
  return { ca: readFileSync(b.pki.ca), username: user, password: b.passwords[user], protocolVersion: 5, ...extra };
}

/** Messages published while the collector listened (retained copies from before are left out). */
const live = (c: Collector) => c.messages.filter((m) => !m.retain);

/** Every secret the broker setup made, and the key file's base64 lines. */
function secrets(b: SecureBroker): string[] {
  const keyLines = readFileSync(b.pki.clientKey, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  return [...Object.values(b.passwords), b.pki.keyPassphrase, ...keyLines];
}

function assertNoSecrets(t: { false(v: boolean, m?: string): void }, b: SecureBroker, where: string, text: string): void {
  for (const s of secrets(b)) t.false(text.includes(s), `${where} contains a secret (${s.slice(0, 4)}...)`);
}

test.serial('with valid credentials the agent connects over TLS and publishes, all under arrhythminet/v1/<its gateway>/', async (t) => {
  const { broker: b, dir } = t.context;
  const admin = await collect(tlsTo(b), '#', asUser(b, 'admin'));
  const nurse = await collect(tlsTo(b), 'arrhythminet/v1/#', asUser(b, 'nurse-station'));
  t.teardown(async () => { await admin.close(); await nurse.close(); });
  const pwFile = join(dir, 'gw-password');
  writeFileSync(pwFile, `${b.passwords[GATEWAY]}\n`);
  const agent = runAgent(dir, 'valid', GATEWAY, { url: tlsTo(b), username: GATEWAY, password: { file: pwFile }, tls: { ca: b.pki.ca } });
  const kinds = () => new Set(live(admin).map((m) => m.topic.split('/').at(-1)));
  const heard = await waitUntil(() => ['status', 'beat', 'vitals', 'event'].every((k) => kinds().has(k)), 20_000);
  const code = await agent.stop();
  t.true(heard, `kinds heard: ${[...kinds()].join(', ')}; agent output: ${agent.output().slice(-1500)}`);
  t.is(code, 0);
  await waitUntil(() => live(admin).some((m) => m.topic.endsWith('/status') && m.body.state === 'offline'), 3000);

  const prefix = `arrhythminet/v1/${GATEWAY}/ecg0/`;
  const topics = new Set(live(admin).map((m) => m.topic));
  t.deepEqual([...topics].filter((x) => !x.startsWith(prefix)), [], 'everything the agent published is under its prefix');
  t.log(`admin saw ${live(admin).length} messages on ${[...topics].join(', ')}`);
  // The reader user reads the agent's topics.
  t.true(live(nurse).filter((m) => m.topic.endsWith('/event')).length >= 1, 'the nurse station reads the events');
  t.true(live(nurse).some((m) => m.topic.endsWith('/status') && m.body.state === 'online'));

  assertNoSecrets(t, b, 'the agent output', agent.output());
  for (const m of live(admin).filter((x) => x.topic.endsWith('/status'))) assertNoSecrets(t, b, 'a status message', JSON.stringify(m.body));
  // The log does say where it connects and as whom (for an operator), with the password masked.
  t.regex(agent.output(), new RegExp(`"username":"${GATEWAY}","password":"\\[redacted\\]"`));
});

test.serial('with a wrong password the agent is refused, says so, keeps retrying, and never prints the password', async (t) => {
  const { broker: b, dir } = t.context;
  const admin = await collect(tlsTo(b), '#', asUser(b, 'admin'));
  t.teardown(() => admin.close());
  const wrong = `not-${b.passwords[GATEWAY]}`;
  const agent = runAgent(dir, 'wrong', GATEWAY, { url: tlsTo(b), username: GATEWAY, password: { env: 'MQTT_PASSWORD' }, tls: { ca: b.pki.ca } }, { MQTT_PASSWORD: wrong });
  const refusals = () => agent.output().split('\n').filter((l) => l.includes('"msg":"mqtt: the broker refused our credentials'));
  const retried = await waitUntil(() => refusals().length >= 3, 15_000);
  const code = await agent.stop();
  t.true(retried, `refusals logged: ${refusals().length}; output: ${agent.output().slice(-1500)}`);
  t.is(code, 0, 'still running (retrying) until stopped; then a clean exit');
  const first = JSON.parse(refusals()[0]) as { level: number; err: string; username: string; msg: string };
  t.is(first.level, 50, 'logged as an error');
  t.regex(first.err, /Bad User Name or Password|Not authori[sz]ed/i);
  t.is(first.username, GATEWAY, 'names the user name it tried');
  t.regex(first.msg, /check mqtt\.username and mqtt\.password/);
  t.log(`${refusals().length} refusals logged before the stop; the first: ${first.msg} (${first.err})`);
  t.deepEqual(live(admin).map((m) => m.topic), [], 'nothing reached the broker');
  t.false(agent.output().includes(wrong), 'the wrong password is not printed either');
  assertNoSecrets(t, b, 'the agent output', agent.output());
});

test.serial('an agent whose gateway id is not its user\'s cannot publish: the broker drops all of it', async (t) => {
  const { broker: b, dir } = t.context;
  const admin = await collect(tlsTo(b), '#', asUser(b, 'admin'));
  t.teardown(() => admin.close());
  const agent = runAgent(dir, 'foreign', 'ward3-bed99', { url: tlsTo(b), username: GATEWAY, password: { env: 'MQTT_PASSWORD' }, tls: { ca: b.pki.ca } }, { MQTT_PASSWORD: b.passwords[GATEWAY] });
  // Connected, and events produced (PVC every second): a few seconds is plenty for anything to leak.
  t.true(await waitUntil(() => agent.output().includes('"msg":"mqtt: connected"') && agent.output().includes('"msg":"event: queued"'), 15_000), agent.output().slice(-1500));
  await new Promise((r) => setTimeout(r, 2000));
  const code = await agent.stop();
  t.is(code, 0);
  t.deepEqual(live(admin).map((m) => m.topic), [], 'the ACL let nothing through');
  // The agent says which topic the broker refused, once per topic, as an error (seen at the default log level).
  const refused = agent.output().split('\n').filter((l) => l.includes('"msg":"mqtt: the broker refused to take a message')).map((l) => JSON.parse(l) as { level: number; topic: string });
  t.true(refused.length >= 1, 'the refusal is logged');
  t.true(refused.every((r) => r.level === 50 && r.topic.startsWith('arrhythminet/v1/ward3-bed99/')));
  t.is(new Set(refused.map((r) => r.topic)).size, refused.length, 'once per topic');
  t.log(`refused topics logged: ${refused.map((r) => r.topic).join(', ')}`);
});

test.serial('a client certificate (CN = user) with an encrypted key authenticates on the certificate listener; key and passphrase stay secret', async (t) => {
  const { broker: b, dir } = t.context;
  const admin = await collect(tlsTo(b), '#', asUser(b, 'admin'));
  t.teardown(() => admin.close());
  const agent = runAgent(dir, 'cert', CERT_USER, {
    url: tlsTo(b, b.certPort), tls: { ca: b.pki.ca, cert: b.pki.clientCert, key: b.pki.clientKey, keyPassphrase: { env: 'KEY_PASSPHRASE' } },
  }, { KEY_PASSPHRASE: b.pki.keyPassphrase });
  const heard = await waitUntil(() => live(admin).some((m) => m.topic.endsWith('/event')), 20_000);
  const code = await agent.stop();
  t.true(heard, agent.output().slice(-1500));
  t.is(code, 0);
  t.deepEqual([...new Set(live(admin).map((m) => m.topic.split('/').slice(0, 3).join('/')))], [`arrhythminet/v1/${CERT_USER}`]);
  assertNoSecrets(t, b, 'the agent output', agent.output());
  for (const m of live(admin).filter((x) => x.topic.endsWith('/status'))) assertNoSecrets(t, b, 'a status message', JSON.stringify(m.body));
});

/** Connects and resolves with the error, or 'connected'. */
function tryConnect(url: string, options: IClientOptions): Promise<string> {
  return new Promise((resolve) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 5000, ...options });
    const done = (why: string) => { c.end(true); resolve(why); };
    c.once('connect', () => done('connected'));
    c.once('error', (e) => done(e.message));
    c.once('close', () => done('closed'));
  });
}

test.serial('no credentials, another CA, plain MQTT: no connection; a reader cannot write; a gateway cannot write another\'s topics', async (t) => {
  const { broker: b } = t.context;
  const ca = readFileSync(b.pki.ca);
  t.regex(await tryConnect(tlsTo(b), { ca, protocolVersion: 5 }), /Not authorized|Bad User Name/i, 'anonymous');
  t.regex(await tryConnect(tlsTo(b), { ca: readFileSync(b.pki.otherCa), username: 'admin', password: b.passwords.admin }), /self[- ]signed|unable to (get|verify)/i, 'another CA');
  t.not(await tryConnect(`mqtt://127.0.0.1:${b.port}`, { username: 'admin', password: b.passwords.admin, connectTimeout: 2000 }), 'connected', 'plain MQTT to the TLS port');
  t.regex(await tryConnect(tlsTo(b, b.certPort), { ca, username: 'admin', password: b.passwords.admin }), /handshake|certificate|closed|reset|EPIPE|socket/i, 'certificate listener without a certificate');

  const admin = await collect(tlsTo(b), '#', asUser(b, 'admin'));
  t.teardown(() => admin.close());
  const publishAs = async (user: string, topic: string) => {
    const c = await mqtt.connectAsync(tlsTo(b), { ...asUser(b, user), reconnectPeriod: 0 });
    await c.publishAsync(topic, JSON.stringify({ from: user, topic }), { qos: 1 }).catch(() => {});
    await c.endAsync();
  };
  await publishAs('nurse-station', `arrhythminet/v1/${GATEWAY}/ecg0/event`);
  await publishAs(GATEWAY, 'arrhythminet/v1/ward3-bed99/ecg0/event');
  await publishAs(GATEWAY, 'somewhere/else');
  // The control: the same user on its own subtree is delivered, so the silence above is the ACL.
  await publishAs(GATEWAY, `arrhythminet/v1/${GATEWAY}/ecg0/event`);
  await waitUntil(() => live(admin).length >= 1, 3000);
  await new Promise((r) => setTimeout(r, 300));
  t.deepEqual(live(admin).map((m) => `${m.body.from} ${m.topic}`), [`${GATEWAY} arrhythminet/v1/${GATEWAY}/ecg0/event`]);
});

test('a wrong or missing key passphrase is a config error naming the key file, without the passphrase (exit 2)', async (t) => {
  const { broker: b, dir } = t.context;
  const tls = { ca: b.pki.ca, cert: b.pki.clientCert, key: b.pki.clientKey };
  const wrong = `not-${b.pki.keyPassphrase}`;
  const err = t.throws(() => mqttOptions({ url: tlsTo(b, b.certPort), tls: { ...tls, keyPassphrase: wrong } }, 5, undefined), { instanceOf: ConnectionSettingsError });
  t.regex(err!.message, new RegExp(`mqtt\\.tls\\.key: cannot use ${b.pki.clientKey.replace(/[.]/g, '\\.')}: .*keyPassphrase does not decrypt it`));
  t.false(err!.message.includes(wrong));
  t.throws(() => mqttOptions({ url: tlsTo(b, b.certPort), tls }, 5, undefined), { message: /encrypted and mqtt\.tls\.keyPassphrase is not set/ });
  t.notThrows(() => mqttOptions({ url: tlsTo(b, b.certPort), tls: { ...tls, keyPassphrase: b.pki.keyPassphrase } }, 5, undefined));
  // Through the binary: exit 2 at start, one line, no secret.
  const path = join(dir, 'bad-passphrase.yaml');
  writeFileSync(path, JSON.stringify({ mqtt: { url: tlsTo(b, b.certPort), tls: { ...tls, keyPassphrase: { env: 'KEY_PASSPHRASE' } } }, outbox: { dir: join(dir, 'bad-passphrase-state') } }));
  const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, 'run', '--config', path, '--no-model'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KEY_PASSPHRASE: wrong } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
  t.is(r.code, 2, r.out.slice(-800));
  t.regex(r.out, /^arrhythminet run: mqtt\.tls\.key: cannot use .*client\.key/m);
  t.false(r.out.includes(wrong));
  assertNoSecrets(t, b, 'the agent output', r.out);
});
