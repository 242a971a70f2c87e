/**
 * The monitor page in a real headless Chromium, served by the real agent
 * running a synthetic scenario in real time (500 SPS through the ADS1292
 * codec, the shipped model): the page loads, the strip draws, every beat the
 * agent publishes as V on MQTT appears on the page labelled V within one
 * second of its publication (timed in the page, from the agent's publication
 * stamp to the frame that first draws the label), a lead-off episode shows
 * on the strip, in the signal field and in the events list, the page's
 * memory stays steady, and after the agent restarts the page reconnects by
 * itself and draws the new stream.
 *
 * The screenshot goes to $MONITOR_SCREENSHOT when set
 * (`MONITOR_SCREENSHOT=docs/img/monitor.png npx ava test/monitor/page.test.ts`
 * makes the README's), else to a temporary file.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium as playwright, type Page } from 'playwright-core';
import { connectAsync } from 'mqtt';
import { chromium, chromiumPath, testNeeding } from '../helpers/requires.ts';
import { freePort, monitorConfig, startMonitoredAgent, type MonitoredAgent } from './agent-process.ts';

const test = testNeeding(chromium);

/**
 * Seconds of signal: a PVC and a couplet, lead-off 14-16.5, then a PVC, a run
 * of three and a PVC, so that the screenshot's screen (11 s at 1280 px) holds
 * the lead-off and the last five PVCs when the sweep is at SCREENSHOT_S.
 */
const SCENARIO = [
  { atS: 3, ectopic: 'V' },
  { atS: 7, ectopic: 'V', count: 2 },
  { atS: 14, leadOff: { durationS: 2.5 } },
  { atS: 18, ectopic: 'V' },
  { atS: 20, ectopic: 'V', count: 3, rrMs: 430 },
  { atS: 23, ectopic: 'V' },
];
const SCREENSHOT_S = 24.6;
const FS = 360;

interface PageDiag {
  streamId: string | null;
  connects: number;
  framesDrawn: number;
  position: number;
  ringCapacity: number;
  retainedSamples(): number;
  retainedBeats(): number;
  retainedEvents(): number;
  labelLatencies: { i: number; label: string; pubMs: number; shownMs: number }[];
  leadOffFrames: number;
  status: { signalS: number; droppedForYou: number } | null;
}
type Win = { arrhythminetMonitor?: PageDiag };

const diag = <T>(page: Page, f: (d: PageDiag) => T): Promise<T> => page.evaluate(`(${f.toString()})(window.arrhythminetMonitor)`) as Promise<T>;

/** Live JS heap after a full collection, bytes. */
async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

/** Pixels of the trace's green on the strip canvas. */
const tracePixels = (page: Page) => page.evaluate(() => {
  const c = document.getElementById('strip') as HTMLCanvasElement;
  const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let k = 0; k < d.length; k += 4) if (d[k + 1] > 170 && d[k] < 140 && d[k + 3] > 0) n++;
  return n;
});

