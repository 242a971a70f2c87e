/**
 * The monitor's server and access rules: the page, bundle and stylesheet
 * served with a strict CSP (the bundle well under 200 KB gzipped), foreign
 * Host headers refused on loopback, the WebSocket refused from another
 * origin and, with a token, without the right one; the config's monitor
 * section (on only for the embedded demo, a token required off loopback,
 * redacted in logs).
 */
import test from 'ava';
import { gunzipSync } from 'node:zlib';
import { request } from 'node:http';
import WebSocket from 'ws';
import { MonitorHub } from '../../agent/src/monitor/hub.ts';
import { CSP, startMonitorServer } from '../../agent/src/monitor/server.ts';
import { hostAllowed, isLoopbackHost, originAllowed, tokenMatches } from '../../agent/src/monitor/access.ts';
import { ConfigError, loadConfig, parseConfig, redactConfig } from '../../agent/src/config/load.ts';
import { WS_PATH, type MonitorMessage } from '../../agent/src/monitor/protocol.ts';

const fs = 360;
const hub = () => new MonitorHub({
  fs, batchMs: 0, statusMs: 0,
  hello: () => ({ streamId: 's1', fs, gateway: 'g', channel: 'c', source: 'test', model: null, window: { before: 90, after: 166 }, agentVersion: '0' }),
  status: () => ({ broker: { url: 'mqtt://x', embedded: true, connected: true, outboxRecords: 0 }, signalS: 0, framesGood: 0, framesCorrupt: 0, samplesLost: 0, beats: 0, beatsDropped: 0 }),
});

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a WebSocket; resolves with its first messages, or the HTTP status it was refused with. */
function wsFirst(url: string, headers: Record<string, string> = {}, count = 2): Promise<{ refused?: number; messages: MonitorMessage[] }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    const messages: MonitorMessage[] = [];
    ws.on('unexpected-response', (_req, res) => { resolve({ refused: res.statusCode, messages }); ws.terminate(); });
    ws.on('message', (d) => {
      messages.push(JSON.parse(String(d)) as MonitorMessage);
      if (messages.length >= count) { ws.close(); resolve({ messages }); }
    });
    ws.on('error', () => {});
  });
}

