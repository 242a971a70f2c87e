import test from 'ava';
import { Writable } from 'node:stream';
import { createLogger } from '../../agent/src/agent/logger.ts';
import { parseConfig } from '../../agent/src/config/load.ts';

test('JSON log lines at the configured level, secrets redacted wherever they sit', async (t) => {
  const lines: string[] = [];
  const out = new Writable({ write(c, _e, cb) { lines.push(...String(c).trim().split('\n')); cb(); } });
  const log = createLogger('info', out);
  const config = await parseConfig({ mqtt: { url: 'mqtts://broker:8883', username: 'bed7', password: { env: 'PW' }, tls: { keyPassphrase: 'kp-secret' } } }, 'test', { PW: 'pw-secret' });
  log.info({ config }, 'starting');
  log.info({ mqtt: { password: 'pw-secret' } }, 'direct');
  log.debug('not shown at info');
  t.is(lines.length, 2);
  t.false(lines.some((l) => l.includes('pw-secret') || l.includes('kp-secret')), lines.join('\n'));
  const first = JSON.parse(lines[0]) as { level: number; msg: string; config: { mqtt: { username: string; password: string; tls: { keyPassphrase: string } } } };
  t.is(first.msg, 'starting');
  t.is(first.level, 30);
  t.is(first.config.mqtt.username, 'bed7');
  t.is(first.config.mqtt.password, '[redacted]');
  t.is(first.config.mqtt.tls.keyPassphrase, '[redacted]');
});
