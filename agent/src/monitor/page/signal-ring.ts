/**
 * The page's signal store: a fixed ring of the last `capacity` samples by
 * their stream index (µV, NaN where none arrived) and their quality bits.
 * Memory never grows, whatever the run's length; older samples are overwritten.
 */
export class SignalRing {
  private readonly uv: Float32Array;
  private readonly bits: Uint8Array;
  /** One past the newest sample index written. */
  private head = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`signal ring capacity ${capacity}; allowed: >= 1`);
    this.uv = new Float32Array(capacity).fill(NaN);
    this.bits = new Uint8Array(capacity);
  }

  /** One past the newest index held. */
  get end(): number {
    return this.head;
  }

  /** Oldest index held. */
  get start(): number {
    return Math.max(0, this.head - this.capacity);
  }

  /** Samples held (at most capacity): each slot stands for one index of [start, end). */
  get retained(): number {
    let n = 0;
    for (let k = 0; k < this.capacity; k++) if (!Number.isNaN(this.uv[k])) n++;
    return n;
  }

  /** Writes samples from `start`; `flags` are [offset, length, bits] runs, other samples clean. */
  write(start: number, uv: ArrayLike<number>, flags: readonly (readonly [number, number, number])[] = []): void {
    const end = start + uv.length;
    /** Oldest index kept once this is written. */
    const keepFrom = Math.max(end, this.head) - this.capacity;
    // A jump forward leaves a hole: no samples there (the slots may hold older ones).
    for (let i = Math.max(this.head, keepFrom); i < start; i++) {
      this.uv[i % this.capacity] = NaN;
      this.bits[i % this.capacity] = 0;
    }
    const from = Math.max(start, keepFrom);
    for (let i = from; i < end; i++) {
      this.uv[i % this.capacity] = uv[i - start];
      this.bits[i % this.capacity] = 0;
    }
    for (const [offset, length, b] of flags) {
      for (let i = Math.max(from, start + offset); i < Math.min(end, start + offset + length); i++) this.bits[i % this.capacity] = b;
    }
    if (end > this.head) this.head = end;
  }

  /** µV at index i, NaN when not held. */
  value(i: number): number {
    return i >= this.start && i < this.head ? this.uv[i % this.capacity] : NaN;
  }

  /** Quality bits at index i (0 when not held). */
  flags(i: number): number {
    return i >= this.start && i < this.head ? this.bits[i % this.capacity] : 0;
  }

  reset(): void {
    this.uv.fill(NaN);
    this.bits.fill(0);
    this.head = 0;
  }
}
