import test from 'ava';
import { agentConfig, startAgent } from './agent-process.ts';
import { listen, runFlow } from './runtime.ts';

// flows/bedside-alerts.json in a real Node-RED with the package installed, on a
// real broker, fed by the real agent (`arrhythminet run`, shipped model) replaying
// a scripted synthetic scenario in real time: a run of 5 PVCs at 150 bpm, then
// the electrodes off for 6 s (LOFF_STAT bits through the ADS1292 codec).
// The alert node's hold times are shortened so the test takes ~25 s.
const LEAD_OFF_AFTER_MS = 1500;

interface Replay { alerts: { topic: string; payload: any }[]; events: { topic: string; payload: any }[]; warnings: string[]; exit: { code: number | null; stderr: string }; elapsedMs: number }

let replay: Promise<Replay> | undefined;
function bedside(): Promise<Replay> {
  replay ??= (async () => {
    const { broker, red, close } = await runFlow('bedside-alerts', { clearHoldMs: 200, leadOffAfterMs: LEAD_OFF_AFTER_MS }, 'arrhythminet/v1/+/+/+');
    const dir = agentConfig(broker.port, 'bed-7', {
      type: 'synthetic', pvcEverySeconds: 0,
      scenario: [{ atS: 5, ectopic: 'V', count: 5, rrMs: 400 }, { atS: 10, leadOff: { durationS: 6 } }],
    });
    try {
      const alerts = await listen(broker.port, 'arrhythminet/alert/#');
      const events = await listen(broker.port, 'arrhythminet/v1/+/+/event');
      const t0 = Date.now();
      const agent = startAgent(dir.configPath, ['--duration', '21']);
      const exit = await agent.exited;
      // The flow's clear hold (200 ms) and the last messages in flight.
      await new Promise((r) => setTimeout(r, 1000));
      const elapsedMs = Date.now() - t0;
      await alerts.client.endAsync();
      await events.client.endAsync();
      return { alerts: alerts.messages, events: events.messages, warnings: red.warnings, exit, elapsedMs };
    } finally {
      await close();
      dir.remove();
    }
  })();
  return replay;
}

const actions = (r: Replay, rule: string) => r.alerts.filter((m) => m.payload.rule === rule).map((m) => m.payload.action);

test('bedside alerts fed by the agent: the PVC run is a VT (shipped model labels the synthetic PVCs V), raised critical and cleared', async (t) => {
  const r = await bedside();
  t.log(`agent + flow: ${r.elapsedMs} ms wall for 21 s of signal`);
  t.is(r.exit.code, 0, r.exit.stderr);
  const vt = r.events.filter((m) => m.payload.type === 'vt');
  t.true(vt.length >= 2, `vt events: ${JSON.stringify(r.events.map((m) => `${m.payload.type}:${m.payload.phase}`))}`);
  t.is(vt.at(-1)!.payload.phase, 'end');
  t.is(vt.at(-1)!.payload.beats, 5, 'the five scripted PVCs, all labelled V');
  t.deepEqual(actions(r, 'vt'), ['raise', 'clear']);
  const raised = r.alerts.find((m) => m.payload.rule === 'vt')!;
  t.is(raised.topic, 'arrhythminet/alert/bed-7/ch0/vt');
  t.is(raised.payload.severity, 'critical');
  t.deepEqual(r.warnings, [], 'no warnings or errors in Node-RED');
});

test('bedside alerts fed by the agent: the scripted lead-off reaches the flow as a lead-off episode (start, end)', async (t) => {
  const r = await bedside();
  const lo = r.events.filter((m) => m.payload.type === 'lead-off');
  t.deepEqual(lo.map((m) => m.payload.phase), ['start', 'end']);
  const fs = lo[0].payload.fs as number;
  // Model-rate samples; the pipeline places the span within about a second of the script's 10 s..16 s.
  t.true(Math.abs(lo[0].payload.startSample / fs - 10) < 1.5, `start ${lo[0].payload.startSample}`);
});

// The pipeline reports the start of a bad-signal span with the quality block
// that begins it, so the lead-off episode starts while the electrode is off and
// the alert node's leadOffAfterMs timer can fire before the episode ends.
test('bedside alerts fed by the agent: a 6 s lead-off raises the lead-off alert while it lasts, then clears', async (t) => {
  const r = await bedside();
  t.deepEqual(actions(r, 'lead-off'), ['raise', 'clear']);
});
