import test from 'ava';
import mqtt from 'mqtt';
import { RhythmEngine } from '../../agent/src/rhythm/engine.ts';
import type { RhythmEvent, RhythmInput } from '../../agent/src/rhythm/types.ts';
import { beats, FS, lastSample, then } from '../rhythm/script.ts';
import { eventMessage } from '../nodes/agent-messages.ts';
import { listen, runFlow, waitFor } from './runtime.ts';

// flows/bedside-alerts.json fed with the events the agent's own rhythm engine
// makes from a scripted beat sequence (a VT run, a hundred isolated PVCs, a
// lead-off), published as the agent publishes them. Until the agent's `run`
// publishes (issue 5), this stands in for the replay of a synthetic ECG.
function scenario(): RhythmEvent[] {
  let script: RhythmInput[] = beats('NNNNNNNNNN', 800);
  script = then(script, 800, beats('VVVV', 400)); // 150 bpm: VT
  script = then(script, 800, beats('NNNNNNNNNN', 800));
  script = then(script, 800, beats('NV'.repeat(100) + 'N', 300)); // 100 isolated PVCs in about a minute
  script = then(script, 800, beats('NNNNNNNN', 800));
  const offAt = lastSample(script) + Math.round(0.5 * FS);
  script.push({ kind: 'signal', state: { sample: offAt, leadOff: true, poor: false } });
  script.push({ kind: 'signal', state: { sample: offAt + 15 * FS, leadOff: false, poor: false } });
  script = then(script, 800, beats('NNNNN', 800));
  const engine = new RhythmEngine({ fs: FS, streamId: 'bed-5-ch0' });
  return [...script.flatMap((i) => engine.next(i)), ...engine.finish()];
}

test('bedside alerts from the rhythm engine\'s events: VT, one PVC-burden alert for 100 PVCs, lead-off; each cleared', async (t) => {
  const events = scenario();
  t.true(events.filter((e) => e.type === 'pvc' && e.phase === 'start').length >= 100, 'the engine saw the isolated PVCs');
  t.true(events.some((e) => e.type === 'vt'), 'the engine saw the VT');

  const { broker, red, close } = await runFlow('bedside-alerts', { clearHoldMs: 200, burdenWindowMs: 3000, leadOffAfterMs: 500 }, 'arrhythminet/v1/+/+/+');
  t.teardown(close);
  const agent = await mqtt.connectAsync(`mqtt://127.0.0.1:${broker.port}`, { protocolVersion: 4 });
  const alerts = await listen(broker.port, 'arrhythminet/alert/#');
  const of = (rule: string) => alerts.messages.filter((m) => m.payload.rule === rule).map((m) => m.payload.action);
  try {
    for (const e of events) {
      // The lead-off lasts 15 s of signal; in this fast replay it must last past the alert's 500 ms.
      if (e.type === 'lead-off' && e.phase === 'end') await waitFor(() => of('lead-off').length === 1, 10_000, 'lead-off raised');
      const m = eventMessage('bed-5', 'ch0', e);
      await agent.publishAsync(m.topic, JSON.stringify(m.payload), { qos: 1 });
    }
    await waitFor(() => ['vt', 'pvc-burden', 'lead-off'].every((r) => of(r).length === 2), 15_000, 'every alert raised and cleared');
    t.deepEqual(of('vt'), ['raise', 'clear']);
    t.deepEqual(of('pvc-burden'), ['raise', 'clear'], 'one burden alert for 100 PVCs');
    t.deepEqual(of('lead-off'), ['raise', 'clear']);
    t.deepEqual([...new Set(alerts.messages.map((m) => m.payload.rule))].sort(), ['lead-off', 'pvc-burden', 'vt']);
    t.is(alerts.messages.find((m) => m.payload.rule === 'vt')!.payload.severity, 'critical');
    t.deepEqual(red.warnings, []);
  } finally {
    await agent.endAsync();
    await alerts.client.endAsync();
  }
});
