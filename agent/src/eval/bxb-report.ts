/**
 * Text reports in bxb's and sumstats' formats: the `-L` line per record (EC57
 * Table 7 with SVEB columns), the sumstats totals, and the standard report
 * (EC57 Table 3 confusion matrix with each statistic and its counts).
 *
 * Reference: WFDB 10.7 `bxb.c` print_results() and pstat(), `sumstats.c`.
 * The output is meant to be byte-identical to theirs, so the project's numbers
 * can be diffed against PhysioNet's.
 */
import { cFixed, cInt } from './c-format.ts';
import {
  beatStatistics, lineCounts, LINE_COLUMNS, standardTable, type ConfusionMatrix, type Ratio,
} from './confusion.ts';
import type { BeatComparison } from './beat-match.ts';
import type { RecordLine, Summary } from './sumstats.ts';

export const LINE_HEADER =
  "Record Nn' Sn' Vn' Fn' On'  Ns  Ss  Vs  Fs' Os' Nv  Sv   Vv  Fv' Ov' No' So' Vo' Fo'" +
  '  Q Se   Q +P   V Se   V +P   S Se   S +P RR err';

/** Widths of the 19 count columns after the record name (bxb's printf). */
const COUNT_WIDTHS = [5, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 3, 3, 3, 3, 3, 3];

/** A percentage as bxb's line format prints it: ' %6.2f', or '      -'. */
const lineStat = (p: number | null): string => (p === null ? '      -' : ` ${cFixed(p, 2, 6)}`);

/** The per-record line of a comparison, as bxb -L prints it. */
export function recordLine(record: string, comparison: BeatComparison): RecordLine {
  return { record, counts: lineCounts(comparison.matrix), rrErrorMs: comparison.rrErrorMs };
}

/** bxb's `-L` line for one record (no newline). */
export function formatLine(record: string, matrix: ConfusionMatrix, rrErrorMs: number | null): string {
  const counts = lineCounts(matrix);
  const s = beatStatistics(matrix);
  const cols = LINE_COLUMNS.map((k, i) => ` ${cInt(counts[k], COUNT_WIDTHS[i])}`).join('');
  const stats = [s.qrsSensitivity, s.qrsPositivePredictivity, s.vebSensitivity,
    s.vebPositivePredictivity, s.svebSensitivity, s.svebPositivePredictivity]
    .map((r) => lineStat(r.percent)).join('');
  const rr = rrErrorMs === null ? '     -' : ` ${cFixed(rrErrorMs, 2, 6)}`;
  return `${cInt(record, 4)}${cols}${stats}${rr}`;
}

/** sumstats' totals after the record lines: Gross, Average, totals, record count. */
export function formatSummary(summary: Summary): string {
  const g = summary.gross;
  const a = summary.average;
  const pad = (label: string) => label.padEnd(83);
  const gross = [g.qrsSensitivity, g.qrsPositivePredictivity, g.vebSensitivity,
    g.vebPositivePredictivity, g.svebSensitivity, g.svebPositivePredictivity]
    .map((r) => lineStat(r.percent)).join('');
  const average = [a.qrsSensitivity, a.qrsPositivePredictivity, a.vebSensitivity,
    a.vebPositivePredictivity, a.svebSensitivity, a.svebPositivePredictivity, summary.averageRrErrorMs]
    .map(lineStat).join('');
  const n = summary.records;
  return [
    `${pad('Gross')}${gross}`,
    `${pad('Average')}${average}`,
    `Total QRS complexes: ${summary.totalQrs}  Total VEBs: ${summary.totalVeb}  Total SVEBs: ${summary.totalSveb}`,
    '',
    `Summary of results from ${n} record${n === 1 ? '' : 's'}`,
  ].join('\n');
}

/** The whole `-L` file plus sumstats' totals, as one text. */
export function formatLineReport(lines: readonly { record: string; matrix: ConfusionMatrix; rrErrorMs: number | null }[],
  summary: Summary): string {
  return [LINE_HEADER, ...lines.map((l) => formatLine(l.record, l.matrix, l.rrErrorMs)), '',
    formatSummary(summary), ''].join('\n');
}

/** pstat()/sstat() in the standard format: 'label: 98.02% (a/b)'. */
function labelled(label: string, r: Ratio, digits: number): string {
  const value = r.percent === null ? '     - ' : `${cFixed(r.percent, digits, 6)}%`;
  return `${label}: ${value} (${r.numerator}/${r.denominator})`;
}

const ratioOf = (a: number, b: number): Ratio => ({ numerator: a, denominator: b, percent: b > 0 ? (100 * a) / b : null });

/**
 * bxb's standard report (`-s`, the default): EC57 Table 3, without SVEB
 * statistics, so supraventricular beats count as N.
 */
export function formatStandardReport(record: string, referenceAnnotator: string, testAnnotator: string,
  comparison: BeatComparison): string {
  const t = standardTable(comparison.matrix);
  const s = beatStatistics(comparison.matrix);
  const rowNames = ['N', 'V', 'F', 'Q', 'O', 'X'];
  const rowSum = (r: number[]) => r.reduce((x, y) => x + y, 0);
  const qrsTotal = s.qrsSensitivity.denominator;
  const missedInShutdown = t[0][5] + t[1][5] + t[2][5] + t[3][5];
  return [
    `Beat-by-beat comparison results for record ${record}`,
    `Reference annotator: ${referenceAnnotator}`,
    `     Test annotator: ${testAnnotator}`,
    '',
    '               Algorithm',
    '        n    v    f    q    o    x',
    '   _______________________________',
    ...t.map((row, i) => ` ${rowNames[i]} |${row.map((v) => ` ${cInt(v, 4)}`).join('')}`),
    '',
    labelled('           QRS sensitivity', s.qrsSensitivity, 2),
    labelled(' QRS positive predictivity', s.qrsPositivePredictivity, 2),
    labelled('           VEB sensitivity', s.vebSensitivity, 2),
    labelled(' VEB positive predictivity', s.vebPositivePredictivity, 2),
    labelled('   VEB false positive rate', s.vebFalsePositiveRate, 3),
    '',
    '',
    labelled('  Beats missed in shutdown', ratioOf(missedInShutdown, qrsTotal), 2),
    labelled('      N missed in shutdown', ratioOf(t[0][5], rowSum(t[0])), 2),
    labelled('      V missed in shutdown', ratioOf(t[1][5], rowSum(t[1])), 2),
    labelled('      F missed in shutdown', ratioOf(t[2][5], rowSum(t[2])), 2),
    `       Total shutdown time: ${cInt(comparison.shutdownS, 5)} seconds`,
    '',
  ].join('\n');
}
