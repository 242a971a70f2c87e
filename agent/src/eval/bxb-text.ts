/**
 * Readers of bxb's and sumstats' text output: the `-L` line file with
 * sumstats' totals after it, and bxb's standard report. They let the project's
 * results be checked against PhysioNet's (the oracle files of
 * ../shared/data/mitdb-ec57) field by field.
 *
 * Reference: WFDB 10.7 `bxb.c` print_results(), `sumstats.c`.
 * Limits: only the `-L` (SVEB) line format and the `-s` standard report.
 * A percentage is kept as the printed text: two (or three) decimals are all the
 * precision the files hold, so comparisons are made on the printed form.
 */
import { LINE_COLUMNS, type LineCounts } from './confusion.ts';
import { LINE_HEADER } from './bxb-report.ts';

/** A printed statistic: its text ('98.02') or null where bxb printed '-'. */
export type PrintedStat = string | null;

export interface ParsedLine {
  record: string;
  counts: LineCounts;
  /** Q Se, Q +P, V Se, V +P, S Se, S +P. */
  stats: PrintedStat[];
  rrError: PrintedStat;
}

export interface ParsedLineReport {
  lines: ParsedLine[];
  /** Gross Q Se, Q +P, V Se, V +P, S Se, S +P. */
  gross: PrintedStat[];
  /** Average of the same six, then the RR error. */
  average: PrintedStat[];
  totalQrs: number;
  totalVeb: number;
  totalSveb: number;
  records: number;
}

export class BxbTextError extends Error {
  override name = 'BxbTextError';
  constructor(file: string, line: number, what: string) {
    super(`${file}:${line}: ${what}`);
  }
}

const STAT = /^(-|\d+\.\d+)$/;

function stats(fields: string[], file: string, line: number, what: string): PrintedStat[] {
  return fields.map((f, i) => {
    if (!STAT.test(f)) throw new BxbTextError(file, line, `${what} field ${i + 1} is '${f}'; expected a number like 98.02 or '-'`);
    return f === '-' ? null : f;
  });
}

/** Reads a bxb `-L` file with sumstats' totals after the record lines. */
export function parseLineReport(text: string, file = '<text>'): ParsedLineReport {
  const rows = text.split('\n');
  if (rows[0] !== LINE_HEADER) {
    throw new BxbTextError(file, 1, `not a bxb -L report: the first line should be the column headings '${LINE_HEADER.slice(0, 30)}...'`);
  }
  const lines: ParsedLine[] = [];
  let i = 1;
  for (; i < rows.length && rows[i].trim() !== ''; i++) {
    const f = rows[i].trim().split(/\s+/);
    const n = i + 1;
    if (f.length !== 27) throw new BxbTextError(file, n, `record line has ${f.length} fields; expected 27 (record, 19 counts, 6 statistics, RR error)`);
    const counts = {} as LineCounts;
    LINE_COLUMNS.forEach((k, j) => {
      const v = f[j + 1];
      if (!/^\d+$/.test(v)) throw new BxbTextError(file, n, `column ${k}' is '${v}'; expected a count`);
      counts[k] = Number(v);
    });
    const s = stats(f.slice(20), file, n, 'statistic');
    lines.push({ record: f[0], counts, stats: s.slice(0, 6), rrError: s[6] });
  }
  const expect = (prefix: string, count: number): PrintedStat[] => {
    while (i < rows.length && rows[i].trim() === '') i++;
    const row = rows[i] ?? '';
    if (!row.startsWith(prefix)) throw new BxbTextError(file, i + 1, `expected the '${prefix}' line of sumstats, found '${row.slice(0, 40)}'`);
    const f = row.slice(prefix.length).trim().split(/\s+/);
    if (f.length !== count) throw new BxbTextError(file, i + 1, `'${prefix}' line has ${f.length} statistics; expected ${count}`);
    i++;
    return stats(f, file, i, prefix);
  };
  const gross = expect('Gross', 6);
  const average = expect('Average', 7);
  const totals = /^Total QRS complexes: (\d+) {2}Total VEBs: (\d+) {2}Total SVEBs: (\d+)$/.exec(rows[i] ?? '');
  if (!totals) throw new BxbTextError(file, i + 1, "expected 'Total QRS complexes: Q  Total VEBs: V  Total SVEBs: S'");
  i++;
  while (i < rows.length && rows[i].trim() === '') i++;
  const summary = /^Summary of results from (\d+) records?$/.exec(rows[i] ?? '');
  if (!summary) throw new BxbTextError(file, i + 1, "expected 'Summary of results from N records'");
  return {
    lines, gross, average,
    totalQrs: Number(totals[1]), totalVeb: Number(totals[2]), totalSveb: Number(totals[3]),
    records: Number(summary[1]),
  };
}

