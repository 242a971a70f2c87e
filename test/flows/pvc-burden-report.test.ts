import test from 'ava';
import mqtt from 'mqtt';
import { episode, eventMessage, isolated, vitalsMessage, type AgentMessage } from '../nodes/agent-messages.ts';
import { listen, runFlow, waitFor } from './runtime.ts';

// flows/pvc-burden-report.json in a real Node-RED with the package installed, on a real broker.
test('PVC burden report: 100 isolated PVCs in a minute give one burden alert; vitals give the burden report', async (t) => {
  const { broker, red, close } = await runFlow('pvc-burden-report', { clearHoldMs: 200, burdenWindowMs: 3000 }, 'arrhythminet/v1/+/+/+');
  t.teardown(close);
  const agent = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
  const alerts = await listen(broker.port, 'arrhythminet/alert/#');
  const reports = await listen(broker.port, 'arrhythminet/report/#');
  try {
    const publish = (m: AgentMessage) => agent.publishAsync(m.topic, JSON.stringify(m.payload), { qos: 1 });
    // A run of V is not this flow's business: its switch passes PVCs and couplets only.
    const run = episode('v-run', 1000, 2000, 5, 160);
    await publish(eventMessage('bed-9', 'ch0', run.start));
    for (let i = 0; i < 100; i++) {
      for (const e of isolated('pvc', 10_000 + i * 216)) await publish(eventMessage('bed-9', 'ch0', e));
    }
    await waitFor(() => alerts.messages.length === 2, 15_000, 'burden raised and cleared');
    t.deepEqual(alerts.messages.map((m) => `${m.payload.action}:${m.payload.rule}`), ['raise:pvc-burden', 'clear:pvc-burden']);
    t.is(alerts.messages[0].topic, 'arrhythminet/alert/bed-9/ch0/pvc-burden');

    // Three 10 s vitals intervals, each with N 10 and V 1 (agent-messages.ts).
    const t0 = Date.UTC(2026, 0, 1, 12);
    for (let k = 0; k < 3; k++) await publish(vitalsMessage('bed-9', 'ch0', 72, t0 + k * 10_000));
    await waitFor(() => reports.messages.length === 3, 10_000, 'three reports');
    const last = reports.messages[2];
    t.is(last.topic, 'arrhythminet/report/bed-9/ch0/pvc-burden');
    t.like(last.payload, { gateway: 'bed-9', channel: 'ch0', windowS: 30, pvcs: 3, beats: 33, pvcPercent: 9.1, pvcPerMin: 6, untilMs: t0 + 20_000 });
    t.deepEqual(red.warnings, []);
  } finally {
    await agent.endAsync();
    await alerts.client.endAsync();
    await reports.client.endAsync();
  }
});
