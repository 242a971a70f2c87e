import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig, redactConfig } from '../../agent/src/config/load.ts';

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'arrhythminet-config-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function problems(value: unknown, env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  try {
    await parseConfig(value, 'test', env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test('no file gives the embedded defaults: synthetic source, embedded broker', async (t) => {
  const c = await loadConfig();
  t.is(c.source.type, 'synthetic');
  t.is(c.mqtt.url, 'embedded');
  t.is(c.mqtt.protocolVersion, 5);
  t.is(c.rhythm.pauseMs, 2000);
  t.is(c.source.type === 'synthetic' ? c.source.rateHz : 0, 500, 'defaults of the chosen source are filled in');
});

test('a serial source gets its own defaults', async (t) => {
  const c = await parseConfig({ source: { type: 'serial', path: '/dev/ttyUSB0' } }, 'test', {});
  t.deepEqual(c.source, { type: 'serial', path: '/dev/ttyUSB0', baud: 115200, format: 'ours', openviewLayout: 'breakout-2017', rateHz: 500, gain: 6, vrefV: 2.42, ecgChannel: 2, secondEcgChannel: null });
});

test('a misspelt key is named with the keys allowed there', async (t) => {
  const p = await problems({ mqtt: { urll: 'mqtt://x' } });
  t.deepEqual(p, ['mqtt.urll: unknown key; allowed here: url, embeddedPort, clientId, username, password, protocolVersion, tls, publishBeats, vitalsIntervalS']);
});

test('a bad value names the key, the value and what is allowed', async (t) => {
  t.deepEqual(await problems({ source: { type: 'serial', path: '/dev/ttyS0', baud: 12345 } }),
    ['source.baud = 12345: must be one of 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000']);
  t.deepEqual(await problems({ dsp: { mainsHz: 55 } }), ['dsp.mainsHz = 55: must be one of 50, 60']);
  t.deepEqual(await problems({ model: { minConfidence: 1.5 } }), ['model.minConfidence = 1.5: must be <= 1']);
  t.deepEqual(await problems({ gateway: 'bed/12' }), ['gateway = "bed/12": must match pattern "^[A-Za-z0-9_.-]{1,64}$"']);
});

test('an unknown source type lists the known ones; a missing required key is named', async (t) => {
  t.deepEqual(await problems({ source: { type: 'usb' } }), ['source.type = "usb": must be one of "synthetic", "serial", "wfdb"']);
  t.deepEqual(await problems({ source: { type: 'serial' } }), ['source.path: required, missing']);
});

test('all problems are reported together', async (t) => {
  const p = await problems({ dsp: { mainsHz: 55 }, log: { level: 'loud' }, extra: 1 });
  t.is(p.length, 3);
});

test('a non-mapping file is refused with what was found', async (t) => {
  t.deepEqual(await problems([1, 2]), ['the top level must be a mapping of keys (gateway, source, mqtt, ...), got a list']);
});

test('secrets come from the environment or a file, and never appear in messages or redacted output', async (t) => {
  const fromEnv = await parseConfig({ mqtt: { url: 'mqtts://broker:8883', username: 'gw', password: { env: 'MQTT_PW' } } }, 'test', { MQTT_PW: 's3cret-env' });
  t.is(fromEnv.mqtt.password, 's3cret-env');
  const file = await tempFile('pw', 's3cret-file\n');
  const fromFile = await parseConfig({ mqtt: { password: { file } } }, 'test', {});
  t.is(fromFile.mqtt.password, 's3cret-file', 'one trailing newline is dropped');
  t.false(JSON.stringify(redactConfig(fromEnv)).includes('s3cret'));
  t.deepEqual(await problems({ mqtt: { password: { env: 'NOPE' } } }), ['mqtt.password: environment variable NOPE is not set']);
  const bad = await problems({ mqtt: { password: 12345 } });
  t.deepEqual(bad, ['mqtt.password: must be a string, {env: NAME} or {file: PATH}']);
  t.false(bad.join().includes('12345'));
});

test('a YAML syntax error names the file, line and column', async (t) => {
  const path = await tempFile('bad.yaml', 'gateway: bed1\nsource:\n  type: serial\n   path: /dev/x\n');
  const err = await t.throwsAsync(loadConfig(path), { instanceOf: ConfigError });
  t.regex(err!.message, new RegExp(`config ${path}:`));
  t.regex(err!.message, /syntax error at line 3, column 9: Nested mappings are not allowed/);
});

test('a missing file is a config error, not a crash', async (t) => {
  const err = await t.throwsAsync(loadConfig('/nonexistent/agent.yaml'), { instanceOf: ConfigError });
  t.regex(err!.message, /cannot be read: ENOENT/);
});

test('JSON files load too', async (t) => {
  const path = await tempFile('agent.json', JSON.stringify({ gateway: 'bed-3', source: { type: 'wfdb', record: 'x/208', speed: 'fast' } }));
  const c = await loadConfig(path);
  t.is(c.gateway, 'bed-3');
  t.deepEqual(c.source, { type: 'wfdb', record: 'x/208', speed: 'fast', signal: 'MLII', secondSignal: 'auto' });
});

test('a WFDB second signal is a name or a 0-based index, written as a YAML number or a string', async (t) => {
  const path = await tempFile('agent.yaml', 'source:\n  type: wfdb\n  record: x/208\n  secondSignal: 1\n');
  const c = await loadConfig(path);
  t.is(c.source.type === 'wfdb' ? c.source.secondSignal : null, '1');
  t.deepEqual(await problems({ source: { type: 'wfdb', record: 'x/208', secondSignal: -1 } }),
    ['source.secondSignal = -1: must be >= 0']);
});

test('threshold pairs are checked against each other', async (t) => {
  t.deepEqual(await problems({ rhythm: { tachyStartBpm: 100, tachyEndBpm: 120 } }),
    ['rhythm.tachyEndBpm = 120: must not exceed rhythm.tachyStartBpm (100)']);
});

test('the example config shipped for the Pi is valid', async (t) => {
  const { repoRoot } = await import('../helpers/requires.ts');
  const pw = await tempFile('pw', 'x');
  const text = (await import('node:fs')).readFileSync(join(repoRoot, 'systemd', 'arrhythminet.example.yaml'), 'utf8')
    .replace('/run/credentials/arrhythminet-agent.service/mqtt-password', pw);
  const c = await loadConfig(await tempFile('agent.yaml', text));
  t.is(c.source.type, 'serial');
  t.is(c.mqtt.password, 'x');
});

test('the example config reads its secrets where the unit hands them over as credentials', async (t) => {
  const { repoRoot } = await import('../helpers/requires.ts');
  const { readFileSync } = await import('node:fs');
  const unitText = readFileSync(join(repoRoot, 'systemd', 'arrhythminet-agent.service'), 'utf8');
  const example = readFileSync(join(repoRoot, 'systemd', 'arrhythminet.example.yaml'), 'utf8');
  // LoadCredential=ID:PATH puts the file at /run/credentials/<unit>/ID, readable by the service's user only.
  const credentials = [...unitText.matchAll(/^#?LoadCredential=([\w-]+):/gm)].map((m) => m[1]);
  t.deepEqual(credentials, ['mqtt-password', 'monitor-token']);
  const files = [...example.matchAll(/\{ file: ([^ }]+) \}/g)].map((m) => m[1]);
  t.deepEqual(files, credentials.map((id) => `/run/credentials/arrhythminet-agent.service/${id}`));
});

test('a second ECG channel must be the other channel of format ours; dsp.leads is 1 or 2', async (t) => {
  t.deepEqual(await problems({ source: { type: 'serial', path: '/dev/ttyUSB0', ecgChannel: 2, secondEcgChannel: 2 } }),
    ['source.secondEcgChannel = 2: the same channel as source.ecgChannel; allowed: the other channel (1) or null']);
  t.deepEqual(await problems({ source: { type: 'serial', path: '/dev/ttyUSB0', format: 'openview', secondEcgChannel: 1 } }),
    ['source.secondEcgChannel = 1: the openview format carries one ECG channel; a second lead needs format "ours" (or set secondEcgChannel: null)']);
  const ok = await parseConfig({ source: { type: 'serial', path: '/dev/ttyUSB0', ecgChannel: 2, secondEcgChannel: 1 } }, 'test', {});
  t.is(ok.source.type === 'serial' ? ok.source.secondEcgChannel : 0, 1);
  t.is(ok.dsp.leads, 2);
  const p = await problems({ dsp: { leads: 3 } });
  t.is(p.length, 1);
  t.regex(p[0], /^dsp\.leads/);
});
