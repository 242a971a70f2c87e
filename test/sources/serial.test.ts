import test from 'ava';
import sinon from 'sinon';
import { MockBinding, type MockPortBinding } from '@serialport/binding-mock';
import { SerialSource, listSerialPorts, serialBytes, type SerialBinding, type SerialStateChange } from '../../agent/src/sources/serial.ts';
import { recordingBinding } from '../helpers/mock-serial.ts';

// MockBinding keeps its ports in module state: tests here run one at a time.
const serialTest = test.serial;


/** Simulates yanking the USB cable: the pending read fails with EIO, and the device node disappears. */
function unplug(p: MockPortBinding): void {
  MockBinding.reset();
  const pending = (p as unknown as { pendingRead: ((err: Error) => void) | null }).pendingRead;
  if (!pending) throw new Error('test bug: no read pending on the mock port');
  pending(Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }));
}

function watch(source: SerialSource) {
  const states: SerialStateChange[] = [];
  const data: number[] = [];
  source.on('state', (s) => states.push(s));
  source.on('data', (b) => data.push(...b));
  return { states, data };
}

serialTest.beforeEach(() => MockBinding.reset());

serialTest('opens, delivers bytes, and after an unplug reconnects with exponential backoff, capped', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  t.teardown(() => clock.restore());
  MockBinding.createPort('/dev/ttyECG0');
  const { binding, opened } = recordingBinding();
  const source = new SerialSource({ path: '/dev/ttyECG0', baudRate: 115200, binding, initialBackoffMs: 100, maxBackoffMs: 400, silenceTimeoutMs: 0 });
  const { states, data } = watch(source);
  source.start();
  await clock.tickAsync(10);
  t.is(source.state.state, 'open');
  opened[0].emitData(Buffer.from([1, 2, 3]));
  await clock.tickAsync(10);
  t.deepEqual(data, [1, 2, 3]);

  unplug(opened[0]);
  await clock.tickAsync(0);
  t.is(source.state.state, 'waiting');
  t.regex(source.state.reason, /disconnected: EIO/);
  // The device is absent: each attempt fails, delays double up to the cap.
  await clock.tickAsync(100 + 200 + 400 + 400);
  const waits = states.filter((s) => s.state === 'waiting').map((s) => s.retryInMs);
  t.deepEqual(waits.slice(0, 5), [100, 200, 400, 400, 400]);
  t.regex(states.filter((s) => s.state === 'waiting')[1].reason, /open failed: Port does not exist/);

  MockBinding.createPort('/dev/ttyECG0');
  await clock.tickAsync(400);
  t.is(source.state.state, 'open');
  opened.at(-1)!.emitData(Buffer.from([4]));
  await clock.tickAsync(1);
  t.deepEqual(data, [1, 2, 3, 4]);
  // A successful open resets the backoff.
  unplug(opened.at(-1)!);
  await clock.tickAsync(0);
  t.is(source.state.retryInMs, 100);
  await source.stop();
  t.is(source.state.state, 'closed');
  await clock.tickAsync(5000);
  t.is(source.state.state, 'closed');
});

serialTest('a data-silence watchdog closes and reopens a port that stopped talking', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  t.teardown(() => clock.restore());
  MockBinding.createPort('/dev/ttyECG1');
  const { binding, opened } = recordingBinding();
  const source = new SerialSource({ path: '/dev/ttyECG1', baudRate: 57600, binding, initialBackoffMs: 50, silenceTimeoutMs: 1000 });
  const { states } = watch(source);
  source.start();
  await clock.tickAsync(10);
  // Data keeps the watchdog quiet...
  for (let i = 0; i < 5; i++) {
    opened[0].emitData(Buffer.from([i]));
    await clock.tickAsync(600);
  }
  t.is(source.state.state, 'open');
  t.is(opened.length, 1);
  // ...silence trips it.
  await clock.tickAsync(1000);
  t.true(states.some((s) => s.state === 'waiting' && s.reason === 'no data for 1000 ms'));
  await clock.tickAsync(100);
  t.is(source.state.state, 'open');
  t.is(opened.length, 2);
  await source.stop();
});

serialTest('an absent device never throws: the source waits and retries until stopped', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  t.teardown(() => clock.restore());
  const { binding } = recordingBinding();
  const source = new SerialSource({ path: '/dev/nothing', baudRate: 115200, binding, initialBackoffMs: 10, maxBackoffMs: 1000 });
  const { states } = watch(source);
  source.start();
  await clock.tickAsync(60_000);
  t.is(source.state.state, 'waiting');
  t.true(states.filter((s) => s.state === 'connecting').length >= 60);
  await source.stop();
  t.deepEqual(source.state, { state: 'closed', reason: 'stopped' });
});

serialTest('listSerialPorts returns the error instead of throwing when list() fails (no udev)', async (t) => {
  const failing = { ...MockBinding, list: async () => { throw new Error('spawn udevadm ENOENT'); } } as unknown as SerialBinding;
  t.deepEqual(await listSerialPorts(failing), { ports: [], error: 'cannot list serial ports: spawn udevadm ENOENT' });
  MockBinding.createPort('/dev/ttyECG2');
  const ok = await listSerialPorts(recordingBinding().binding);
  t.deepEqual(ok.ports.map((p) => p.path), ['/dev/ttyECG2']);
});

serialTest('bad options are refused at construction, naming the option', (t) => {
  t.throws(() => new SerialSource({ path: '', baudRate: 9600 }), { message: /"path"/ });
  t.throws(() => new SerialSource({ path: '/dev/x', baudRate: 0 }), { message: /"baudRate" is 0; allowed: a positive integer/ });
  t.throws(() => new SerialSource({ path: '/dev/x', baudRate: 9600, maxBackoffMs: -1 }), { message: /"maxBackoffMs" is -1/ });
});

serialTest('serialBytes: an Observable that opens on subscribe and closes on unsubscribe', async (t) => {
  MockBinding.createPort('/dev/ttyECG3');
  const { binding, opened } = recordingBinding();
  const states: string[] = [];
  const got: number[] = [];
  const sub = serialBytes({ path: '/dev/ttyECG3', baudRate: 115200, binding, silenceTimeoutMs: 0 }, (s) => states.push(s.state))
    .subscribe((b) => got.push(...b));
  for (let i = 0; i < 50 && states.at(-1) !== 'open'; i++) await new Promise((r) => setTimeout(r, 5));
  opened[0].emitData(Buffer.from([9, 8, 7]));
  for (let i = 0; i < 50 && got.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
  t.deepEqual(got, [9, 8, 7]);
  sub.unsubscribe();
  for (let i = 0; i < 50 && states.at(-1) !== 'closed'; i++) await new Promise((r) => setTimeout(r, 5));
  t.false(opened[0].isOpen);
  t.deepEqual(states, ['connecting', 'open', 'closed']);
});

serialTest('stop() while the port is still opening leaves it closed', async (t) => {
  MockBinding.createPort('/dev/ttyECG4');
  const { binding, opened } = recordingBinding();
  const source = new SerialSource({ path: '/dev/ttyECG4', baudRate: 115200, binding });
  source.start();
  await source.stop();
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
  t.true(opened.every((p) => !p.isOpen));
  t.is(source.state.state, 'closed');
});
