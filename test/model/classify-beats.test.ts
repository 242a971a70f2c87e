/**
 * The classifyBeats operator with a fake model (fixtures.ts) whose answer
 * depends only on each beat: stream order kept with spans and unclassifiable
 * beats in between; a synchronous burst is run in full batches, a live stream
 * (beats one at a time) beat by beat; at most maxPending beats wait (the rest
 * are passed on as 'overload', or paced by classifyRecords so none is);
 * errors, empty and early unsubscribe. And with a committed model, the same
 * labels as the Classifier at batch 1.
 */
import test from 'ava';
import { firstValueFrom, from, lastValueFrom, Observable, Subject, take, toArray } from 'rxjs';
import type { PipelineRecord, SignalSpan } from '../../agent/src/pipeline.ts';
import { classifyBeats, type ClassifiedRecord } from '../../agent/src/model/classify-beats.ts';
import { classifyRecords } from '../../agent/src/model/classify-list.ts';
import { Classifier } from '../../agent/src/model/classifier.ts';
import { ModelInputBuilder } from '../../agent/src/model/input-builder.ts';
import { loadModel } from '../../agent/src/model/load.ts';
import { loadModelSpec } from '../../agent/src/model/spec.ts';
import { committedModels } from './committed.ts';
import { fakeModel, syntheticBeats } from './fixtures.ts';

const spec = loadModelSpec();
const span = (start: number): SignalSpan => ({ kind: 'bad-signal', reason: 'noisy', start, end: start + 100, fs: 360, sourceStart: start, sourceEnd: start + 100, sourceFs: 360 });

/** Beats with some spans and unclassifiable beats mixed in, in stream order. */
function stream(n: number): PipelineRecord[] {
  const out: PipelineRecord[] = [];
  syntheticBeats(spec, n, 2).forEach((b, i) => {
    if (i % 10 === 3) out.push(span(b.index - 50));
    out.push(i % 7 === 5 ? { ...b, quality: 'noisy' } : i === 0 ? { ...b, quality: 'edge' } : b);
  });
  return out;
}

test('keeps stream order: spans and unclassifiable beats wait behind beats being classified', async (t) => {
  const model = fakeModel(spec, { delayMs: 2 });
  const input = stream(60);
  const out = await lastValueFrom(from(input).pipe(classifyBeats(model, { batchSize: 8 }), toArray()));
  t.is(out.length, input.length);
  out.forEach((r, i) => {
    t.is(r.kind, input[i].kind);
    if (r.kind === 'bad-signal' || r.kind === 'bad-signal-start') t.is(r, input[i] as SignalSpan);
    else t.is(r.index, (input[i] as { index: number }).index);
  });
  const beats = out.filter((r) => r.kind === 'beat');
  t.is(beats[0].outcome, 'no-window');
  t.true(beats.filter((b) => b.outcome === 'bad-signal').every((b) => b.label === 'Q' && b.probabilities === null));
  t.true(model.batches.every((n) => n <= 8));
});

test('labels equal the Classifier\'s on the same beats (builder state per subscription)', async (t) => {
  const model = fakeModel(spec);
  const beats = syntheticBeats(spec, 40, 4);
  const op = classifyBeats(model, { batchSize: 16 });
  const first = await lastValueFrom(from(beats).pipe(op, toArray()));
  const second = await lastValueFrom(from(beats).pipe(op, toArray()));
  const builder = new ModelInputBuilder(spec);
  const direct = await new Classifier(model, { batchSize: 1 }).classify(beats.map((b) => ({ input: builder.next(b.index, b.window), quality: 'good' })));
  t.deepEqual(first.map((r) => (r.kind === 'beat' ? r.label : '-')), direct.map((r) => r.label));
  t.deepEqual(second.map((r) => (r.kind === 'beat' ? r.label : '-')), direct.map((r) => r.label));
});

