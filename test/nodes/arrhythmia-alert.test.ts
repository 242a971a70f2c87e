import anyTest, { type TestFn } from 'ava';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';
import { ensureNodesBuilt, nodeModule } from './build.ts';
import { episode, eventMessage, isolated, statusMessage } from './agent-messages.ts';

const require = createRequire(import.meta.url);
const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));
const test = anyTest as TestFn;

/** arrhythmia in -> arrhythmia alert -> sink, with a catch; `options` override the alert node's defaults. */
function flow(options: Record<string, unknown>) {
  return [
    { id: 'f1', type: 'tab', label: 'test' },
    { id: 'in', z: 'f1', type: 'arrhythmia in', wires: [['alert'], [], ['alert'], [], ['alert']] },
    { id: 'alert', z: 'f1', type: 'arrhythmia alert', clearHoldMs: 50, cooldownMs: 0, escalateAfterMs: 0, ...options, wires: [['sink']] },
    { id: 'sink', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
}
const nodes = () => [nodeModule('arrhythmia-in'), nodeModule('arrhythmia-alert')];

async function load(options: Record<string, unknown>) {
  await helper.load(nodes(), flow(options));
  const out: any[] = [];
  helper.getNode('sink').on('input', (m: any) => out.push(m));
  return { inNode: helper.getNode('in'), alertNode: helper.getNode('alert'), out, actions: () => out.map((m) => `${m.payload.action}:${m.payload.rule}`) };
}

/** Polls until `ready()` (Node-RED delivers messages asynchronously); fails the wait after `limitMs`. */
async function waitFor(ready: () => boolean, limitMs = 5000): Promise<void> {
  for (let waited = 0; !ready(); waited += 10) {
    if (waited > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
    await sleep(10);
  }
}

test.before(async () => { await ensureNodesBuilt(); });
test.afterEach.always(async () => { await helper.unload(); });

test.serial('100 isolated PVCs give one burden alert, then its clear; status lists the active alert', async (t) => {
  const { inNode, alertNode, out, actions } = await load({ burdenWindowMs: 2000, cooldownMs: 60_000 });
  let received = 0;
  alertNode.on('input', () => received++);
  for (let i = 0; i < 100; i++) for (const e of isolated('pvc', 1000 + i * 200)) inNode.receive(eventMessage('bed-3', 'ch0', e));
  await waitFor(() => received === 200 && out.length >= 1);
  await sleep(100); // any duplicate would be on its way by now
  t.deepEqual(actions(), ['raise:pvc-burden']);
  t.is(out[0].topic, 'arrhythminet/alert/bed-3/ch0/pvc-burden');
  t.is(out[0].payload.severity, 'warning');
  t.regex(out[0].payload.text, /PVC burden 10 in 2 s on bed-3\/ch0: raised/);
  const active = alertNode.status.lastCall.args[0];
  t.is(active.fill, 'yellow');
  t.is(active.text, 'arrhythmia-alert.status.active');
  await waitFor(() => out.length === 2);
  t.deepEqual(actions(), ['raise:pvc-burden', 'clear:pvc-burden']);
  t.is(alertNode.status.lastCall.args[0].text, 'arrhythmia-alert.status.none');
});

// One escalation at most, so a slow machine cannot squeeze a second one in before
// the ack; that an ack stops escalation is shown under fake timers in alert-policy.test.ts.
test.serial('escalation when not acknowledged; an ack message acknowledges', async (t) => {
  const { inNode, alertNode, out, actions } = await load({ escalateAfterMs: 300, maxEscalations: 1 });
  const vt = episode('vt', 5000, 6000, 5, 170);
  inNode.receive(eventMessage('bed-1', 'ch0', vt.start));
  await waitFor(() => out.length === 2);
  t.deepEqual(actions(), ['raise:vt', 'escalate:vt']);
  t.is(alertNode.status.lastCall.args[0].fill, 'red');
  alertNode.receive({ topic: 'ack', payload: { gateway: 'bed-1' } });
  await waitFor(() => out.length === 3);
  t.deepEqual(actions(), ['raise:vt', 'escalate:vt', 'ack:vt']);
  t.true(out[2].payload.acknowledged);
  inNode.receive(eventMessage('bed-1', 'ch0', vt.end));
  await waitFor(() => out.length === 4);
  t.deepEqual(actions().slice(3), ['clear:vt']);
});

test.serial('gateway offline (last will) for longer than the set time, then online', async (t) => {
  const { inNode, out, actions } = await load({ offlineAfterMs: 300 });
  const sent = Date.now();
  inNode.receive(statusMessage('bed-2', 'ch0', 'offline'));
  await waitFor(() => out.length === 1);
  t.true(Date.now() - sent >= 300, 'not before offlineAfterMs');
  t.deepEqual(actions(), ['raise:offline']);
  inNode.receive(statusMessage('bed-2', 'ch0', 'online'));
  await waitFor(() => out.length === 2);
  t.deepEqual(actions(), ['raise:offline', 'clear:offline']);
});

test.serial('a bad configuration and bad messages are Catch-able errors', async (t) => {
  const { alertNode } = await load({ burdenRaiseCount: 3, burdenClearCount: 3 });
  t.is(alertNode.status.lastCall.args[0].text, 'arrhythmia-alert.status.badConfig');
  const caught = new Promise<any>((r) => helper.getNode('caught').once('input', r));
  alertNode.receive({ gateway: 'g', channel: 'c', kind: 'event', payload: {} });
  t.regex((await caught).error.message, /burdenClearCount/);
  await helper.unload();

  const ok = await load({});
  const caught2 = new Promise<any>((r) => helper.getNode('caught').once('input', r));
  ok.alertNode.receive({ gateway: 'g', channel: 'c', kind: 'event', payload: { id: 'x', type: 'pvc', phase: 'begin' } });
  t.regex((await caught2).error.message, /event message needs id, type and phase|arrhythmia-alert.errors.event.*"phase":"begin"/);
  const caught3 = new Promise<any>((r) => helper.getNode('caught').once('input', r));
  ok.alertNode.receive({ topic: 'not/an/agent/topic', payload: {} });
  t.regex((await caught3).error.message, /is not arrhythminet\/v1/);
});

test.serial('close stops the timers: nothing is sent after the flow stops', async (t) => {
  const { inNode, actions } = await load({ leadOffAfterMs: 100 });
  const lo = episode('lead-off', 100, 900, 0);
  inNode.receive(eventMessage('bed-4', 'ch0', lo.start));
  await sleep(20);
  await helper.unload();
  await sleep(200);
  t.deepEqual(actions(), []);
});
