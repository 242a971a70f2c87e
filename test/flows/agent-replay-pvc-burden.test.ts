import test from 'ava';
import { agentConfig, startAgent } from './agent-process.ts';
import { listen, runFlow, waitFor } from './runtime.ts';

// flows/pvc-burden-report.json in a real Node-RED with the package installed, on
// a real broker, fed by the real agent (`arrhythminet run --fast`, shipped model)
// replaying a scripted synthetic scenario: isolated PVCs every 3 s and one run
// of 4 PVCs, 61 s of signal as fast as the agent goes. The burden window is
// shortened (the signal's minute passes in a second or two of wall clock).
const isolatedAtS = [3, 6, 9, 12, 15, 18, 21, 24, 36, 39, 42, 45, 48, 51, 54];
const scenario = [...isolatedAtS.map((atS) => ({ atS, ectopic: 'V' })), { atS: 29, ectopic: 'V', count: 4, rrMs: 450 }];

test('PVC burden report fed by the agent: the isolated PVCs raise one burden alert that clears; the reports count the PVCs the agent saw', async (t) => {
  const { broker, red, close } = await runFlow('pvc-burden-report', { clearHoldMs: 200, burdenWindowMs: 3000 }, 'arrhythminet/v1/+/+/+');
  t.teardown(close);
  const dir = agentConfig(broker.port, 'bed-9', { type: 'synthetic', pvcEverySeconds: 0, scenario });
  t.teardown(() => dir.remove());
  const alerts = await listen(broker.port, 'arrhythminet/alert/#');
  const reports = await listen(broker.port, 'arrhythminet/report/#');
  const agentOut = await listen(broker.port, 'arrhythminet/v1/+/+/+');
  try {
    const t0 = Date.now();
    const exit = await startAgent(dir.configPath, ['--fast', '--duration', '61']).exited;
    t.is(exit.code, 0, exit.stderr);
    await waitFor(() => alerts.messages.length >= 2, 15_000, 'burden raised and cleared');
    t.log(`agent (61 s of signal, fast) + flow until the clear: ${Date.now() - t0} ms`);
    t.deepEqual(alerts.messages.map((m) => `${m.payload.action}:${m.payload.rule}`), ['raise:pvc-burden', 'clear:pvc-burden']);
    t.is(alerts.messages[0].topic, 'arrhythminet/alert/bed-9/ch0/pvc-burden');

    const of = (kind: string) => agentOut.messages.filter((m) => m.topic.endsWith(`/${kind}`)).map((m) => m.payload);
    const events = of('event');
    t.is(events.filter((e) => e.type === 'pvc' && e.phase === 'start').length, isolatedAtS.length, 'every scripted isolated PVC is a pvc event');
    t.true(events.some((e) => e.type === 'vt' || e.type === 'v-run'), 'the run is a run, which this flow leaves alone');
    const vBeats = of('beat').filter((b) => b.label === 'V').length;
    t.is(vBeats, isolatedAtS.length + 4, 'the shipped model labels every scripted PVC V, and nothing else');

    const vitals = of('vitals');
    await waitFor(() => reports.messages.length === vitals.length, 10_000, 'one report per vitals message');
    const last = reports.messages.at(-1)!;
    t.is(last.topic, 'arrhythminet/report/bed-9/ch0/pvc-burden');
    t.is(last.payload.pvcs, vBeats, 'the report counts the V beats the agent published');
    const beats = of('beat').filter((b) => ['N', 'L', 'R', 'A', 'V'].includes(b.label)).length;
    t.is(last.payload.beats, beats);
    t.deepEqual(red.warnings, []);
  } finally {
    await alerts.client.endAsync();
    await reports.client.endAsync();
    await agentOut.client.endAsync();
  }
});