test('a synchronous burst runs in full batches; a live stream runs each beat at once', async (t) => {
  const burst = fakeModel(spec);
  await lastValueFrom(from(syntheticBeats(spec, 100, 5)).pipe(classifyBeats(burst, { batchSize: 32 }), toArray()));
  t.deepEqual(burst.batches, [32, 32, 32, 4]);

  const live = fakeModel(spec);
  const subject = new Subject<PipelineRecord>();
  const results: ClassifiedRecord[] = [];
  const sub = subject.pipe(classifyBeats(live, { batchSize: 32 })).subscribe((r) => results.push(r));
  for (const b of syntheticBeats(spec, 5, 6)) {
    const before = results.length;
    subject.next(b);
    // A live beat is classified without waiting for more beats.
    while (results.length === before) await new Promise((r) => setTimeout(r, 1));
  }
  subject.complete();
  sub.unsubscribe();
  t.is(results.length, 5);
  t.true(live.batches.every((n) => n === 1), `batches ${live.batches.join(',')}`);
});

test('at most maxPending beats wait: beyond, beats pass unclassified as overload; classifyRecords paces so none does', async (t) => {
  const beats = syntheticBeats(spec, 50, 7);
  const slow = fakeModel(spec, { delayMs: 5 });
  const out = await lastValueFrom(from(beats).pipe(classifyBeats(slow, { batchSize: 4, maxPending: 8 }), toArray()));
  const overload = out.filter((r) => r.kind === 'beat' && r.outcome === 'overload');
  t.is(out.length, 50);
  t.true(overload.length > 0 && overload.every((r) => r.kind === 'beat' && r.label === 'Q'));
  t.true(slow.batches.reduce((a, b) => a + b, 0) <= 12, 'only the beats that could wait were run');

  const paced = fakeModel(spec, { delayMs: 2 });
  const all = await classifyRecords(paced, beats, { batchSize: 4, maxPending: 8 });
  t.is(all.length, 50);
  t.true(all.every((r) => r.kind === 'beat' && r.outcome === 'classified'));
});

test('a model failure or a source error reaches the subscriber; empty completes; unsubscribe stops output', async (t) => {
  await t.throwsAsync(lastValueFrom(from(syntheticBeats(spec, 20, 8)).pipe(classifyBeats(fakeModel(spec, { failOnCall: 2 }), { batchSize: 4 }), toArray())), { message: 'fake model failure' });
  const failing = new Observable<PipelineRecord>((s) => { s.next(syntheticBeats(spec, 1, 9)[0]); s.error(new Error('source broke')); });
  await t.throwsAsync(lastValueFrom(failing.pipe(classifyBeats(fakeModel(spec)))), { message: 'source broke' });
  t.deepEqual(await lastValueFrom(from([] as PipelineRecord[]).pipe(classifyBeats(fakeModel(spec)), toArray())), []);
  const model = fakeModel(spec, { delayMs: 3 });
  const firstTwo = await firstValueFrom(from(syntheticBeats(spec, 40, 10)).pipe(classifyBeats(model, { batchSize: 4 }), take(2), toArray()));
  t.is(firstTwo.length, 2);
  await new Promise((r) => setTimeout(r, 20));
  t.is(model.batches.length, 1, 'no batch starts after unsubscribe');
});

const current = committedModels().current;
for (const { path, name } of current.slice(0, 1)) {
  test(`${name}: the operator gives the Classifier's labels and probabilities`, async (t) => {
    const model = await loadModel(path);
    t.teardown(() => model.release());
    const input = stream(80);
    const out = await classifyRecords(model, input, { batchSize: 16 });
    const builder = new ModelInputBuilder(spec);
    const items = input.filter((r) => r.kind === 'beat').map((b) => ({ input: builder.next(b.index, b.quality === 'edge' ? null : b.window), quality: b.quality }));
    const direct = await new Classifier(model, { batchSize: 1 }).classify(items);
    const beats = out.filter((r) => r.kind === 'beat');
    t.deepEqual(beats.map((b) => b.label), direct.map((r) => r.label));
    beats.forEach((b, i) => {
      if (b.probabilities === null) t.is(direct[i].probabilities, null);
      else t.true(Math.max(...b.probabilities.map((p, c) => Math.abs(p - direct[i].probabilities![c]))) < 1e-5);
    });
  });
}
