import test from 'ava';
import { agentConfig, startAgent } from './agent-process.ts';
import { listen, runFlow, waitFor } from './runtime.ts';

// flows/gateway-health.json in a real Node-RED with the package installed, on a
// real broker, watching the real agent (`arrhythminet run`, synthetic source in
// real time): its retained online status, then the agent killed with SIGKILL
// (no DISCONNECT: the broker publishes its last will), then started again.
test('gateway health fed by the agent: online; SIGKILL -> last will -> offline alert; restart -> clear and online', async (t) => {
  const { broker, red, close } = await runFlow('gateway-health', { offlineAfterMs: 400, clearHoldMs: 200 }, 'arrhythminet/v1/+/+/status');
  t.teardown(close);
  const dir = agentConfig(broker.port, 'icu-2', { type: 'synthetic' });
  t.teardown(() => dir.remove());
  const alerts = await listen(broker.port, 'arrhythminet/alert/#');
  const health = await listen(broker.port, 'arrhythminet/health/#');
  const agents: ReturnType<typeof startAgent>[] = [];
  t.teardown(() => agents.forEach((a) => a.child.exitCode === null && a.child.signalCode === null && a.child.kill('SIGKILL')));
  try {
    agents.push(startAgent(dir.configPath));
    await waitFor(() => health.messages.length === 1, 20_000, 'online state');
    t.like(health.messages[0], { topic: 'arrhythminet/health/icu-2/ch0', payload: { gateway: 'icu-2', channel: 'ch0', state: 'online' } });
    t.is(health.messages[0].payload.model, 'arrhythminet-v2.int8.onnx', 'the status names the shipped model (the default config)');

    const killedAt = Date.now();
    agents[0].child.kill('SIGKILL');
    t.is((await agents[0].exited).signal, 'SIGKILL');
    await waitFor(() => alerts.messages.length === 1, 10_000, 'offline alert');
    t.true(Date.now() - killedAt >= 400, 'not before offlineAfterMs');
    t.like(alerts.messages[0], { topic: 'arrhythminet/alert/icu-2/ch0/offline', payload: { action: 'raise', rule: 'offline', severity: 'warning' } });
    await waitFor(() => health.messages.length === 2, 10_000, 'offline state');
    t.is(health.messages[1].payload.state, 'offline');

    agents.push(startAgent(dir.configPath));
    await waitFor(() => alerts.messages.length === 2 && health.messages.length === 3, 20_000, 'back online');
    t.like(alerts.messages[1].payload, { action: 'clear', rule: 'offline' });
    t.is(health.messages[2].payload.state, 'online');
    t.deepEqual(red.warnings, []);

    agents[1].child.kill('SIGTERM');
    const exit = await agents[1].exited;
    t.is(exit.code, 0, `a clean stop on SIGTERM; ${exit.stderr}`);
    await waitFor(() => health.messages.length === 4, 10_000, 'offline after a clean stop');
    t.is(health.messages[3].payload.state, 'offline', 'a clean stop publishes offline itself');
  } finally {
    await alerts.client.endAsync();
    await health.client.endAsync();
  }
});
