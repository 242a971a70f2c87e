import test from 'ava';
import sinon from 'sinon';
import { AlertPolicy } from '../../nodes/src/alert/policy.ts';
import { resolveAlertOptions, type AlertMessage, type AlertOptions, type Clock } from '../../nodes/src/alert/types.ts';

function setup(opts: Partial<AlertOptions> = {}) {
  const timers = sinon.useFakeTimers({ now: 1_000_000 });
  const clock: Clock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number) };
  const out: AlertMessage[] = [];
  const policy = new AlertPolicy(resolveAlertOptions(opts), clock, (m) => out.push(m));
  return { timers, policy, out, actions: () => out.map((m) => `${m.action}:${m.rule}`) };
}

let seq = 0;
const pvc = (p: AlertPolicy, gw = 'gw1', ch = 'ch1') => {
  const id = `pvc-${++seq}`;
  p.onEvent(gw, ch, { id, type: 'pvc', phase: 'start', beats: 1 });
  p.onEvent(gw, ch, { id, type: 'pvc', phase: 'end', beats: 1 });
};

test.serial('alert fatigue: 100 isolated PVCs in a minute give one burden alert, then one clear', (t) => {
  const { timers, policy, out, actions } = setup({ escalateAfterMs: 0 });
  for (let i = 0; i < 100; i++) { pvc(policy); timers.tick(600); }
  t.deepEqual(actions(), ['raise:pvc-burden']);
  t.is(out[0].severity, 'warning');
  t.is(out[0].detail.pvcs, 10, 'raised when the count reached burdenRaiseCount');
  // No more PVCs: the window empties, the count falls below burdenClearCount, the hold passes.
  timers.tick(60_000 + 5_000);
  t.deepEqual(actions(), ['raise:pvc-burden', 'clear:pvc-burden']);
  t.deepEqual(policy.active(), []);
  policy.dispose(); timers.restore();
});

test.serial('burden hysteresis: between clear and raise counts the alert stays', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0, burdenWindowMs: 10_000, burdenRaiseCount: 4, burdenClearCount: 1 });
  for (let i = 0; i < 4; i++) { pvc(policy); timers.tick(1000); }
  t.deepEqual(actions(), ['raise:pvc-burden']);
  timers.tick(7_500); // two PVCs left in the window: above clear count
  t.deepEqual(actions(), ['raise:pvc-burden']);
  timers.tick(2_000 + 5_000); // one left, then hold
  t.deepEqual(actions(), ['raise:pvc-burden', 'clear:pvc-burden']);
  policy.dispose(); timers.restore();
});

test.serial('the same PVC id is counted once; channels are separate', (t) => {
  const { timers, policy, actions } = setup({ burdenRaiseCount: 3, burdenClearCount: 1 });
  for (let i = 0; i < 5; i++) policy.onEvent('gw1', 'ch1', { id: 'same', type: 'pvc', phase: 'start' });
  pvc(policy, 'gw1', 'ch2'); pvc(policy, 'gw2', 'ch1');
  t.deepEqual(actions(), []);
  pvc(policy, 'gw1', 'ch1'); pvc(policy, 'gw1', 'ch1');
  t.deepEqual(actions(), ['raise:pvc-burden']);
  t.is(policy.active()[0].key, 'gw1/ch1/pvc-burden');
  policy.dispose(); timers.restore();
});

