/**
 * Segmenter: cuts the model's window of the conditioned signal around each R
 * peak and attaches the RR intervals and the beat's signal quality.
 *
 * Window: samples r-before .. r+after-1 (models/spec.json `window`), so the R
 * peak is at window[before], where r is the R mark aligned on the signal's own
 * peak (`align`): the detector and MIT-BIH's annotators put R up to a few
 * samples apart, and training cuts its windows the same way from annotations. RR: the previous interval and the mean of the last
 * `rrHistory` intervals, both in ms; the next interval is not waited for (the
 * stream is causal). Quality: the worst SampleFlag/QualityFlag reason over the
 * window, 'edge' when the window reaches before the stream start or past its end
 * (padded with the nearest sample), 'good' otherwise.
 * Reference: the beat-window convention of the ArrhythmiNet model spec; RR
 * features as in de Chazal et al., IEEE TBME 51(7) (2004). Missing signal
 * (GAP or LEAD_OFF samples) between two R peaks makes their interval unknown:
 * beats may have gone undetected there, so the beat after it gets rrPrevMs
 * null and the interval is not remembered (a 3 s dropout is not a 3 s pause
 * to the heart-rate, the model's RR inputs or the rhythm rules). Limits: a beat is
 * released when its window's last sample has arrived (0.46 s after R at 360 Hz,
 * up to `align.radius` samples more or less), and not before the samples that
 * place it (r+radius+delay); R indices must
 * increase and be at most `historyS` old when they arrive.
 */
import { SampleFlag } from '../signal.ts';
import { worstReason, type BadSignalReason } from './signal-quality.ts';

/** Samples that were not measured (no interval across them can be trusted). */
const MISSING = SampleFlag.GAP | SampleFlag.LEAD_OFF;

export type BeatQuality = 'good' | 'edge' | BadSignalReason;

export interface Segment {
  /** R-peak sample index, at fs: the mark given (RR intervals are between these). */
  index: number;
  /** Conditioned signal, mV, before+after samples, cut around the aligned R (`align`) at [before]. */
  window: Float32Array;
  /** Sample index of window[0] (aligned R - before; negative for a beat padded at the stream start). */
  windowStart: number;
  /** Interval from the previous beat, ms; null for the first beat and for the first after missing signal. */
  rrPrevMs: number | null;
  /** Mean of the last remembered intervals (up to rrHistory), ms; null while none is remembered. */
  rrLocalMs: number | null;
  quality: BeatQuality;
}

export interface SegmenterOptions {
  fs: number;
  /** Window samples before and from R (models/spec.json window.before, window.after). */
  before: number;
  after: number;
  /** Intervals in the local mean RR (default 8). */
  rrHistory?: number;
  /** How far back an R peak may be when it arrives, s (default 8). */
  historyS?: number;
  /**
   * Window alignment (models/spec.json window.align): the window is cut at the
   * r within ±radius of the R mark whose sample r+delay is largest in
   * magnitude. Default radius 0: at the mark.
   */
  align?: { radius: number; delay: number };
}

export class Segmenter {
  readonly fs: number;
  private readonly before: number;
  private readonly after: number;
  private readonly rrHistory: number;
  private readonly radius: number;
  private readonly delay: number;
  /** Ring of conditioned samples (mV) and their quality flags, indexed by sample & mask. */
  private readonly ring: Float32Array;
  private readonly flagRing: Uint8Array;
  private readonly mask: number;
  /** Samples received (index of the next sample). */
  private n = 0;
  /** First sample value, for padding before the stream start, mV. */
  private first = 0;
  /** R peaks waiting for the end of their window. */
  private queue: number[] = [];
  /** Window centre of queue[0], once every sample `align` compares has arrived; null before. */
  private headCentre: number | null = null;
  /** Last R index (samples), -1 before the first beat. */
  private lastR = -1;
  /** Last RR intervals, samples. */
  private rr: number[] = [];
  /** Spans [start, end) of missing samples not yet behind the last R peak. */
  private missing: [number, number][] = [];

  constructor(private readonly options: SegmenterOptions) {
    const { fs, before, after } = options;
    if (!(Number.isInteger(before) && before >= 0 && Number.isInteger(after) && after > 0)) {
      throw new RangeError(`segmenter: window.before must be an integer >= 0 and window.after > 0, got ${before}, ${after}`);
    }
    this.fs = fs;
    this.before = before;
    this.after = after;
    this.rrHistory = options.rrHistory ?? 8;
    this.radius = options.align?.radius ?? 0;
    this.delay = options.align?.delay ?? 0;
    if (!(Number.isInteger(this.radius) && this.radius >= 0 && Number.isInteger(this.delay) && this.delay >= 0 && this.radius + this.delay < after)) {
      throw new RangeError(`segmenter: align radius and delay must be integers >= 0 with radius + delay < window.after (${after}), got ${this.radius}, ${this.delay}`);
    }
    const need = Math.ceil((options.historyS ?? 8) * fs) + before + after + 2 * this.radius;
    let size = 1;
    while (size < need) size *= 2;
    this.ring = new Float32Array(size);
    this.flagRing = new Uint8Array(size);
    this.mask = size - 1;
  }