test('serves the page, its bundle (<= 200 KB gzipped) and stylesheet with a strict CSP; nothing else', async (t) => {
  const server = await startMonitorServer({ hub: hub(), host: '127.0.0.1', port: 0 });
  t.teardown(() => server.close());
  const page = await get(server.port, '/');
  t.is(page.status, 200);
  t.is(page.headers['content-security-policy'], CSP);
  t.regex(CSP, /script-src 'self';/);
  t.notRegex(CSP, /unsafe-inline|unsafe-eval|https?:/);
  const html = page.body.toString();
  t.regex(html, /<script src="monitor.js" defer><\/script>/);
  t.notRegex(html, /https?:\/\//, 'nothing loaded from elsewhere');
  t.notRegex(html, /<script>[^<]/, 'no inline script');
  const js = await get(server.port, '/monitor.js', { 'Accept-Encoding': 'gzip' });
  t.is(js.headers['content-encoding'], 'gzip');
  const gzipKb = js.body.length / 1024;
  t.log(`page bundle: ${(gunzipSync(js.body).length / 1024).toFixed(1)} KB, ${gzipKb.toFixed(1)} KB gzipped`);
  t.true(gzipKb <= 200, `bundle is ${gzipKb.toFixed(1)} KB gzipped; the budget is 200 KB`);
  const source = gunzipSync(js.body).toString();
  t.regex(source, /arrhythminetMonitor/);
  t.notRegex(source, /https?:\/\/(?!www\.w3\.org)/, 'the bundle fetches nothing from elsewhere');
  t.is((await get(server.port, '/monitor.css')).headers['content-type'], 'text/css; charset=utf-8');
  t.is((await get(server.port, '/etc/passwd')).status, 404);
  t.is((await get(server.port, '/', { Host: 'attacker.example' })).status, 403, 'a rebound DNS name is refused on loopback');
});

test('WebSocket: hello and status to a page; refused from another origin or on another path', async (t) => {
  const server = await startMonitorServer({ hub: hub(), host: '127.0.0.1', port: 0 });
  t.teardown(() => server.close());
  const url = `ws://127.0.0.1:${server.port}${WS_PATH}`;
  const ok = await wsFirst(url, { Origin: `http://127.0.0.1:${server.port}` });
  t.deepEqual(ok.messages.map((m) => m.t), ['hello', 'status']);
  t.is((await wsFirst(url, { Origin: 'http://evil.example' })).refused, 403);
  t.is((await wsFirst(`ws://127.0.0.1:${server.port}/other`)).refused, 404);
  t.is(server.refused, 2);
});

test('WebSocket: beyond maxPages at once, a page is refused (503) until one leaves', async (t) => {
  const server = await startMonitorServer({ hub: hub(), host: '127.0.0.1', port: 0, maxPages: 1 });
  t.teardown(() => server.close());
  const url = `ws://127.0.0.1:${server.port}${WS_PATH}`;
  const first = new WebSocket(url);
  await new Promise((r) => first.once('message', r));
  t.is((await wsFirst(url)).refused, 503);
  first.close();
  await new Promise((r) => first.once('close', r));
  await new Promise((r) => setTimeout(r, 50));
  t.is((await wsFirst(url)).messages[0]?.t, 'hello');
});

test('WebSocket with a token: refused without it or with a wrong one, accepted with it', async (t) => {
  const token = 'a-long-enough-token-1234';
  const server = await startMonitorServer({ hub: hub(), host: '127.0.0.1', port: 0, token });
  t.teardown(() => server.close());
  const url = `ws://127.0.0.1:${server.port}${WS_PATH}`;
  t.is((await wsFirst(url)).refused, 401);
  t.is((await wsFirst(`${url}?token=${token}x`)).refused, 401);
  t.is((await wsFirst(`${url}?token=${encodeURIComponent(token)}`)).messages[0]?.t, 'hello');
});

test('access rules: loopback names, token comparison, Host and Origin', (t) => {
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) t.true(isLoopbackHost(h), h);
  for (const h of ['0.0.0.0', '192.168.1.5', '::', 'example.com', '128.0.0.1']) t.false(isLoopbackHost(h), h);
  t.true(tokenMatches('secret-token', 'secret-token'));
  t.false(tokenMatches('secret-toke', 'secret-token'));
  t.false(tokenMatches(null, 'secret-token'));
  t.true(hostAllowed('127.0.0.1:8360', '127.0.0.1'));
  t.true(hostAllowed('[::1]:8360', '127.0.0.1'));
  t.true(hostAllowed('localhost:8360', '127.0.0.1'));
  t.false(hostAllowed('rebind.example:8360', '127.0.0.1'));
  t.true(hostAllowed('bedside-7.ward:8360', '0.0.0.0'));
  t.true(originAllowed('http://127.0.0.1:8360', '127.0.0.1:8360'));
  t.false(originAllowed('http://127.0.0.1:9999', '127.0.0.1:8360'));
  t.false(originAllowed('null', '127.0.0.1:8360'));
});

test('config: the page is on for the embedded demo only, loopback by default; a token off loopback, resolved and redacted', async (t) => {
  const demo = await loadConfig(undefined, {});
  t.deepEqual(demo.monitor, { enabled: true, host: '127.0.0.1', port: 8360 });
  t.is((await parseConfig({}, 'x.yaml', {})).monitor.enabled, false);
  const open = await t.throwsAsync(parseConfig({ monitor: { enabled: true, host: '0.0.0.0' } }, 'x.yaml', {}), { instanceOf: ConfigError });
  t.regex(open!.message, /monitor\.host = "0\.0\.0\.0": not a loopback address, so monitor\.token is required/);
  const short = await t.throwsAsync(parseConfig({ monitor: { enabled: true, token: 'short' } }, 'x.yaml', {}), { instanceOf: ConfigError });
  t.regex(short!.message, /monitor\.token: 5 characters; at least 16 are required/);
  t.notRegex(short!.message, /short'/);
  const missing = await t.throwsAsync(parseConfig({ monitor: { token: { env: 'MON_TOKEN' } } }, 'x.yaml', {}));
  t.regex(missing!.message, /monitor\.token: environment variable MON_TOKEN is not set/);
  const ok = await parseConfig({ monitor: { enabled: true, host: '0.0.0.0', port: 9000, token: { env: 'MON_TOKEN' } } }, 'x.yaml', { MON_TOKEN: 'sixteen-chars-ok!' });
  t.is(ok.monitor.token, 'sixteen-chars-ok!');
  t.notRegex(JSON.stringify(redactConfig(ok)), /sixteen-chars-ok/);
  const typo = await t.throwsAsync(parseConfig({ monitor: { enable: true } }, 'x.yaml', {}));
  t.regex(typo!.message, /monitor\.enable: unknown key; allowed here: enabled, host, port, token/);
});
