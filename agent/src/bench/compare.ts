/**
 * Regression check of a bench result against a recorded baseline: each
 * metric has a direction (higher or lower is better); a change for the worse
 * beyond the threshold (default 10%) is flagged. Pure; the metrics are
 * flattened from the result by `benchMetrics` (bench-result.ts).
 */

export type Direction = 'higher' | 'lower';

export interface Metric {
  /** Dotted name, e.g. 'endToEnd.timesRealTime'. */
  name: string;
  value: number;
  better: Direction;
}

export interface MetricComparison {
  name: string;
  baseline: number;
  current: number;
  /** Relative change for the worse: 0.2 = 20% worse; negative = better. */
  worse: number;
  regression: boolean;
}

export interface Comparison {
  thresholdPct: number;
  compared: MetricComparison[];
  regressions: MetricComparison[];
  /** Metrics present on one side only. */
  unmatched: string[];
}

export const DEFAULT_THRESHOLD_PCT = 10;

export function compareMetrics(baseline: readonly Metric[], current: readonly Metric[], thresholdPct = DEFAULT_THRESHOLD_PCT): Comparison {
  if (!(thresholdPct > 0)) throw new RangeError(`regression threshold: must be a percentage > 0, got ${thresholdPct}`);
  const base = new Map(baseline.map((m) => [m.name, m]));
  const compared: MetricComparison[] = [];
  const unmatched: string[] = [];
  for (const m of current) {
    const b = base.get(m.name);
    base.delete(m.name);
    if (!b || !(b.value > 0) || !Number.isFinite(m.value)) {
      unmatched.push(m.name);
      continue;
    }
    const worse = m.better === 'higher' ? (b.value - m.value) / b.value : (m.value - b.value) / b.value;
    compared.push({ name: m.name, baseline: b.value, current: m.value, worse, regression: worse > thresholdPct / 100 });
  }
  unmatched.push(...base.keys());
  return { thresholdPct, compared, regressions: compared.filter((c) => c.regression), unmatched };
}