  /**
   * Feeds conditioned samples (mV) with their quality flags and the R peaks
   * decided meanwhile (indices at fs, increasing); returns the finished beats.
   */
  process(cond: ArrayLike<number>, flags: ArrayLike<number> | undefined, rPeaks: readonly number[]): Segment[] {
    for (const r of rPeaks) {
      if (r < this.n - this.ring.length + this.after + this.before + 2 * this.radius || r <= (this.queue.at(-1) ?? this.lastR)) {
        throw new RangeError(`segmenter: R peak ${r} arrived late or out of order (stream at sample ${this.n}, last R ${this.queue.at(-1) ?? this.lastR})`);
      }
      this.queue.push(r);
    }
    const out: Segment[] = [];
    this.drain(out);
    for (let i = 0; i < cond.length; i++) {
      if (this.n === 0) this.first = cond[0];
      const k = this.n & this.mask;
      this.ring[k] = cond[i];
      this.flagRing[k] = flags ? flags[i] : 0;
      if ((this.flagRing[k] & MISSING) !== 0) {
        const last = this.missing.at(-1);
        if (last !== undefined && last[1] === this.n) last[1]++;
        else this.missing.push([this.n, this.n + 1]);
      }
      this.n++;
      // Cut as soon as a window is complete, before the ring wraps over it.
      if (this.ready()) this.drain(out);
    }
    return out;
  }

  /** True when the first queued beat's centre is known (found once, when its last compared sample arrives) and its window is complete. */
  private ready(): boolean {
    const r = this.queue[0];
    if (r === undefined) return false;
    if (this.headCentre === null) {
      if (r + this.radius + this.delay >= this.n) return false;
      this.headCentre = this.centre(r);
    }
    return this.headCentre + this.after <= this.n;
  }

  private drain(out: Segment[]): void {
    while (this.ready()) {
      const c = this.headCentre!;
      this.headCentre = null;
      out.push(this.cut(this.queue.shift()!, c, false));
    }
  }

  /** End of stream: the beats whose window runs past the end, padded. */
  flush(): Segment[] {
    const out = this.queue.map((r) => this.cut(r, this.centre(r), true));
    this.queue = [];
    this.headCentre = null;
    return out;
  }

  /** The window's centre for R mark r: see `align`; float32 magnitudes, the earliest on a tie, only samples received. */
  private centre(r: number): number {
    let best = r;
    let top = -1;
    for (let j = r - this.radius; j <= r + this.radius; j++) {
      const i = j + this.delay;
      if (i < 0 || i >= this.n) continue;
      const v = Math.abs(this.ring[i & this.mask]);
      if (v > top) { top = v; best = j; }
    }
    return best;
  }

  /** The segment of R mark r with its window centred at c. */
  private cut(r: number, c: number, atEnd: boolean): Segment {
    const from = c - this.before;
    const to = c + this.after; // exclusive
    const window = new Float32Array(this.before + this.after);
    let flags = 0;
    const edge = from < 0 || (atEnd && to > this.n);
    const last = this.n > 0 ? this.ring[(this.n - 1) & this.mask] : 0;
    for (let j = from; j < to; j++) {
      const w = j - from;
      if (j < 0) window[w] = this.first;
      else if (j >= this.n) window[w] = last;
      else { window[w] = this.ring[j & this.mask]; flags |= this.flagRing[j & this.mask]; }
    }
    let rrPrevMs: number | null = null;
    let rrLocalMs: number | null = null;
    const lastR = this.lastR;
    const measured = lastR >= 0 && !this.missing.some(([s, e]) => s <= r && e > lastR + 1);
    if (measured) {
      const rr = r - lastR;
      this.rr.push(rr);
      if (this.rr.length > this.rrHistory) this.rr.shift();
      rrPrevMs = (rr * 1000) / this.fs;
    }
    if (this.rr.length > 0) rrLocalMs = (this.rr.reduce((a, b) => a + b, 0) * 1000) / (this.rr.length * this.fs);
    this.lastR = r;
    this.missing = this.missing.filter(([, e]) => e > r + 1);
    const reason = worstReason(flags);
    return { index: r, window, windowStart: from, rrPrevMs, rrLocalMs, quality: reason ?? (edge ? 'edge' : 'good') };
  }

  reset(): void {
    Object.assign(this, new Segmenter(this.options));
  }
}
