/**
 * Evaluation over a set of records: compares each record's test annotations
 * with its reference (bxb's rules, beat-match.ts), then pools the records as
 * sumstats does. Where the annotations come from (files, the detector, the
 * classifier) is the caller's business, passed in as `load`, so detection and
 * classification share this one path: for detection the test beats carry any
 * label (QRS statistics), for classification they carry the predicted labels
 * (VEB and SVEB statistics).
 *
 * Reference: ANSI/AAMI EC57:1998 section 4; WFDB bxb and sumstats.
 */
import { compareBeats, type BeatComparison, type EvalAnnotation } from './beat-match.ts';
import { beatStatistics, lineCounts, type BeatStatistics, type LineCounts } from './confusion.ts';
import type { ClassOf } from './labels.ts';
import { summarize, type Summary } from './sumstats.ts';
import { UsageError } from '../errors.ts';

/** What `load` gives for one record. */
export interface RecordAnnotations {
  /** Sampling rate of both annotation lists, Hz. */
  fs: number;
  /** Record length, samples (the header's); absent: compare until the reference ends. */
  lengthSamples?: number;
  reference: readonly EvalAnnotation[];
  test: readonly EvalAnnotation[];
}

export interface EvaluationOptions {
  /** Start of the comparison, seconds (EC57: 300, the first 5 minutes are for learning). */
  startS?: number;
  /** Match window, seconds (EC57: 0.15). */
  matchWindowS?: number;
  classOf?: ClassOf;
  /** Keep each record's per-beat pairs in the result (large: one entry per beat). */
  keepPairs?: boolean;
}

export interface RecordResult {
  record: string;
  comparison: BeatComparison;
  statistics: BeatStatistics;
  /** The columns of bxb's `-L` line. */
  counts: LineCounts;
}

export interface Evaluation {
  records: RecordResult[];
  summary: Summary;
}

/**
 * Evaluates `records` in order, one at a time (each record's annotations are
 * released before the next is loaded); `onRecord` is called after each.
 */
export async function evaluateRecords(
  records: readonly string[],
  load: (record: string) => Promise<RecordAnnotations>,
  options: EvaluationOptions = {},
  onRecord?: (done: number, total: number, record: string) => void,
): Promise<Evaluation> {
  const results: RecordResult[] = [];
  for (const record of records) {
    const { fs, lengthSamples, reference, test } = await load(record);
    if (lengthSamples != null && options.startS !== undefined && options.startS * fs > lengthSamples) {
      throw new UsageError(`the start (--from, ${options.startS} s) is past the end of record ${record} (${(lengthSamples / fs).toFixed(1)} s)`);
    }
    const comparison = compareBeats(reference, test, {
      fs,
      startS: options.startS,
      matchWindowS: options.matchWindowS,
      endSample: lengthSamples,
      classOf: options.classOf,
    });
    if (!options.keepPairs) comparison.pairs = [];
    results.push({ record, comparison, statistics: beatStatistics(comparison.matrix), counts: lineCounts(comparison.matrix) });
    onRecord?.(results.length, records.length, record);
  }
  const summary = summarize(results.map((r) => ({ record: r.record, counts: r.counts, rrErrorMs: r.comparison.rrErrorMs })));
  return { records: results, summary };
}

/**
 * A WFDB-style time, as bxb's -f takes it: seconds ('300', '2.5'), or
 * minutes:seconds ('5:0'), or hours:minutes:seconds ('0:05:00'). Returns seconds,
 * or null when the text is not a time.
 */
export function parseTimeS(text: string): number | null {
  const m = /^(?:(?:(\d+):)?(\d+):)?(\d+(?:\.\d*)?|\.\d+)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3]);
}