test.serial('VT: raised on start, de-duplicated over updates and overlapping episodes, cleared after the hold', (t) => {
  const { timers, policy, out, actions } = setup({ escalateAfterMs: 0, clearHoldMs: 3000 });
  policy.onEvent('gw', 'c', { id: 'vt1', type: 'vt', phase: 'start', beats: 3, hrBpm: 160 });
  policy.onEvent('gw', 'c', { id: 'vt1', type: 'vt', phase: 'update', beats: 8 });
  policy.onEvent('gw', 'c', { id: 'vt2', type: 'vt', phase: 'start', beats: 3 });
  policy.onEvent('gw', 'c', { id: 'vt1', type: 'vt', phase: 'end', beats: 9 });
  timers.tick(10_000);
  t.deepEqual(actions(), ['raise:vt'], 'vt2 still open');
  policy.onEvent('gw', 'c', { id: 'vt2', type: 'vt', phase: 'end', beats: 4 });
  timers.tick(2_999);
  t.deepEqual(actions(), ['raise:vt']);
  timers.tick(1);
  t.deepEqual(actions(), ['raise:vt', 'clear:vt']);
  t.is(out[0].severity, 'critical');
  t.regex(out[1].text, /Ventricular tachycardia on gw\/c: ended/);
  policy.dispose(); timers.restore();
});

test.serial('a condition back within the hold time does not clear', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0 });
  policy.onEvent('gw', 'c', { id: 'r1', type: 'v-run', phase: 'start' });
  policy.onEvent('gw', 'c', { id: 'r1', type: 'v-run', phase: 'end' });
  timers.tick(2_000);
  policy.onEvent('gw', 'c', { id: 'r2', type: 'v-run', phase: 'start' });
  timers.tick(60_000);
  t.deepEqual(actions(), ['raise:v-run']);
  policy.dispose(); timers.restore();
});

test.serial('cool-down: a brief recurrence is not announced, a lasting one is, at the end of the cool-down', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0, clearHoldMs: 0, cooldownMs: 30_000 });
  const run = (id: string, phase: 'start' | 'end') => policy.onEvent('gw', 'c', { id, type: 'v-run', phase });
  run('a', 'start'); run('a', 'end');
  t.deepEqual(actions(), ['raise:v-run', 'clear:v-run']);
  timers.tick(5_000); run('b', 'start'); timers.tick(1_000); run('b', 'end');
  timers.tick(40_000);
  t.deepEqual(actions(), ['raise:v-run', 'clear:v-run'], 'brief recurrence within cool-down stays silent');
  run('c', 'start');
  t.deepEqual(actions(), ['raise:v-run', 'clear:v-run', 'raise:v-run'], 'after the cool-down: announced at once');
  run('c', 'end');
  timers.tick(1_000); run('d', 'start');
  timers.tick(28_999);
  t.is(actions().length, 4);
  timers.tick(1);
  t.deepEqual(actions().slice(4), ['raise:v-run'], 'persisting past the cool-down: announced when it ends');
  policy.dispose(); timers.restore();
});

test.serial('escalation while unacknowledged, stopped by ack', (t) => {
  const { timers, policy, out, actions } = setup({ escalateAfterMs: 60_000, maxEscalations: 3 });
  policy.onEvent('gw', 'c', { id: 'r', type: 'v-run', phase: 'start' });
  timers.tick(60_000);
  t.deepEqual(actions(), ['raise:v-run', 'escalate:v-run']);
  t.is(out[1].severity, 'critical');
  t.is(out[1].escalations, 1);
  t.is(policy.acknowledge({ gateway: 'gw' }), 1);
  timers.tick(600_000);
  t.deepEqual(actions(), ['raise:v-run', 'escalate:v-run', 'ack:v-run']);
  t.true(policy.active()[0].acknowledged);
  policy.dispose(); timers.restore();
});

test.serial('escalation stops after maxEscalations', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 1000, maxEscalations: 2 });
  policy.onEvent('gw', 'c', { id: 'p', type: 'pause', phase: 'start' });
  timers.tick(10_000);
  t.deepEqual(actions(), ['raise:pause', 'escalate:pause', 'escalate:pause']);
  policy.dispose(); timers.restore();
});

