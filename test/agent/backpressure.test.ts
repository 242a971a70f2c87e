/**
 * Backpressure from a slow classifier: a pull source (WFDB replay at full
 * speed) waits for the classifier and loses nothing; a push source (synthetic
 * at full speed, like a serial device that cannot be paused) overflows into
 * counted unclassified beats instead of a growing queue.
 */
import anyTest from 'ava';
import { join } from 'node:path';
import { testNeeding, mitdb, mitdbDir } from '../helpers/requires.ts';
import { startAgent } from '../../agent/src/agent/agent.ts';
import type { BeatClassifier } from '../../agent/src/agent/classifier.ts';
import type { AgentSink } from '../../agent/src/agent/sink.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';
import { parseConfig } from '../../agent/src/config/load.ts';

/** Takes `msPerBatch` per call, whatever the batch size; tracks the largest backlog it was handed. */
function slowClassifier(msPerBatch: number): BeatClassifier & { calls: number } {
  const c = {
    id: 'slow', isModel: true, calls: 0,
    classify: (beats: readonly unknown[]) => new Promise<{ label: 'N'; probs: number[] }[]>((r) => {
      c.calls++;
      setTimeout(() => r(beats.map(() => ({ label: 'N' as const, probs: [1, 0, 0, 0, 0] }))), msPerBatch);
    }),
  };
  return c;
}

function collector(): AgentSink & { beats: ClassifiedBeat[] } {
  const beats: ClassifiedBeat[] = [];
  return { beats, beat: (b) => beats.push(b), event: () => {}, vitals: () => {}, close: async () => {} };
}

testNeeding(mitdb)('a WFDB replay at full speed waits for a slow classifier: every good beat classified, none dropped', async (t) => {
  const config = await parseConfig({ source: { type: 'wfdb', record: join(mitdbDir, '100'), speed: 'fast' }, model: { batchSize: 2 } }, 'test');
  const sink = collector();
  const agent = startAgent({ config, sinks: [sink], classifier: slowClassifier(20), durationSec: 120, maxPending: 4 });
  const snap = await agent.done;
  const good = sink.beats.filter((b) => b.beat.quality === 'good').length;
  t.true(snap.agent.beats > 130, `${snap.agent.beats} beats in 2 min of record 100`);
  t.is(snap.agent.overflowUnclassified, 0);
  t.is(snap.agent.beatsDropped, 0);
  t.is(snap.agent.classified, good);
  t.is(sink.beats.length, snap.agent.beats);
});

anyTest('a push source faster than the classifier overflows into counted unclassified beats, queue bounded', async (t) => {
  const config = await parseConfig({ model: { batchSize: 1 } }, 'test');
  const sink = collector();
  // 200 ms a beat: far slower than the source even on a loaded machine (beats now leave the pipeline evenly, not in bursts).
  const classifier = slowClassifier(200);
  const agent = startAgent({ config, sinks: [sink], classifier, durationSec: 120, fast: true, maxPending: 2, maxHeld: 512 });
  const snap = await agent.done;
  t.true(snap.agent.overflowUnclassified > 0, 'overflowed');
  t.true(snap.agent.classified >= 1);
  // Every beat is accounted for: classified, unclassified (quality or overflow), or dropped.
  t.is(snap.agent.beats, sink.beats.length + snap.agent.beatsDropped);
  t.is(sink.beats.filter((b) => b.unclassified === 'overflow').length, snap.agent.overflowUnclassified);
  t.true(sink.beats.filter((b) => b.unclassified === 'overflow').every((b) => b.beat.window.length === 0), 'overflowed windows released');
  t.log(`beats ${snap.agent.beats}: classified ${snap.agent.classified}, overflow ${snap.agent.overflowUnclassified}, dropped ${snap.agent.beatsDropped}`);
});
