/**
 * bxb/sumstats text: what the formatter writes, the parser reads back, and bad
 * files are refused naming the line and field.
 */
import test from 'ava';
import { compareBeats, type EvalAnnotation } from '../../agent/src/eval/beat-match.ts';
import {
  formatLine, formatLineReport, formatStandardReport, LINE_HEADER, recordLine,
} from '../../agent/src/eval/bxb-report.ts';
import { parseLineReport, parseStandardReport } from '../../agent/src/eval/bxb-text.ts';
import { summarize } from '../../agent/src/eval/sumstats.ts';
import { beatStatistics, lineCounts } from '../../agent/src/eval/confusion.ts';
import { cFixed } from '../../agent/src/eval/c-format.ts';

const fs = 360;

/** A made-up record: a beat every 300 samples, every 5th V, with some detection errors. */
function record(seed: number): { reference: EvalAnnotation[]; test: EvalAnnotation[] } {
  const reference: EvalAnnotation[] = [];
  const tst: EvalAnnotation[] = [];
  for (let i = 1; i < 200; i++) {
    const sample = i * 300;
    const symbol = i % 5 === 0 ? 'V' : i % 7 === 0 ? 'A' : 'N';
    reference.push({ sample, symbol });
    if ((i + seed) % 23 === 0) continue; // missed
    const label = (i + seed) % 11 === 0 ? 'V' : (i + seed) % 13 === 0 ? 'N' : symbol;
    tst.push({ sample: sample + ((i * seed) % 40) - 20, symbol: label });
    if ((i + seed) % 31 === 0) tst.push({ sample: sample + 150, symbol: 'N' }); // extra
  }
  return { reference, test: tst };
}

const results = [1, 2, 3].map((seed) => {
  const { reference, test: tst } = record(seed);
  return { record: `r${seed}`, ...compareBeats(reference, tst, { fs, startS: 0, endSample: 70000 }) };
});

test('a -L report reads back to the same counts and printed statistics', (t) => {
  const summary = summarize(results.map((r) => recordLine(r.record, r)));
  const text = formatLineReport(results, summary);
  const parsed = parseLineReport(text);
  t.is(parsed.lines.length, 3);
  parsed.lines.forEach((line, i) => {
    const r = results[i];
    t.is(line.record, r.record);
    t.deepEqual(line.counts, lineCounts(r.matrix));
    const s = beatStatistics(r.matrix);
    t.deepEqual(line.stats, [s.qrsSensitivity, s.qrsPositivePredictivity, s.vebSensitivity,
      s.vebPositivePredictivity, s.svebSensitivity, s.svebPositivePredictivity]
      .map((x) => (x.percent === null ? null : cFixed(x.percent, 2))));
    t.is(line.rrError, r.rrErrorMs === null ? null : cFixed(r.rrErrorMs, 2));
  });
  t.is(parsed.gross[0], cFixed(summary.gross.qrsSensitivity.percent!, 2));
  t.is(parsed.average[6], cFixed(summary.averageRrErrorMs!, 2));
  t.is(parsed.totalQrs, summary.totalQrs);
  t.is(parsed.records, 3);
});

test('the -L line has bxb\'s column layout', (t) => {
  const line = formatLine('100', results[0].matrix, results[0].rrErrorMs);
  const header = LINE_HEADER;
  // Each statistic ends where its heading ends, as in bxb's output.
  t.is(line.length, header.length);
  t.regex(line, /^ 100 {1,5}\d+/);
});

test('a standard report reads back to its table and statistics', (t) => {
  const r = results[1];
  const parsed = parseStandardReport(formatStandardReport('r2', 'atr', 'qrs', r));
  t.is(parsed.record, 'r2');
  t.is(parsed.testAnnotator, 'qrs');
  const s = beatStatistics(r.matrix);
  t.deepEqual(parsed.statistics['QRS sensitivity'], {
    percent: cFixed(s.qrsSensitivity.percent!, 2),
    numerator: s.qrsSensitivity.numerator,
    denominator: s.qrsSensitivity.denominator,
  });
  t.is(parsed.statistics['VEB false positive rate'].percent, cFixed(s.vebFalsePositiveRate.percent!, 3));
  t.is(parsed.table.length, 6);
  t.is(parsed.table[1][1], r.matrix.V.V);
  t.is(parsed.shutdownS, 0);
});

test('bad -L files are refused naming the line and the field', (t) => {
  t.throws(() => parseLineReport('Record Nn\n', 'x.txt'), { message: /^x\.txt:1: not a bxb -L report/ });
  const good = formatLineReport(results, summarize(results.map((r) => recordLine(r.record, r))));
  const rows = good.split('\n');
  const short = [...rows.slice(0, 2), rows[2].replace(/ \S+$/, ''), ...rows.slice(3)].join('\n');
  t.throws(() => parseLineReport(short, 'x.txt'), { message: /^x\.txt:3: record line has 26 fields; expected 27/ });
  const badCount = [rows[0], rows[1].replace(/^( +r1 +)\d+/, '$1x'), ...rows.slice(2)].join('\n');
  t.throws(() => parseLineReport(badCount, 'x.txt'), { message: /^x\.txt:2: column Nn' is 'x'; expected a count/ });
  const noAverage = rows.filter((r) => !r.startsWith('Average')).join('\n');
  t.throws(() => parseLineReport(noAverage, 'x.txt'), { message: /expected the 'Average' line of sumstats/ });
});

test('bad standard reports are refused naming the line', (t) => {
  t.throws(() => parseStandardReport('hello\n', 'r.txt'), { message: /^r\.txt:1: expected 'Beat-by-beat comparison results for record R'/ });
  const text = formatStandardReport('r1', 'atr', 'qrs', results[0]).replace(/ V \|(\s+\d+){6}/, ' V | 1 2');
  t.throws(() => parseStandardReport(text, 'r.txt'), { message: /^r\.txt:9: expected matrix row V with 6 counts/ });
});
