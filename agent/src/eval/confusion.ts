/**
 * The EC57 confusion matrix and the statistics bxb derives from it.
 *
 * Reference: ANSI/AAMI EC57:1998 section 4 (Tables 3, 7, 8); WFDB `bxb.c`
 * print_results(), whose sums are reproduced term by term here, quirks included:
 * VEB false positives do not count F or Q reference beats called V (Fv, Qv), and
 * SVEB false positives do not count Q reference beats called S (Qs).
 *
 * Limits: rows O and X have no O or X column (a pseudo-beat is never paired with
 * a pseudo-beat); those cells stay zero.
 */
import { EVAL_CLASSES, type EvalClass } from './labels.ts';

/** counts[reference][test]: beats of each reference class given each test label. */
export type ConfusionMatrix = Record<EvalClass, Record<EvalClass, number>>;

export function emptyMatrix(): ConfusionMatrix {
  const m = {} as ConfusionMatrix;
  for (const r of EVAL_CLASSES) {
    m[r] = {} as Record<EvalClass, number>;
    for (const c of EVAL_CLASSES) m[r][c] = 0;
  }
  return m;
}

export function addMatrices(a: ConfusionMatrix, b: ConfusionMatrix): ConfusionMatrix {
  const m = emptyMatrix();
  for (const r of EVAL_CLASSES) for (const c of EVAL_CLASSES) m[r][c] = a[r][c] + b[r][c];
  return m;
}

/** A ratio kept as its counts, so totals can be summed and printed as bxb does. */
export interface Ratio {
  numerator: number;
  denominator: number;
  /** 100 * numerator / denominator, or null when the denominator is 0 (bxb prints '-'). */
  percent: number | null;
}

export function ratio(numerator: number, denominator: number): Ratio {
  // Same expression as bxb's pstat(), (100.*a)/b, so the doubles are identical.
  return { numerator, denominator, percent: denominator > 0 ? (100 * numerator) / denominator : null };
}

export interface BeatStatistics {
  qrsSensitivity: Ratio;
  qrsPositivePredictivity: Ratio;
  vebSensitivity: Ratio;
  vebPositivePredictivity: Ratio;
  vebFalsePositiveRate: Ratio;
  svebSensitivity: Ratio;
  svebPositivePredictivity: Ratio;
}

const sum = (m: ConfusionMatrix, rows: string, cols: string): number => {
  let s = 0;
  for (const r of rows) for (const c of cols) s += m[r as EvalClass][c as EvalClass];
  return s;
};

/** Statistics of one record's matrix, as bxb prints them. */
export function beatStatistics(m: ConfusionMatrix): BeatStatistics {
  const qtp = sum(m, 'NSVFQ', 'NSVFQ');
  const qfn = sum(m, 'NSVFQ', 'OX');
  const qfp = sum(m, 'OX', 'NSVFQ');
  const vtp = m.V.V;
  const vfn = sum(m, 'V', 'NSFQOX');
  const vfp = sum(m, 'NSOX', 'V');
  const vtn = sum(m, 'NSFQOX', 'NSFQ');
  const stp = m.S.S;
  const sfn = sum(m, 'S', 'NVFQOX');
  const sfp = sum(m, 'NVFOX', 'S');
  return {
    qrsSensitivity: ratio(qtp, qtp + qfn),
    qrsPositivePredictivity: ratio(qtp, qtp + qfp),
    vebSensitivity: ratio(vtp, vtp + vfn),
    vebPositivePredictivity: ratio(vtp, vtp + vfp),
    vebFalsePositiveRate: ratio(vfp, vtn + vfp),
    svebSensitivity: ratio(stp, stp + sfn),
    svebPositivePredictivity: ratio(stp, stp + sfp),
  };
}

/**
 * The 19 counts of a bxb `-L` line (EC57 Table 7 with SVEB columns). Primed
 * columns pool classes: Q beats count with F, X pseudo-beats with O, and test
 * labels F and Q with n.
 */
export interface LineCounts {
  Nn: number; Sn: number; Vn: number; Fn: number; On: number;
  Ns: number; Ss: number; Vs: number; Fs: number; Os: number;
  Nv: number; Sv: number; Vv: number; Fv: number; Ov: number;
  No: number; So: number; Vo: number; Fo: number;
}

/** Column order of a `-L` line. */
export const LINE_COLUMNS: readonly (keyof LineCounts)[] = [
  'Nn', 'Sn', 'Vn', 'Fn', 'On', 'Ns', 'Ss', 'Vs', 'Fs', 'Os',
  'Nv', 'Sv', 'Vv', 'Fv', 'Ov', 'No', 'So', 'Vo', 'Fo',
];

export function lineCounts(m: ConfusionMatrix): LineCounts {
  return {
    Nn: sum(m, 'N', 'NFQ'), Sn: sum(m, 'S', 'NFQ'), Vn: sum(m, 'V', 'NFQ'),
    Fn: sum(m, 'FQ', 'NFQ'), On: sum(m, 'OX', 'NFQ'),
    Ns: m.N.S, Ss: m.S.S, Vs: m.V.S, Fs: sum(m, 'FQ', 'S'), Os: sum(m, 'OX', 'S'),
    Nv: m.N.V, Sv: m.S.V, Vv: m.V.V, Fv: sum(m, 'FQ', 'V'), Ov: sum(m, 'OX', 'V'),
    No: sum(m, 'N', 'OX'), So: sum(m, 'S', 'OX'), Vo: sum(m, 'V', 'OX'), Fo: sum(m, 'FQ', 'OX'),
  };
}

/**
 * EC57 Table 3 (bxb's standard report, no SVEB statistics): S rows and columns
 * folded into N. Rows N V F Q O X; columns n v f q o x (rows O and X stop at q).
 */
export function standardTable(m: ConfusionMatrix): number[][] {
  const col = (rows: string, c: string) => (c === 'n' ? sum(m, rows, 'NS') : sum(m, rows, c.toUpperCase()));
  const cols = ['n', 'v', 'f', 'q', 'o', 'x'];
  return ['NS', 'V', 'F', 'Q', 'O', 'X'].map((rows, i) =>
    cols.slice(0, i < 4 ? 6 : 4).map((c) => col(rows, c)));
}
