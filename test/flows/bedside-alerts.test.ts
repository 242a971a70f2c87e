import test from 'ava';
import mqtt from 'mqtt';
import { episode, eventMessage, isolated, statusMessage, type AgentMessage } from '../nodes/agent-messages.ts';
import { listen, runFlow, waitFor } from './runtime.ts';

// flows/bedside-alerts.json in a real Node-RED with the package installed, on a
// real broker; the scenario is published the way the agent publishes it.
// Times of the alert node are shortened so the test runs in seconds.
test('bedside alerts: a run of V, 100 isolated PVCs and a lead-off give their alerts and clears, one burden alert only', async (t) => {
  const { broker, red, close } = await runFlow('bedside-alerts', { clearHoldMs: 200, burdenWindowMs: 3000, leadOffAfterMs: 500 }, 'arrhythminet/v1/+/+/+',
    (n) => (n.id === 'bedside-rejected' ? { ...n, console: true } : n)); // to see what the catch path received
  t.teardown(close);
  const agent = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
  const alerts = await listen(broker.port, 'arrhythminet/alert/#');
  try {
    const publish = (m: AgentMessage, retain = false) => agent.publishAsync(m.topic, JSON.stringify(m.payload), { qos: 1, retain });
    const of = (rule: string) => alerts.messages.filter((m) => m.payload.rule === rule).map((m) => m.payload.action);
    await publish(statusMessage('bed-7', 'ch0', 'online'), true);

    const run = episode('v-run', 36_000, 37_000, 4, 150);
    await publish(eventMessage('bed-7', 'ch0', run.start));
    await waitFor(() => of('v-run').length === 1, 10_000, 'v-run raised');
    await publish(eventMessage('bed-7', 'ch0', run.end));
    await waitFor(() => of('v-run').length === 2, 10_000, 'v-run cleared');
    t.deepEqual(of('v-run'), ['raise', 'clear']);
    const raised = alerts.messages.find((m) => m.payload.rule === 'v-run')!;
    t.is(raised.topic, 'arrhythminet/alert/bed-7/ch0/v-run');
    t.is(raised.payload.severity, 'warning');

    // A malformed message on the way is rejected (catch -> debug), not a crash.
    await agent.publishAsync('arrhythminet/v1/bed-7/ch0/event', '{"v":1,"gateway":"bed-7"}', { qos: 1 });
    await agent.publishAsync('arrhythminet/v1/bed-7/ch0/vitals', '{"v":1,', { qos: 1 });

    for (let i = 0; i < 100; i++) {
      for (const e of isolated('pvc', 40_000 + i * 216)) await publish(eventMessage('bed-7', 'ch0', e));
    }
    await waitFor(() => of('pvc-burden').length === 2, 15_000, 'burden raised and cleared');
    t.deepEqual(of('pvc-burden'), ['raise', 'clear'], 'one burden alert for 100 PVCs, then its clear');

    const lo = episode('lead-off', 80_000, 90_000, 0);
    await publish(eventMessage('bed-7', 'ch0', lo.start));
    await waitFor(() => of('lead-off').length === 1, 10_000, 'lead-off raised');
    await publish(eventMessage('bed-7', 'ch0', lo.end));
    await waitFor(() => of('lead-off').length === 2, 10_000, 'lead-off cleared');
    t.deepEqual(of('lead-off'), ['raise', 'clear']);
    t.deepEqual(red.warnings, [], 'no warnings or errors');
    t.true(red.log.some((l) => /invalid event payload/.test(l)), 'the message breaking its schema reached the catch path');
    t.true(red.log.some((l) => /vitals": payload is not JSON/.test(l)), 'the message that is not JSON reached the catch path');
  } finally {
    await agent.endAsync();
    await alerts.client.endAsync();
  }
});
