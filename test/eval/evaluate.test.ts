/** Evaluation over records with an injected loader; bxb-style time arguments. */
import test from 'ava';
import { evaluateRecords, parseTimeS, type RecordAnnotations } from '../../agent/src/eval/evaluate.ts';
import { compareBeats } from '../../agent/src/eval/beat-match.ts';

const fs = 360;
const beats = (...samples: number[]) => samples.map((sample) => ({ sample, symbol: 'N' }));

const data: Record<string, RecordAnnotations> = {
  a: { fs, lengthSamples: 5000, reference: beats(400, 800, 1200), test: beats(400, 810, 1200, 1500) },
  b: { fs, reference: beats(400, 800), test: beats(790, 2000) },
};

test('each record is compared as compareBeats does, then pooled', async (t) => {
  const seen: string[] = [];
  const e = await evaluateRecords(['a', 'b'], async (r) => data[r], { startS: 0 }, (done, total, r) => seen.push(`${done}/${total} ${r}`));
  t.deepEqual(seen, ['1/2 a', '2/2 b']);
  const direct = compareBeats(data.a.reference, data.a.test, { fs, startS: 0, endSample: 5000 });
  t.deepEqual(e.records[0].comparison.matrix, direct.matrix);
  t.is(e.records[0].counts.On, 1);
  // Record b has no length: the comparison stops with the reference.
  t.deepEqual([e.records[1].counts.Nn, e.records[1].counts.No, e.records[1].counts.On], [1, 1, 0]);
  t.is(e.summary.records, 2);
  t.is(e.summary.totalQrs, 5);
  t.deepEqual(e.records[0].comparison.pairs, []);
});

test('per-beat pairs are kept on request', async (t) => {
  const e = await evaluateRecords(['a'], async (r) => data[r], { startS: 0, keepPairs: true });
  t.deepEqual(e.records[0].comparison.pairs.map((p) => p.kind), ['matched', 'matched', 'matched', 'extra']);
});

test('the default start is 5 minutes (EC57)', async (t) => {
  const late = { fs, lengthSamples: 200000, reference: beats(1000, 108100), test: beats(1000, 108100) };
  const e = await evaluateRecords(['x'], async () => late);
  t.is(e.records[0].counts.Nn, 1);
});

test('times are seconds, M:S or H:M:S', (t) => {
  t.is(parseTimeS('0'), 0);
  t.is(parseTimeS('5:0'), 300);
  t.is(parseTimeS('2.5'), 2.5);
  t.is(parseTimeS('1:02:03'), 3723);
  t.is(parseTimeS('5min'), null);
  t.is(parseTimeS('-1'), null);
});
