/** Nearest-rank percentiles of a list of numbers (pure). */

/** q in [0, 1]; null for an empty list. The input is not modified. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

const r2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

export function summarizeLatency(valuesMs: readonly number[]): LatencySummary {
  return { count: valuesMs.length, p50Ms: r2(percentile(valuesMs, 0.5)), p99Ms: r2(percentile(valuesMs, 0.99)), maxMs: r2(percentile(valuesMs, 1)) };
}
