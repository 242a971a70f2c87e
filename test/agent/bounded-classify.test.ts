import test from 'ava';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { BacklogGate, boundedClassify } from '../../agent/src/agent/bounded-classify.ts';
import type { BeatClassifier, Classification } from '../../agent/src/agent/classifier.ts';
import { zeroAgentCounters, type AgentRecord, type ClassifiedBeat, type ClockTick } from '../../agent/src/agent/records.ts';
import type { Beat, PipelineRecord, SignalSpan } from '../../agent/src/pipeline.ts';

function beat(index: number, quality: Beat['quality'] = 'good'): Beat {
  return { kind: 'beat', index, fs: 360, sourceIndex: index, sourceFs: 360, window: new Float32Array(256).fill(index), windowStart: index - 90, rrPrevMs: null, rrLocalMs: null, quality };
}
const span = (start: number, end: number): SignalSpan => ({ kind: 'bad-signal', start, end, fs: 360, reason: 'noisy', sourceStart: start, sourceEnd: end, sourceFs: 360 });
const tick = (sample: number): ClockTick => ({ kind: 'clock', sample, fs: 360 });

/** Labels a beat V when its index is odd, after `delayMs`; records every batch. */
function fakeModel(delayMs = 1): BeatClassifier & { batches: number[][] } {
  const batches: number[][] = [];
  return {
    id: 'fake', isModel: true, batches,
    classify: (beats) => new Promise<Classification[]>((r) => {
      batches.push(beats.map((b) => b.index));
      setTimeout(() => r(beats.map((b) => ({ label: b.index % 2 ? 'V' : 'N', probs: [0.1, 0, 0, 0, 0.9] }))), delayMs);
    }),
  };
}

const describe = (r: AgentRecord) => (r.kind === 'classified' ? `${r.beat.index}${r.label}${r.unclassified ? `:${r.unclassified}` : ''}` : `${r.kind}@${r.kind === 'clock' ? r.sample : r.start}`);

test('keeps stream order across batches; spans and clock ticks pass through in place; bad-signal beats skip the model', async (t) => {
  const model = fakeModel(2);
  const counters = zeroAgentCounters();
  const input: (PipelineRecord | ClockTick)[] = [beat(1), beat(2), tick(3), span(3, 9), beat(10, 'noisy'), beat(11), tick(12), beat(13), beat(14)];
  const out = await lastValueFrom(from(input).pipe(boundedClassify(model, { batchSize: 2, maxPending: 100, maxHeld: 100, counters }), toArray()));
  t.deepEqual(out.map(describe), ['1V', '2N', 'clock@3', 'bad-signal@3', '10Q:quality', '11V', 'clock@12', '13V', '14N']);
  t.true(model.batches.every((b) => b.length <= 2));
  t.deepEqual(model.batches.flat(), [1, 2, 11, 13, 14]);
  t.is(counters.beats, 6);
  t.is(counters.classified, 5);
  t.is(counters.spans, 1);
});

test('beyond maxPending a beat goes unclassified with its window released; beyond maxHeld it is dropped and counted', async (t) => {
  let release: (() => void) | undefined;
  const model: BeatClassifier = {
    id: 'stuck', isModel: true,
    classify: (beats) => new Promise((r) => { release = () => r(beats.map(() => ({ label: 'N', probs: null }))); }),
  };
  const counters = zeroAgentCounters();
  const input = new Subject<PipelineRecord | ClockTick>();
  const out: AgentRecord[] = [];
  let done = false;
  input.pipe(boundedClassify(model, { batchSize: 1, maxPending: 2, maxHeld: 4, counters })).subscribe({ next: (r) => out.push(r), complete: () => { done = true; } });
  for (let i = 1; i <= 6; i++) input.next(beat(i));
  input.next(tick(7)); // queue full: a tick is skipped, not held
  input.complete();
  t.is(out.length, 0, 'nothing passes the batch in flight');
  t.is(counters.overflowUnclassified, 2);
  t.is(counters.beatsDropped, 2);
  t.false(done);
  while (!done) {
    release?.();
    await new Promise((r) => setTimeout(r, 1));
  }
  t.deepEqual(out.map(describe), ['1N', '2N', '3Q:overflow', '4Q:overflow']);
  const overflowed = out[2] as ClassifiedBeat;
  t.is(overflowed.beat.window.length, 0);
});