test('the page from the running agent: strip, V labels within 1 s of publication, lead-off, steady memory, reconnect after a restart', async (t) => {
  t.timeout(300_000);
  const port = await freePort();
  const config = monitorConfig(port, SCENARIO);
  let agent: MonitoredAgent = startMonitoredAgent(config.path);
  const browser = await playwright.launch({ executablePath: chromiumPath, chromiumSandbox: false });
  t.teardown(async () => {
    await browser.close();
    agent.child.kill('SIGKILL');
    config.remove();
  });
  const { pageUrl, brokerUrl } = await agent.ready;
  t.is(pageUrl, `http://127.0.0.1:${port}/`);

  // What the agent publishes as V, from its own broker.
  const published = new Map<number, string>();
  const mqtt = await connectAsync(brokerUrl);
  t.teardown(() => mqtt.endAsync());
  mqtt.on('message', (_topic, payload) => {
    const b = JSON.parse(payload.toString()) as { sample: number; label: string };
    published.set(b.sample, b.label);
  });
  await mqtt.subscribeAsync('arrhythminet/v1/+/+/beat');

  const page = await browser.newPage({ viewport: { width: 1280, height: 560 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Chromium logs each refused reconnect attempt while the agent is down: expected, not the page's error.
  page.on('console', (m) => { if (m.type() === 'error' && !/^WebSocket connection to .* failed/.test(m.text())) errors.push(m.text()); });
  await page.goto(pageUrl, { timeout: 60_000 });
  await page.check('#cam');

  // The strip draws.
  await page.waitForFunction(() => ((window as Win).arrhythminetMonitor?.retainedSamples() ?? 0) > 2 * 360 && (window as Win).arrhythminetMonitor!.framesDrawn > 30, null, { timeout: 60_000 });
  t.true(await tracePixels(page) > 300, 'the trace is on the canvas');
  await page.waitForTimeout(2000);
  const heapEarly = await heapAfterGc(page);
  const posEarly = await diag(page, (d) => d.position);

  // Lead-off: the signal field says so while the sweep is in it.
  await page.waitForFunction(() => document.getElementById('quality')?.textContent === 'LEADS OFF', null, { timeout: 60_000 });
  const sweptPast = (s: number) => page.waitForFunction((to) => ((window as Win).arrhythminetMonitor?.position ?? 0) >= to, s * FS, { timeout: 90_000 });
  await sweptPast(SCREENSHOT_S);
  await page.screenshot({ path: process.env.MONITOR_SCREENSHOT ?? join(tmpdir(), 'arrhythminet-monitor.png') });
  // The whole scenario swept, and a little more.
  await sweptPast(26);

  // Every V the agent published is on the page, labelled V, within 1 s of publication.
  const shown = await diag(page, (d) => d.labelLatencies);
  const shownAt = new Map(shown.map((l) => [l.i, l]));
  const sweptTo = await diag(page, (d) => d.position);
  const publishedV = [...published].filter(([i, label]) => label === 'V' && i < sweptTo).map(([i]) => i);
  t.log(`V beats published ${publishedV.length}; label latency, publication to first drawn (ms): ${publishedV.map((i) => shownAt.get(i) ? shownAt.get(i)!.shownMs - shownAt.get(i)!.pubMs : 'missing').join(', ')}`);
  t.true(publishedV.length >= 6, `the scenario's 8 PVCs: the model labelled ${publishedV.length} V`);
  for (const i of publishedV) {
    const l = shownAt.get(i);
    t.truthy(l, `V at sample ${i} published but not shown`);
    if (!l) continue;
    t.is(l.label, 'V');
    t.true(l.shownMs - l.pubMs <= 1000, `V at sample ${i}: shown ${l.shownMs - l.pubMs} ms after publication`);
  }
  const allLatencies = shown.map((l) => l.shownMs - l.pubMs).sort((a, b) => a - b);
  t.log(`all labels (${allLatencies.length}): median ${allLatencies[allLatencies.length >> 1]} ms, max ${allLatencies.at(-1)} ms`);

  // The lead-off episode: blanked on the strip for a while, listed with its start and end.
  t.true(await diag(page, (d) => d.leadOffFrames) > 10);
  const rows = await page.$$eval('#events tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
  const leadOff = rows.find((r) => r[0] === 'Leads off');
  t.truthy(leadOff, `events list: ${JSON.stringify(rows)}`);
  t.regex(leadOff![1] ?? '', /^\d\d:\d\d:\d\d$/);
  t.regex(leadOff![2] ?? '', /^\d\d:\d\d:\d\d$/, 'ended');
  t.truthy(rows.find((r) => r[0] === 'PVC'));

  // Memory: fixed rings; the heap after a collection does not grow with the run.
  const heapLate = await heapAfterGc(page);
  const d = await diag(page, (x) => ({ samples: x.retainedSamples(), capacity: x.ringCapacity, beats: x.retainedBeats(), events: x.retainedEvents(), position: x.position, status: x.status }));
  t.log(`page heap after GC: ${(heapEarly / 1024).toFixed(0)} KB at ${(posEarly / FS).toFixed(1)} s, ${(heapLate / 1024).toFixed(0)} KB at ${(d.position / FS).toFixed(1)} s; held ${d.samples} samples (ring ${d.capacity}), ${d.beats} beats, ${d.events} episodes`);
  t.true(d.samples <= d.capacity);
  t.true(heapLate - heapEarly < 1024 * 1024, `heap grew ${heapLate - heapEarly} bytes`);
  // Real time: the sweep keeps up with the stream (1 s quality blocks + the 1.1 s play-out delay), nothing dropped for this page.
  t.true(d.status!.signalS * FS - d.position < 4 * FS, `sweep ${(d.position / FS).toFixed(1)} s, stream ${d.status!.signalS} s`);
  t.is(d.status!.droppedForYou, 0);

  // The agent restarts: the page says it is reconnecting, then shows the new stream by itself.
  const firstStream = await diag(page, (x) => x.streamId);
  agent.child.kill('SIGTERM');
  t.is(await agent.exited, 0);
  await page.waitForFunction(() => document.getElementById('link')?.textContent?.startsWith('reconnecting'), null, { timeout: 30_000 });
  agent = startMonitoredAgent(config.path);
  await agent.ready;
  await page.waitForFunction((first) => {
    const m = (window as Win).arrhythminetMonitor;
    return m !== undefined && m.streamId !== first && m.connects >= 2 && m.retainedSamples() > 2 * 360 && m.position > 360;
  }, firstStream, { timeout: 120_000 });
  t.is(await page.textContent('#link'), 'live');
  t.true(await tracePixels(page) > 300, 'the new stream is drawn');
  t.deepEqual(errors, []);
});
