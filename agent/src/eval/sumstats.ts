/**
 * Aggregate statistics over records, as PhysioNet's `sumstats` derives them from
 * bxb `-L` lines: gross statistics (pooled counts) and average statistics (mean
 * of per-record percentages, over the records where each is defined).
 *
 * Reference: ANSI/AAMI EC57:1998 sections 3.5.2-3.5.3; WFDB `sumstats.c`.
 * sumstats works from the printed columns, so it is reproduced from them:
 * its gross SVEB +P leaves out the Fs' column (bxb's per-record figure has it),
 * and the average RR error is the mean of the per-record values as printed
 * (two decimals).
 *
 * Limits: a record without an RR error (no pair with two valid RR intervals)
 * makes sumstats reject the whole file; here it is left out of the RR average.
 */
import { LINE_COLUMNS, ratio, type LineCounts, type Ratio } from './confusion.ts';
import { cFixed } from './c-format.ts';

export interface RecordLine {
  record: string;
  counts: LineCounts;
  /** RMS RR error, ms, or null when bxb printed '-'. */
  rrErrorMs: number | null;
}

export interface SummaryStatistics {
  qrsSensitivity: number | null;
  qrsPositivePredictivity: number | null;
  vebSensitivity: number | null;
  vebPositivePredictivity: number | null;
  svebSensitivity: number | null;
  svebPositivePredictivity: number | null;
}

export interface Summary {
  records: number;
  /** Column sums of the `-L` lines. */
  sums: LineCounts;
  gross: {
    qrsSensitivity: Ratio; qrsPositivePredictivity: Ratio;
    vebSensitivity: Ratio; vebPositivePredictivity: Ratio;
    svebSensitivity: Ratio; svebPositivePredictivity: Ratio;
  };
  /** Mean of per-record percentages; null where no record defines it. */
  average: SummaryStatistics;
  /** Mean of the per-record RR errors as printed, ms. */
  averageRrErrorMs: number | null;
  totalQrs: number;
  totalVeb: number;
  totalSveb: number;
}

/** QTP, QFN, QFP and the class totals from one line's (or the summed) columns. */
function parts(c: LineCounts) {
  const qtp = c.Nn + c.Ns + c.Nv + c.Sn + c.Ss + c.Sv + c.Vn + c.Vs + c.Vv + c.Fn + c.Fs + c.Fv;
  return {
    qtp,
    qfn: c.No + c.So + c.Vo + c.Fo,
    qfp: c.On + c.Os + c.Ov,
    veb: c.Vn + c.Vs + c.Vv + c.Vo,
    vebCalled: c.Nv + c.Sv + c.Vv + c.Ov,
    sveb: c.Sn + c.Ss + c.Sv + c.So,
    svebCalled: c.Ns + c.Ss + c.Vs + c.Os,
  };
}

/** Printed-value rounding of bxb's `%6.2f`, which is what sumstats reads back. */
const asPrinted = (x: number): number => Number(cFixed(x, 2));

export function summarize(lines: readonly RecordLine[]): Summary {
  const sums = Object.fromEntries(LINE_COLUMNS.map((k) => [k, 0])) as unknown as LineCounts;
  const acc = { qs: [0, 0], qp: [0, 0], vs: [0, 0], vp: [0, 0], ss: [0, 0], sp: [0, 0] };
  const add = (slot: number[], num: number, den: number) => {
    if (den) { slot[0] += num / den; slot[1]++; }
  };
  let rrSum = 0;
  let rrRecords = 0;
  for (const line of lines) {
    for (const k of LINE_COLUMNS) sums[k] += line.counts[k];
    const p = parts(line.counts);
    add(acc.qs, p.qtp, p.qtp + p.qfn);
    add(acc.qp, p.qtp, p.qtp + p.qfp);
    add(acc.vs, line.counts.Vv, p.veb);
    add(acc.vp, line.counts.Vv, p.vebCalled);
    add(acc.ss, line.counts.Ss, p.sveb);
    add(acc.sp, line.counts.Ss, p.svebCalled);
    if (line.rrErrorMs !== null) { rrSum += asPrinted(line.rrErrorMs); rrRecords++; }
  }
  const t = parts(sums);
  // sumstats' pstat(): (100.*a)/b with a the sum of fractions.
  const mean = ([a, b]: number[]) => (b > 0 ? (100 * a) / b : null);
  return {
    records: lines.length,
    sums,
    gross: {
      qrsSensitivity: ratio(t.qtp, t.qtp + t.qfn),
      qrsPositivePredictivity: ratio(t.qtp, t.qtp + t.qfp),
      vebSensitivity: ratio(sums.Vv, t.veb),
      vebPositivePredictivity: ratio(sums.Vv, t.vebCalled),
      svebSensitivity: ratio(sums.Ss, t.sveb),
      svebPositivePredictivity: ratio(sums.Ss, t.svebCalled),
    },
    average: {
      qrsSensitivity: mean(acc.qs),
      qrsPositivePredictivity: mean(acc.qp),
      vebSensitivity: mean(acc.vs),
      vebPositivePredictivity: mean(acc.vp),
      svebSensitivity: mean(acc.ss),
      svebPositivePredictivity: mean(acc.sp),
    },
    averageRrErrorMs: rrRecords > 0 ? (100 * (rrSum / 100)) / rrRecords : null,
    totalQrs: t.qtp + t.qfn,
    totalVeb: t.veb,
    totalSveb: t.sveb,
  };
}
