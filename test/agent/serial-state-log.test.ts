import test from 'ava';
import { serialStateLogger } from '../../agent/src/agent/serial-state-log.ts';
import type { SerialStateChange } from '../../agent/src/sources/serial.ts';

function recorder() {
  const lines: string[] = [];
  const at = (level: string) => (obj: object, msg: string) => { lines.push(`${level} ${msg}`); };
  return { lines, log: { info: at('info'), warn: at('warn'), debug: at('debug') } as never };
}

const waiting = (failures: number, reason = 'open failed: ENOENT'): SerialStateChange => ({ state: 'waiting', reason, failures, retryInMs: 1000 });

test('a missing device: the first failure, a reminder every 60 attempts, and the open with the attempts it took', (t) => {
  const { lines, log } = recorder();
  const onState = serialStateLogger(log, '/dev/ttyUSB0');
  onState({ state: 'connecting', reason: 'start' });
  for (let k = 1; k <= 130; k++) onState(waiting(k));
  onState({ state: 'open', reason: 'opened' });
  t.deepEqual(lines.filter((l) => !l.startsWith('debug')), [
    'warn serial: /dev/ttyUSB0: open failed: ENOENT; retrying',
    'warn serial: /dev/ttyUSB0: still unavailable after 60 attempts (open failed: ENOENT)',
    'warn serial: /dev/ttyUSB0: still unavailable after 120 attempts (open failed: ENOENT)',
    'info serial: /dev/ttyUSB0 opened after 130 failed attempts',
  ]);
});

test('a new reason is logged at once; an unplug after an open starts a new run of failures', (t) => {
  const { lines, log } = recorder();
  const onState = serialStateLogger(log, '/dev/ttyACM0', 60);
  onState({ state: 'open', reason: 'opened' });
  onState(waiting(1, 'disconnected: the device hung up'));
  onState(waiting(2, 'open failed: ENOENT'));
  onState(waiting(3, 'open failed: ENOENT'));
  onState({ state: 'open', reason: 'opened' });
  onState(waiting(1, 'no data for 5000 ms'));
  t.deepEqual(lines.filter((l) => !l.startsWith('debug')), [
    'info serial: /dev/ttyACM0 opened',
    'warn serial: /dev/ttyACM0: disconnected: the device hung up; retrying',
    'warn serial: /dev/ttyACM0: open failed: ENOENT; retrying',
    'info serial: /dev/ttyACM0 opened after 3 failed attempts',
    'warn serial: /dev/ttyACM0: no data for 5000 ms; retrying',
  ]);
});
