/**
 * `run`'s monitor start: the page's address printed on the console view and
 * logged; a port already taken is a warning and the agent goes on without the
 * page, rather than a stop.
 */
import test from 'ava';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { ConsoleView } from '../../agent/src/agent/console-view.ts';
import { parseConfig } from '../../agent/src/config/load.ts';
import { MonitorSink } from '../../agent/src/monitor/monitor-sink.ts';
import { listenMonitor } from '../../agent/src/monitor/run-monitor.ts';

const fs = 360;
const sink = (port: number) => new MonitorSink({
  fs, host: '127.0.0.1', port, batchMs: 0, statusMs: 0,
  hello: () => ({ streamId: 's', fs, gateway: 'g', channel: 'c', source: 'test', model: null, window: { before: 90, after: 166 }, agentVersion: '0' }),
  status: () => ({ broker: { url: 'embedded', embedded: true, connected: true, outboxRecords: 0 }, signalS: 0, framesGood: 0, framesCorrupt: 0, samplesLost: 0, beats: 0, beatsDropped: 0 }),
});

function capture() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  const logStream = new PassThrough();
  let log = '';
  logStream.on('data', (d: Buffer) => (log += d.toString()));
  return { view: new ConsoleView({ out, fs, color: false }), logger: pino(logStream), text: () => text, log: () => log };
}

test('the page address is printed on the console view and logged', async (t) => {
  const config = await parseConfig({ monitor: { enabled: true, port: 0 } }, 'test', {});
  const monitor = sink(0);
  const c = capture();
  await listenMonitor(monitor, config, c.logger, c.view);
  t.teardown(() => monitor.close());
  await new Promise((r) => setImmediate(r));
  t.regex(c.text(), /^Monitor page: http:\/\/127\.0\.0\.1:\d+\/\n$/);
  t.regex(c.log(), /"msg":"monitor: the page is at http:\/\/127\.0\.0\.1:\d+\/"/);
});

test('a port already taken: a warning naming it, no exception', async (t) => {
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  t.teardown(() => taken.close());
  const port = (taken.address() as { port: number }).port;
  const config = await parseConfig({ monitor: { enabled: true, port } }, 'test', {});
  const monitor = sink(port);
  const c = capture();
  await t.notThrowsAsync(listenMonitor(monitor, config, c.logger, c.view));
  await monitor.close();
  t.regex(c.text(), new RegExp(`WARNING: monitor: cannot serve the page on 127\\.0\\.0\\.1:${port}: EADDRINUSE; running without the page`));
});
