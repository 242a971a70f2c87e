/**
 * The confusion matrix sums, bxb's statistics and sumstats' totals, on
 * matrices built by hand; printf rounding as glibc does it.
 */
import test from 'ava';
import {
  beatStatistics, emptyMatrix, lineCounts, standardTable, type ConfusionMatrix,
} from '../../agent/src/eval/confusion.ts';
import { summarize } from '../../agent/src/eval/sumstats.ts';
import { cFixed, cInt } from '../../agent/src/eval/c-format.ts';
import type { EvalClass } from '../../agent/src/eval/labels.ts';

function matrix(cells: Record<string, number>): ConfusionMatrix {
  const m = emptyMatrix();
  for (const [k, n] of Object.entries(cells)) m[k[0] as EvalClass][k[1].toUpperCase() as EvalClass] = n;
  return m;
}

test('QRS statistics count every beat class pair as detected, O and X as missed or extra', (t) => {
  const s = beatStatistics(matrix({ Nn: 90, Sv: 2, Qq: 3, No: 4, Fx: 1, On: 5, Xs: 2 }));
  t.deepEqual(s.qrsSensitivity, { numerator: 95, denominator: 100, percent: 95 });
  t.deepEqual(s.qrsPositivePredictivity, { numerator: 95, denominator: 102, percent: (100 * 95) / 102 });
});

test('VEB +P leaves out F and Q beats called V, as bxb does', (t) => {
  const s = beatStatistics(matrix({ Vv: 8, Nv: 1, Sv: 1, Fv: 5, Qv: 5, Ov: 2, Vn: 2 }));
  t.deepEqual(s.vebPositivePredictivity, { numerator: 8, denominator: 12, percent: (100 * 8) / 12 });
  t.deepEqual(s.vebSensitivity, { numerator: 8, denominator: 10, percent: 80 });
  // False positive rate: V calls of non-V beats over non-V beats not called V.
  t.deepEqual(s.vebFalsePositiveRate.numerator, 4);
  t.deepEqual(s.vebFalsePositiveRate.denominator, 4 + 0);
});

test('SVEB +P leaves out Q beats called S; a statistic with no beats is null', (t) => {
  const s = beatStatistics(matrix({ Ss: 3, Ns: 1, Fs: 1, Qs: 4, So: 1 }));
  t.deepEqual(s.svebPositivePredictivity, { numerator: 3, denominator: 5, percent: 60 });
  t.deepEqual(s.svebSensitivity, { numerator: 3, denominator: 4, percent: 75 });
  t.is(s.vebSensitivity.percent, null);
});

test('-L columns pool Q with F, X with O, and F or Q labels with n', (t) => {
  const c = lineCounts(matrix({ Nn: 5, Nf: 1, Nq: 1, Qn: 2, Fq: 1, Xn: 3, Of: 1, Qs: 1, Qv: 1, Qo: 1, Fx: 1, Nx: 2 }));
  t.is(c.Nn, 7);
  t.is(c.Fn, 3);
  t.is(c.On, 4);
  t.is(c.Fs, 1);
  t.is(c.Fv, 1);
  t.is(c.Fo, 2);
  t.is(c.No, 2);
});

test('the standard table folds S into N', (t) => {
  const table = standardTable(matrix({ Nn: 5, Ns: 1, Sn: 2, Ss: 3, Sv: 1, Vs: 2, So: 1, Os: 1, Xv: 1 }));
  t.deepEqual(table[0], [11, 1, 0, 0, 1, 0]);
  t.deepEqual(table[1], [2, 0, 0, 0, 0, 0]);
  t.deepEqual(table[4], [1, 0, 0, 0]);
  t.deepEqual(table[5], [0, 1, 0, 0]);
});

test('sumstats: gross pools the counts, average is the mean of defined per-record percentages', (t) => {
  const a = lineCounts(matrix({ Nn: 99, No: 1, Vv: 10, Ss: 1, Ns: 1 }));
  const b = lineCounts(matrix({ Nn: 50, On: 50 }));
  const s = summarize([{ record: 'a', counts: a, rrErrorMs: 10.004 }, { record: 'b', counts: b, rrErrorMs: 20.006 }]);
  t.is(s.records, 2);
  // Detected: 99 + 10 + 1 + 1 in a, 50 in b; one missed, 50 extra.
  t.deepEqual(s.gross.qrsSensitivity, { numerator: 161, denominator: 162, percent: (100 * 161) / 162 });
  t.deepEqual(s.gross.qrsPositivePredictivity, { numerator: 161, denominator: 211, percent: (100 * 161) / 211 });
  // Q +P: record a 100%, record b 50%.
  t.is(s.average.qrsPositivePredictivity, (100 * (1 + 0.5)) / 2);
  // VEB Se is defined for record a only.
  t.is(s.average.vebSensitivity, 100);
  t.is(s.average.svebPositivePredictivity, 50);
  // The RR average is over the values as printed: 10.00 and 20.01.
  t.is(s.averageRrErrorMs, (100 * ((10 + 20.01) / 100)) / 2);
  t.is(s.totalQrs, 162);
  t.is(s.totalVeb, 10);
  t.is(s.totalSveb, 1);
});

test('sumstats: gross SVEB +P leaves out the Fs\' column', (t) => {
  const s = summarize([{ record: 'a', counts: lineCounts(matrix({ Ss: 2, Fs: 2, Qs: 2 })), rrErrorMs: null }]);
  t.deepEqual(s.gross.svebPositivePredictivity, { numerator: 2, denominator: 2, percent: 100 });
  t.is(s.averageRrErrorMs, null);
});

test('cFixed rounds exact ties to even as glibc printf does, otherwise as toFixed', (t) => {
  t.is(cFixed(12.125, 2), '12.12');
  t.is(cFixed(12.375, 2), '12.38');
  t.is(cFixed(0.5, 0), '0');
  t.is(cFixed(1.5, 0), '2');
  t.is(cFixed(-0.125, 2), '-0.12');
  // 2.675 is stored as 2.67499999...: not a tie.
  t.is(cFixed(2.675, 2), '2.67');
  t.is(cFixed(98.0234, 2, 6), ' 98.02');
  t.is(cFixed(100, 2, 6), '100.00');
  t.is(cFixed((100 * 97) / 800, 2), '12.12');
  t.is(cInt(7, 4), '   7');
});
