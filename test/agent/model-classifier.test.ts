import test from 'ava';
import { modelClassifier } from '../../agent/src/agent/model-classifier.ts';
import { startAgent } from '../../agent/src/agent/agent.ts';
import type { AgentSink } from '../../agent/src/agent/sink.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';
import { parseConfig } from '../../agent/src/config/load.ts';

test('the model behind the seam: every good beat classified in batches, probabilities in model order, PVCs become pvc events', async (t) => {
  const config = await parseConfig({ model: { path: 'models/arrhythminet-v2.int8.onnx', batchSize: 8 }, source: { type: 'synthetic', pvcEverySeconds: 10, seed: 2 } }, 'test');
  const classifier = await modelClassifier(config.model);
  t.teardown(() => classifier.close?.());
  const beats: ClassifiedBeat[] = [];
  const events: RhythmEvent[] = [];
  const sink: AgentSink = { beat: (b) => beats.push(b), event: (e) => events.push(e), vitals: () => {}, close: async () => {} };
  const agent = startAgent({ config, sinks: [sink], classifier, durationSec: 65, fast: true });
  const snap = await agent.done;
  const good = beats.filter((b) => b.beat.quality === 'good');
  t.is(snap.agent.classified, good.length);
  for (const b of good) {
    if (b.probs === null) { t.is(b.label, 'Q'); continue; }
    t.is(b.probs.length, 5);
    t.true(Math.abs(b.probs.reduce((a, p) => a + p, 0) - 1) < 1e-3);
    t.is(b.label, (['N', 'L', 'R', 'A', 'V'] as const)[b.probs.indexOf(Math.max(...b.probs))]);
  }
  const v = beats.filter((b) => b.label === 'V').length;
  const pvcs = events.filter((e) => e.type === 'pvc' && e.phase === 'start').length;
  t.log(`${beats.length} beats, ${v} labelled V, ${pvcs} pvc events (6 PVCs injected)`);
  t.true(pvcs >= 4, `${pvcs} pvc events`);
  t.true(beats.some((b) => b.gradcam !== undefined && b.gradcam.length === 256));
});
