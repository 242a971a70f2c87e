/**
 * Deletion metrics and Spearman correlation on functions and maps whose
 * answers are known: rankings with ties, replacement, curves and their AUC of
 * a linear f, top vs random drop, rank correlation with ties.
 */
import test from 'ava';
import { deletionCurve, deletionDrop, randomOrder, rankByAttribution, replaceSamples } from '../../agent/src/explain/deletion.ts';
import { spearman } from '../../agent/src/explain/sanity.ts';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import type { WindowFunction } from '../../agent/src/explain/shap.ts';

/** f = sum of the window's samples; n windows of `length`. */
function sumOf(length: number): WindowFunction {
  return async (w, n) => Float64Array.from({ length: n }, (_, b) => w.subarray(b * length, (b + 1) * length).reduce((s, v) => s + v, 0));
}

test('ranking: largest first, ties in sample order', (t) => {
  t.deepEqual(Array.from(rankByAttribution([0, 3, 1, 3, 0, -2])), [1, 3, 2, 0, 4, 5]);
  t.deepEqual(Array.from(rankByAttribution([])), []);
});

test('random order: a permutation, fixed by the seed', (t) => {
  const a = randomOrder(50, mulberry32(4));
  t.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  t.deepEqual(Array.from(a), Array.from(randomOrder(50, mulberry32(4))));
  t.notDeepEqual(Array.from(a), Array.from(randomOrder(50, mulberry32(5))));
});

test('replaceSamples takes the first count samples of the order from the baseline', (t) => {
  const x = Float32Array.from([1, 2, 3, 4]);
  const b = Float32Array.from([-1, -2, -3, -4]);
  t.deepEqual(Array.from(replaceSamples(x, b, [2, 0, 1, 3], 2)), [-1, 2, -3, 4]);
  t.deepEqual(Array.from(replaceSamples(x, b, [2, 0, 1, 3], 0)), [1, 2, 3, 4]);
  t.deepEqual(Array.from(x), [1, 2, 3, 4], 'input untouched');
});

test('deletion curve of a sum with a zero baseline: values and trapezoid AUC known in closed form', async (t) => {
  const x = Float32Array.from({ length: 10 }, (_, i) => i + 1); // sum 55
  const zero = new Float32Array(10);
  const c = await deletionCurve(sumOf(10), x, zero, rankByAttribution(x), 5);
  t.deepEqual(c.fractions, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  // Largest first: remove 10+9, then 8+7, ...
  t.deepEqual(c.values, [55, 36, 21, 10, 3, 0]);
  t.is(c.auc, 0.2 * ((55 + 36) / 2 + (36 + 21) / 2 + (21 + 10) / 2 + (10 + 3) / 2 + 3 / 2));
  const worst = await deletionCurve(sumOf(10), x, zero, rankByAttribution(x.map((v) => -v)), 5);
  t.true(worst.auc > c.auc, 'smallest first deletes the output more slowly');
});

test('deletion drop: the true attribution beats random sets; a reversed one does not', async (t) => {
  const u = mulberry32(9);
  const x = Float32Array.from({ length: 100 }, () => u());
  const zero = new Float32Array(100);
  const good = await deletionDrop(sumOf(100), x, zero, x, { fraction: 0.1, randomDraws: 20 });
  t.is(good.count, 10);
  t.true(Math.abs(good.full - x.reduce((s, v) => s + v, 0)) < 1e-4);
  t.true(good.full - good.top > good.full - good.random);
  const bad = await deletionDrop(sumOf(100), x, zero, x.map((v) => -v), { fraction: 0.1, randomDraws: 20 });
  t.true(bad.full - bad.top < bad.full - bad.random);
  await t.throwsAsync(deletionDrop(sumOf(100), x, zero, x, { fraction: 0 }), { message: /fraction must be in \(0, 1\], got 0/ });
  await t.throwsAsync(deletionDrop(sumOf(100), x, zero.subarray(1), x), { message: /baseline 99/ });
});

test('spearman: monotone maps 1, reversed -1, ties by mean rank, constant NaN', (t) => {
  t.is(spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1);
  t.is(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  // Ranks [1.5, 1.5, 3, 4] vs [1, 2, 3, 4]: Pearson of these = 0.9486832980505138.
  t.true(Math.abs(spearman([0, 0, 1, 2], [1, 2, 3, 4]) - 0.9486832980505138) < 1e-12);
  t.true(Number.isNaN(spearman([0, 0, 0], [1, 2, 3])));
  t.throws(() => spearman([1], [1, 2]), { message: /1 and 2 values/ });
});
