/**
 * Beat classification statistics over the model's own classes, as the model
 * cards report them (models/training/metrics.py): confusion matrix (rows
 * reference, columns predicted), per class sensitivity Se = TP/(TP+FN),
 * positive predictivity +P = TP/(TP+FP), F1; accuracy; macro-F1 over the
 * classes present in the reference or the predictions. A beat the classifier
 * abstained on ('Q') is counted in `abstained` and as an error in accuracy.
 * Reference: ANSI/AAMI EC57 defines Se and +P; here over N, L, R, A, V, not
 * EC57's N/S/V/F/Q grouping (agent/src/eval does that one).
 */

export interface ClassStats { n: number; se: number | null; ppv: number | null; f1: number | null }

export interface ClassReport {
  n: number;
  accuracy: number;
  macroF1: number | null;
  abstained: number;
  perClass: Record<string, ClassStats>;
  confusion: { rowsReferenceColumnsPredicted: string[]; matrix: number[][] };
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** truth and predicted: class indices; -1 in predicted = abstained. */
export function classReport(truth: readonly number[], predicted: readonly number[], classes: readonly string[]): ClassReport {
  const k = classes.length;
  const matrix = classes.map(() => new Array<number>(k).fill(0));
  let abstained = 0;
  truth.forEach((t, i) => {
    const p = predicted[i];
    if (p < 0) abstained++;
    else matrix[t][p]++;
  });
  const perClass: Record<string, ClassStats> = {};
  const f1s: number[] = [];
  let correct = 0;
  classes.forEach((c, i) => {
    const tp = matrix[i][i];
    correct += tp;
    const fn = truth.filter((t) => t === i).length - tp;
    const fp = matrix.reduce((s, row) => s + row[i], 0) - tp;
    const f1 = ratio(2 * tp, 2 * tp + fn + fp);
    perClass[c] = { n: tp + fn, se: ratio(tp, tp + fn), ppv: ratio(tp, tp + fp), f1 };
    if (tp + fn + fp > 0) f1s.push(f1 ?? 0);
  });
  return {
    n: truth.length, accuracy: truth.length === 0 ? 0 : correct / truth.length,
    macroF1: f1s.length === 0 ? null : f1s.reduce((a, b) => a + b, 0) / f1s.length, abstained,
    perClass, confusion: { rowsReferenceColumnsPredicted: [...classes], matrix },
  };
}

/** Text table like the training code prints. */
export function formatClassReport(r: ClassReport): string {
  const pct = (v: number | null) => (v === null ? '   -  ' : (100 * v).toFixed(2).padStart(6));
  const lines = [`n=${r.n} accuracy=${r.accuracy.toFixed(4)} macroF1=${r.macroF1 === null ? '-' : r.macroF1.toFixed(4)}${r.abstained > 0 ? ` abstained=${r.abstained}` : ''}`,
    'class      n     Se%    +P%    F1%'];
  for (const [c, p] of Object.entries(r.perClass)) lines.push(`${c.padStart(5)} ${String(p.n).padStart(6)} ${pct(p.se)} ${pct(p.ppv)} ${pct(p.f1)}`);
  const cls = r.confusion.rowsReferenceColumnsPredicted;
  lines.push('confusion (rows reference, columns predicted): ' + cls.map((c) => c.padStart(6)).join(' '));
  cls.forEach((c, i) => lines.push(`${c.padStart(47)} ${r.confusion.matrix[i].map((v) => String(v).padStart(6)).join(' ')}`));
  return lines.join('\n') + '\n';
}
