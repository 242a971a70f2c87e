/**
 * Publish latency percentiles over the most recent samples (a ring buffer, so
 * memory is fixed and old outages age out). Nearest-rank percentiles.
 */
export class LatencyWindow {
  private readonly samplesMs: Float64Array;
  private count = 0;
  private next = 0;

  constructor(readonly capacity = 1024) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`latency capacity: must be a positive integer, got ${capacity}`);
    this.samplesMs = new Float64Array(capacity);
  }

  add(ms: number): void {
    this.samplesMs[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** q in [0, 1]; null before the first sample. */
  percentile(q: number): number | null {
    if (this.count === 0) return null;
    const sorted = this.samplesMs.slice(0, this.count).sort();
    const rank = Math.min(this.count, Math.max(1, Math.ceil(q * this.count)));
    return sorted[rank - 1];
  }

  summary(): { p50: number | null; p99: number | null } {
    const r = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);
    return { p50: r(this.percentile(0.5)), p99: r(this.percentile(0.99)) };
  }
}