test.serial('heart rate limits with hysteresis', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0, clearHoldMs: 0, hrHighBpm: 120, hrHysteresisBpm: 5 });
  for (const hr of [100, 125, 130, 118, 116]) policy.onVitals('gw', 'c', { hrBpm: hr });
  t.deepEqual(actions(), ['raise:hr-high'], '118 is inside the limit but not by 5 bpm');
  policy.onVitals('gw', 'c', { hrBpm: 115 });
  t.deepEqual(actions(), ['raise:hr-high', 'clear:hr-high']);
  policy.onVitals('gw', 'c', { hrBpm: 35 });
  policy.onVitals('gw', 'c', { hrBpm: null });
  t.deepEqual(actions().slice(2), ['raise:hr-low']);
  policy.dispose(); timers.restore();
});

test.serial('lead-off only after it lasts leadOffAfterMs; clear when it ends', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0, leadOffAfterMs: 10_000 });
  policy.onEvent('gw', 'c', { id: 'lo1', type: 'lead-off', phase: 'start' });
  timers.tick(9_000);
  policy.onEvent('gw', 'c', { id: 'lo1', type: 'lead-off', phase: 'end' });
  timers.tick(60_000);
  t.deepEqual(actions(), [], 'a short lead-off is not an alert');
  policy.onEvent('gw', 'c', { id: 'lo2', type: 'lead-off', phase: 'start' });
  timers.tick(10_000);
  t.deepEqual(actions(), ['raise:lead-off']);
  policy.onEvent('gw', 'c', { id: 'lo2', type: 'lead-off', phase: 'end' });
  t.deepEqual(actions(), ['raise:lead-off', 'clear:lead-off']);
  policy.dispose(); timers.restore();
});

test.serial('gateway offline after offlineAfterMs; online clears', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0, offlineAfterMs: 30_000 });
  policy.onStatus('gw', 'c', false);
  timers.tick(29_999);
  t.deepEqual(actions(), []);
  timers.tick(1);
  t.deepEqual(actions(), ['raise:offline']);
  policy.onStatus('gw', 'c', false);
  policy.onStatus('gw', 'c', true);
  t.deepEqual(actions(), ['raise:offline', 'clear:offline']);
  policy.dispose(); timers.restore();
});

test.serial('an agent restart (uptime drops) closes the episodes it left open', (t) => {
  const { timers, policy, actions } = setup({ escalateAfterMs: 0, clearHoldMs: 1000, leadOffAfterMs: 100 });
  policy.onStatus('gw', 'c', true, 500);
  policy.onEvent('gw', 'c', { id: 'vt-1', type: 'vt', phase: 'start' });
  policy.onEvent('gw', 'c', { id: 'lo-1', type: 'lead-off', phase: 'start' });
  timers.tick(200);
  policy.onStatus('gw', 'c', true, 700);
  timers.tick(5_000);
  t.deepEqual(actions(), ['raise:vt', 'raise:lead-off'], 'a later uptime changes nothing');
  policy.onStatus('gw', 'c', true, 3);
  timers.tick(1_000);
  t.deepEqual(actions().sort(), ['clear:lead-off', 'clear:vt', 'raise:lead-off', 'raise:vt']);
  t.deepEqual(policy.active(), []);
  policy.dispose(); timers.restore();
});

test.serial('dispose stops every timer', (t) => {
  const { timers, policy, actions } = setup({});
  policy.onStatus('gw', 'c', false);
  policy.onEvent('gw', 'c', { id: 'x', type: 'v-run', phase: 'start' });
  policy.dispose();
  t.is(timers.countTimers(), 0);
  timers.tick(1_000_000);
  t.deepEqual(actions(), ['raise:v-run']);
  timers.restore();
});

test('options: errors name the option, value and what is allowed', (t) => {
  t.throws(() => resolveAlertOptions({ cooldownMs: -1 }), { message: /"cooldownMs" is -1; allowed: a number >= 0/ });
  t.throws(() => resolveAlertOptions({ vtSeverity: 'loud' }), { message: /"vtSeverity" is "loud"; allowed: info, warning, critical/ });
  t.throws(() => resolveAlertOptions({ burdenRaiseCount: 3, burdenClearCount: 3 }), { message: /burdenClearCount/ });
  t.is(resolveAlertOptions({ hrHighBpm: '150' }).hrHighBpm, 150);
});