test('the gate holds a pull source while the backlog is high and lets it go when it drains', async (t) => {
  const gate = new BacklogGate(2);
  let passed = false;
  gate.set(3);
  const waiting = gate.ready().then(() => { passed = true; });
  await new Promise((r) => setImmediate(r));
  t.false(passed);
  gate.set(1);
  await waiting;
  t.true(passed);
  gate.set(5);
  const held = gate.ready();
  gate.open();
  await held;
  t.pass();
});

test('a classifier error errors the stream; a wrong result count is an error naming the classifier', async (t) => {
  const counters = zeroAgentCounters();
  const failing: BeatClassifier = { id: 'broken', isModel: true, classify: () => Promise.reject(new Error('session gone')) };
  await t.throwsAsync(lastValueFrom(from([beat(1)]).pipe(boundedClassify(failing, { batchSize: 4, maxPending: 8, maxHeld: 8, counters }))), { message: 'session gone' });
  const short: BeatClassifier = { id: 'short', isModel: true, classify: () => Promise.resolve([]) };
  await t.throwsAsync(lastValueFrom(from([beat(1)]).pipe(boundedClassify(short, { batchSize: 4, maxPending: 8, maxHeld: 8, counters }))), { message: /classifier short returned 0 results for 1 beats/ });
  t.throws(() => boundedClassify(short, { batchSize: 0, maxPending: 8, maxHeld: 8, counters }), { message: /"batchSize" is 0/ });
});

test('empty input completes at once', async (t) => {
  const out = await lastValueFrom(from([] as PipelineRecord[]).pipe(boundedClassify(fakeModel(), { batchSize: 2, maxPending: 4, maxHeld: 4, counters: zeroAgentCounters() }), toArray()));
  t.deepEqual(out, []);
});

test('prepare sees every beat in stream order; classify gets what was prepared for the beats it runs', async (t) => {
  const seen: number[] = [];
  const model: BeatClassifier = {
    id: 'prep', isModel: true,
    prepare: (b) => { seen.push(b.index); return `input-${b.index}`; },
    classify: (beats, prepared) => Promise.resolve(beats.map((b, i) => ({ label: prepared[i] === `input-${b.index}` ? 'N' : 'Q', probs: [1, 0, 0, 0, 0] }))),
  };
  const out = await lastValueFrom(from([beat(1), beat(2, 'noisy'), span(3, 4), beat(5)]).pipe(boundedClassify(model, { batchSize: 4, maxPending: 8, maxHeld: 8, counters: zeroAgentCounters() }), toArray()));
  t.deepEqual(seen, [1, 2, 5]);
  t.deepEqual(out.map(describe), ['1N', '2Q:quality', 'bad-signal@3', '5N']);
});

test('a synchronous burst (a replay at full speed) runs in full batches; the rest when the input ends', async (t) => {
  const model = fakeModel(1);
  const input = Array.from({ length: 70 }, (_, i) => beat(i + 1));
  const out = await lastValueFrom(from(input).pipe(boundedClassify(model, { batchSize: 32, maxPending: 128, maxHeld: 4096, counters: zeroAgentCounters() }), toArray()));
  t.is(out.length, 70);
  t.deepEqual(model.batches.map((b) => b.length), [32, 32, 6]);
});

test('a source busy every event-loop turn fills batches; a live source idle between chunks has each beat run at once', async (t) => {
  const turn = () => new Promise<void>((r) => setImmediate(r));
  const busy = fakeModel(0);
  const input = new Subject<PipelineRecord | ClockTick>();
  const done = lastValueFrom(input.pipe(boundedClassify(busy, { batchSize: 8, maxPending: 32, maxHeld: 4096, counters: zeroAgentCounters() }), toArray()));
  for (let i = 1; i <= 20; i++) { input.next(beat(i)); input.next(tick(i)); await turn(); }
  input.complete();
  await done;
  t.deepEqual(busy.batches.map((b) => b.length), [8, 8, 4]);

  const live = fakeModel(0);
  const liveInput = new Subject<PipelineRecord | ClockTick>();
  const classifiedAt: number[] = [];
  const liveDone = lastValueFrom(liveInput.pipe(boundedClassify(live, { batchSize: 8, maxPending: 32, maxHeld: 4096, counters: zeroAgentCounters() }), toArray()));
  for (let i = 1; i <= 5; i++) {
    liveInput.next(beat(i));
    liveInput.next(tick(i));
    await new Promise((r) => setTimeout(r, 15));
    classifiedAt.push(live.batches.flat().length);
  }
  liveInput.complete();
  await liveDone;
  t.deepEqual(live.batches.map((b) => b.length), [1, 1, 1, 1, 1]);
  t.deepEqual(classifiedAt, [1, 2, 3, 4, 5], 'each beat went to the classifier before the next chunk');
});
