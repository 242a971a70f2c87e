/**
 * The evaluator against PhysioNet's own: for the two test annotators of
 * ../shared/data/mitdb-ec57 (gqrs, and a damaged copy of the reference), from
 * the record start and from minute 5, every record's bxb -L line and sumstats'
 * totals must equal what bxb (WFDB 10.7) reported, field by field and as text;
 * and bxb's full reports for four records, confusion matrix included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ec57Dir, mitdb, mitdbDir, mitdbEc57, testNeeding } from '../helpers/requires.ts';
import { listRecords, readAnnotations, readHeader, recordPath } from '../../agent/src/sources/wfdb/index.ts';
import type { EvalAnnotation } from '../../agent/src/eval/beat-match.ts';
import { evaluateRecords, type Evaluation } from '../../agent/src/eval/evaluate.ts';
import { parseLineReport, parseStandardReport, type PrintedStat } from '../../agent/src/eval/bxb-text.ts';
import { formatLineReport, formatStandardReport } from '../../agent/src/eval/bxb-report.ts';
import { standardTable, type Ratio } from '../../agent/src/eval/confusion.ts';
import { cFixed } from '../../agent/src/eval/c-format.ts';

const test = testNeeding(mitdb, mitdbEc57);

interface Loaded { fs: number; lengthSamples?: number; reference: EvalAnnotation[] }
const annotators = { gqrs: 'qrs', pert: 'pert' } as const;
type Annotator = keyof typeof annotators;

let cache: Promise<{ records: string[]; ref: Map<string, Loaded>; test: Record<Annotator, Map<string, EvalAnnotation[]>> }> | undefined;
function data() {
  cache ??= (async () => {
    const records = await listRecords(mitdbDir);
    const ref = new Map<string, Loaded>();
    const tst = { gqrs: new Map<string, EvalAnnotation[]>(), pert: new Map<string, EvalAnnotation[]>() };
    for (const r of records) {
      const path = recordPath(mitdbDir, r);
      const header = await readHeader(path);
      ref.set(r, { fs: header.fs, lengthSamples: header.nsamp, reference: await readAnnotations(path, 'atr') });
      for (const a of Object.keys(annotators) as Annotator[]) {
        tst[a].set(r, await readAnnotations(recordPath(join(ec57Dir, a), r), annotators[a]));
      }
    }
    return { records, ref, test: tst };
  })();
  return cache;
}

async function evaluate(annotator: Annotator, startS: number): Promise<Evaluation> {
  const d = await data();
  return evaluateRecords(d.records, async (r) => ({ ...d.ref.get(r)!, test: d.test[annotator].get(r)! }), { startS });
}

const printed = (x: number | null, digits = 2): PrintedStat => (x === null ? null : cFixed(x, digits));
const pct = (r: Ratio) => printed(r.percent);

const cases = [
  { annotator: 'gqrs', startS: 0, file: 'bxb-gqrs-from0.txt' },
  { annotator: 'gqrs', startS: 300, file: 'bxb-gqrs-from5min.txt' },
  { annotator: 'pert', startS: 0, file: 'bxb-pert-from0.txt' },
  { annotator: 'pert', startS: 300, file: 'bxb-pert-from5min.txt' },
] as const;

for (const c of cases) {
  test(`${c.file}: every record line and the sumstats totals equal bxb's`, async (t) => {
    const path = join(ec57Dir, c.file);
    const text = readFileSync(path, 'utf8');
    const oracle = parseLineReport(text, path);
    const e = await evaluate(c.annotator, c.startS);

    t.is(oracle.lines.length, 48);
    t.deepEqual(e.records.map((r) => r.record), oracle.lines.map((l) => l.record));
    e.records.forEach((r, i) => {
      const s = r.statistics;
      t.deepEqual({
        record: r.record,
        counts: r.counts,
        stats: [s.qrsSensitivity, s.qrsPositivePredictivity, s.vebSensitivity, s.vebPositivePredictivity,
          s.svebSensitivity, s.svebPositivePredictivity].map(pct),
        rrError: printed(r.comparison.rrErrorMs),
      }, oracle.lines[i], `record ${r.record}`);
    });

    const g = e.summary.gross;
    const a = e.summary.average;
    t.deepEqual([g.qrsSensitivity, g.qrsPositivePredictivity, g.vebSensitivity, g.vebPositivePredictivity,
      g.svebSensitivity, g.svebPositivePredictivity].map(pct), oracle.gross, 'gross');
    t.deepEqual([a.qrsSensitivity, a.qrsPositivePredictivity, a.vebSensitivity, a.vebPositivePredictivity,
      a.svebSensitivity, a.svebPositivePredictivity, e.summary.averageRrErrorMs].map((x) => printed(x)),
    oracle.average, 'average');
    t.deepEqual([e.summary.totalQrs, e.summary.totalVeb, e.summary.totalSveb, e.summary.records],
      [oracle.totalQrs, oracle.totalVeb, oracle.totalSveb, oracle.records], 'totals');

    // And the report as text, character for character.
    const lines = e.records.map((r) => ({ record: r.record, matrix: r.comparison.matrix, rrErrorMs: r.comparison.rrErrorMs }));
    t.is(formatLineReport(lines, e.summary), text);
  });
}

test('bxb\'s full reports of pert for records 100, 119, 208, 232: confusion matrix and statistics', async (t) => {
  const e = await evaluate('pert', 0);
  for (const record of ['100', '119', '208', '232']) {
    const path = join(ec57Dir, `bxb-pert-${record}-report.txt`);
    const text = readFileSync(path, 'utf8');
    const oracle = parseStandardReport(text, path);
    const r = e.records.find((x) => x.record === record)!;
    t.deepEqual(standardTable(r.comparison.matrix), oracle.table, `record ${record} matrix`);
    const s = r.statistics;
    const mine: Record<string, Ratio> = {
      'QRS sensitivity': s.qrsSensitivity,
      'QRS positive predictivity': s.qrsPositivePredictivity,
      'VEB sensitivity': s.vebSensitivity,
      'VEB positive predictivity': s.vebPositivePredictivity,
    };
    for (const [label, ratio] of Object.entries(mine)) {
      t.deepEqual({ percent: pct(ratio), numerator: ratio.numerator, denominator: ratio.denominator },
        oracle.statistics[label], `record ${record} ${label}`);
    }
    const fpr = s.vebFalsePositiveRate;
    t.deepEqual({ percent: printed(fpr.percent, 3), numerator: fpr.numerator, denominator: fpr.denominator },
      oracle.statistics['VEB false positive rate'], `record ${record} VEB false positive rate`);
    t.is(r.comparison.shutdownS, oracle.shutdownS);
    t.is(formatStandardReport(record, 'atr', 'pert', r.comparison), text, `record ${record} report text`);
  }
});
