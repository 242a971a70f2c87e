import test from 'ava';
import mqtt from 'mqtt';
import { statusMessage } from '../nodes/agent-messages.ts';
import { listen, runFlow, waitFor } from './runtime.ts';

// flows/gateway-health.json in a real Node-RED with the package installed, on a
// real broker: the agent's retained online status, then its connection dies and
// the broker publishes its last will.
test('gateway health: last will -> offline alert after the set time; back online -> clear and state changes', async (t) => {
  const { broker, red, close } = await runFlow('gateway-health', { offlineAfterMs: 400 }, 'arrhythminet/v1/+/+/status');
  t.teardown(close);
  const alerts = await listen(broker.port, 'arrhythminet/alert/#');
  const health = await listen(broker.port, 'arrhythminet/health/#');
  const will = statusMessage('icu-2', 'ch0', 'offline');
  const online = statusMessage('icu-2', 'ch0', 'online');
  const connectAgent = () => mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, {
    protocolVersion: 4, reconnectPeriod: 0,
    will: { topic: will.topic, payload: Buffer.from(JSON.stringify(will.payload)), qos: 1, retain: true },
  });
  try {
    const agent = await connectAgent();
    await agent.publishAsync(online.topic, JSON.stringify(online.payload), { qos: 1, retain: true });
    await waitFor(() => health.messages.length === 1, 10_000, 'online state');
    t.like(health.messages[0].payload, { gateway: 'icu-2', channel: 'ch0', state: 'online', agent: '0.1.0' });

    // The agent's connection dies without a DISCONNECT: the broker sends the will.
    const offlineAt = Date.now();
    agent.stream.destroy();
    await waitFor(() => alerts.messages.length === 1, 10_000, 'offline alert');
    t.true(Date.now() - offlineAt >= 400, 'not before offlineAfterMs');
    t.like(alerts.messages[0], { topic: 'arrhythminet/alert/icu-2/ch0/offline', payload: { action: 'raise', severity: 'warning' } });
    t.is(health.messages[1].payload.state, 'offline');

    const back = await connectAgent();
    await back.publishAsync(online.topic, JSON.stringify(online.payload), { qos: 1, retain: true });
    await waitFor(() => alerts.messages.length === 2 && health.messages.length === 3, 10_000, 'back online');
    t.is(alerts.messages[1].payload.action, 'clear');
    t.is(health.messages[2].payload.state, 'online');
    await back.endAsync();
    t.deepEqual(red.warnings, []);
  } finally {
    await alerts.client.endAsync();
    await health.client.endAsync();
  }
});