/** A statistic of the standard report: 'QRS sensitivity:  98.02% (2228/2273)'. */
export interface ParsedStatistic {
  percent: PrintedStat;
  numerator: number;
  denominator: number;
}

export interface ParsedStandardReport {
  record: string;
  referenceAnnotator: string;
  testAnnotator: string;
  /** Rows N V F Q (columns n v f q o x), then O X (columns n v f q). */
  table: number[][];
  /** By label as printed, e.g. 'QRS sensitivity', 'N missed in shutdown'. */
  statistics: Record<string, ParsedStatistic>;
  shutdownS: number;
}

/** Reads bxb's standard-format report (the default, `-s`). */
export function parseStandardReport(text: string, file = '<text>'): ParsedStandardReport {
  const rows = text.split('\n');
  const field = (n: number, re: RegExp, what: string): RegExpExecArray => {
    const m = re.exec(rows[n] ?? '');
    if (!m) throw new BxbTextError(file, n + 1, `expected ${what}, found '${(rows[n] ?? '').slice(0, 50)}'`);
    return m;
  };
  const record = field(0, /^Beat-by-beat comparison results for record (\S+)$/, "'Beat-by-beat comparison results for record R'")[1];
  const referenceAnnotator = field(1, /^Reference annotator: (\S+)$/, "'Reference annotator: A'")[1];
  const testAnnotator = field(2, /^ {5}Test annotator: (\S+)$/, "'     Test annotator: A'")[1];
  const table: number[][] = [];
  const names = ['N', 'V', 'F', 'Q', 'O', 'X'];
  const start = rows.findIndex((r) => /^ N \|/.test(r));
  if (start < 0) throw new BxbTextError(file, 4, "no confusion matrix (a row starting ' N |')");
  names.forEach((name, i) => {
    const width = i < 4 ? 6 : 4;
    const m = field(start + i, new RegExp(`^ ${name} \\|((?:\\s+\\d+){${width}})$`), `matrix row ${name} with ${width} counts`);
    table.push(m[1].trim().split(/\s+/).map(Number));
  });
  const statistics: Record<string, ParsedStatistic> = {};
  let shutdownS = Number.NaN;
  for (let n = start + names.length; n < rows.length; n++) {
    const s = /^\s*([A-Za-z +]+?): +(-|\d+\.\d+)%? +\((\d+)\/(\d+)\)$/.exec(rows[n]);
    if (s) {
      statistics[s[1]] = { percent: s[2] === '-' ? null : s[2], numerator: Number(s[3]), denominator: Number(s[4]) };
      continue;
    }
    const sd = /^\s*Total shutdown time: +(\d+) seconds$/.exec(rows[n]);
    if (sd) shutdownS = Number(sd[1]);
    else if (rows[n].trim() !== '') throw new BxbTextError(file, n + 1, `unrecognised line '${rows[n].slice(0, 50)}'`);
  }
  if (Number.isNaN(shutdownS)) throw new BxbTextError(file, rows.length, "no 'Total shutdown time' line");
  return { record, referenceAnnotator, testAnnotator, table, statistics, shutdownS };
}
