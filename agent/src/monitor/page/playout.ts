/**
 * Where the strip's write position is now, as a sample index: the signal
 * arrives in lumps (the agent's quality stage releases 1-s blocks), and a
 * monitor must sweep smoothly, so the page plays the samples out at the
 * sample rate a fixed `delayMs` behind the freshest arrival, like a jitter
 * buffer. The stream-to-page clock offset is the smallest (least delayed)
 * of the last `window` arrivals; the position never passes the newest sample
 * (it waits when the data stops) and never goes back.
 * Limit: a beat's label can only show once the sweep reaches its R peak, so
 * `delayMs` bounds how late a label may be after the beat's message arrives.
 */
export interface PlayoutOptions {
  fs: number;
  /** How far behind the freshest arrival the sweep runs, ms. */
  delayMs?: number;
  /** Arrivals kept for the offset estimate. */
  window?: number;
}

export class Playout {
  private readonly fs: number;
  private readonly delayMs: number;
  private readonly offsets: number[] = [];
  private readonly window: number;
  /** One past the newest sample arrived. */
  private head = 0;
  /** Last position returned (the sweep never goes back). */
  private last = 0;

  constructor(o: PlayoutOptions) {
    this.fs = o.fs;
    this.delayMs = o.delayMs ?? 1100;
    this.window = o.window ?? 10;
  }

  /** Samples up to (not including) `end` have arrived at page time `nowMs`. */
  arrived(end: number, nowMs: number): void {
    if (end <= this.head) return;
    this.head = end;
    this.offsets.push(nowMs - (end * 1000) / this.fs);
    if (this.offsets.length > this.window) this.offsets.shift();
  }

  /** The sample index the sweep has reached at page time `nowMs` (fractional). */
  position(nowMs: number): number {
    if (this.offsets.length === 0) return this.last;
    const offset = Math.min(...this.offsets);
    let p = ((nowMs - offset - this.delayMs) * this.fs) / 1000;
    p = Math.min(p, this.head);
    // Far behind (a long stall, a page woken from the background): jump rather than crawl.
    if (this.head - p > 4 * (this.delayMs / 1000) * this.fs) p = this.head - (this.delayMs / 1000) * this.fs;
    this.last = Math.max(this.last, p);
    return this.last;
  }

  reset(): void {
    this.offsets.length = 0;
    this.head = 0;
    this.last = 0;
  }
}
