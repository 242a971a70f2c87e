/**
 * Model input of each beat, as models/spec.json defines it, one builder per
 * stream (state: the recent windows, peak-to-peaks and RR intervals):
 *   channel 0  the window minus its mean, divided by scaleMv = max(minScaleMv,
 *              median peak-to-peak of this window and the historyBeats-1 before);
 *   channel 1  the per-sample median of the templateHistoryBeats windows BEFORE
 *              this one (its own window for the first), mean removed, / scaleMv;
 *   rr         rrPrevS, rrLocalS (mean of the localCount intervals before
 *              rrPrevS), rrRatio, from the R times of EVERY detected beat.
 * Pure and synchronous; the exact twin of models/training/data.py
 * (test/model/window.test.ts runs both on one record and compares).
 * Limits: a beat whose window could not be cut (stream edge) still counts for
 * RR but enters no history, as in training (windows that leave the record).
 */
import type { ModelSpec } from './spec.ts';

export interface ModelInput {
  /** [2, length] float32: normalised beat, then normalised template. */
  x: Float32Array;
  /** [3] float32: rrPrevS, rrLocalS, rrRatio. */
  rr: Float32Array;
  /** This beat's amplitude scale, mV. */
  scaleMv: number;
  /** The template before normalisation, mV. */
  templateMv: Float32Array;
}

/** Median of v[0..n) (sorted in place); mean of the two middle values for an even n. */
function medianInPlace(v: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
    v[j + 1] = x;
  }
  const h = n >> 1;
  return n % 2 === 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

export class ModelInputBuilder {
  readonly length: number;
  /** Last windows cut (conditioned mV), oldest first, at most templateHistoryBeats. */
  private windows: Float32Array[] = [];
  /** Peak-to-peak of the last windows, mV, at most scaleHistoryBeats. */
  private ptps: number[] = [];
  /** R index of the previous detected beat, samples; -1 before the first. */
  private lastR = -1;
  /** Last RR intervals, s, oldest first, at most rrLocalCount + 1. */
  private rrS: number[] = [];
  private readonly column: Float64Array;
  /**
   * The values of `windows` at each sample, kept sorted: sample t's column is
   * sorted[t*templateHistoryBeats ..+windows.length). Updated by one removal and
   * one insertion per sample and beat instead of sorting every column again
   * (the template was the agent's costliest step per beat).
   */
  private readonly sorted: Float64Array;

  constructor(private readonly spec: ModelSpec) {
    this.length = spec.before + spec.after;
    this.column = new Float64Array(Math.max(spec.templateHistoryBeats, spec.scaleHistoryBeats));
    this.sorted = new Float64Array(this.length * spec.templateHistoryBeats);
  }

  /**
   * Every detected beat, in stream order: its R index (samples at spec.fs) and
   * its window (conditioned mV, before+after samples), or null when the window
   * was not cut. Returns the model input, or null for a null window.
   */
  next(index: number, windowMv: Float32Array | null): ModelInput | null {
    const rr = this.nextRr(index);
    if (windowMv === null) return null;
    if (windowMv.length !== this.length) throw new RangeError(`model input: window of ${windowMv.length} samples, the spec wants ${this.length}`);
    const templateMv = this.template(windowMv);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of windowMv) { if (v < lo) lo = v; if (v > hi) hi = v; }
    this.ptps.push(hi - lo);
    if (this.ptps.length > this.spec.scaleHistoryBeats) this.ptps.shift();
    for (let i = 0; i < this.ptps.length; i++) this.column[i] = this.ptps[i];
    const scaleMv = Math.max(this.spec.minScaleMv, medianInPlace(this.column, this.ptps.length));
    this.remember(windowMv);
    const x = new Float32Array(2 * this.length);
    normaliseInto(x, 0, windowMv, scaleMv);
    normaliseInto(x, this.length, templateMv, scaleMv);
    return { x, rr, scaleMv, templateMv };
  }

  private nextRr(index: number): Float32Array {
    let prevS = this.spec.defaultRrS;
    if (this.lastR >= 0) {
      if (index <= this.lastR) throw new RangeError(`model input: R index ${index} not after the previous ${this.lastR}`);
      prevS = (index - this.lastR) / this.spec.fs;
    }
    // Intervals before rrPrevS: all kept ones but the newest (rrPrevS itself).
    const before = this.lastR >= 0 ? this.rrS.length : 0;
    let localS = prevS;
    if (before > 0) {
      let sum = 0;
      for (const v of this.rrS) sum += v;
      localS = sum / before;
    }
    if (this.lastR >= 0) {
      this.rrS.push(prevS);
      if (this.rrS.length > this.spec.rrLocalCount) this.rrS.shift();
    }
    this.lastR = index;
    return new Float32Array([prevS, localS, prevS / localS]);
  }

  private template(windowMv: Float32Array): Float32Array {
    const n = this.windows.length;
    if (n === 0) return windowMv.slice();
    const out = new Float32Array(this.length);
    const h = n >> 1;
    const size = this.spec.templateHistoryBeats;
    for (let t = 0, at = 0; t < this.length; t++, at += size) {
      out[t] = n % 2 === 1 ? this.sorted[at + h] : (this.sorted[at + h - 1] + this.sorted[at + h]) / 2;
    }
    return out;
  }

  /** Adds a window to the template history (dropping the oldest beyond templateHistoryBeats), columns kept sorted. */
  private remember(windowMv: Float32Array): void {
    const size = this.spec.templateHistoryBeats;
    /** Values in each column now. */
    const n = this.windows.length;
    const oldest = n === size ? this.windows.shift()! : null;
    const s = this.sorted;
    for (let t = 0, at = 0; t < this.length; t++, at += size) {
      let end = at + n;
      if (oldest !== null) {
        // Remove one value equal to the oldest window's sample.
        let i = lowerBound(s, at, end, oldest[t]);
        for (; i < end - 1; i++) s[i] = s[i + 1];
        end--;
      }
      const x = windowMv[t];
      let i = end;
      while (i > at && s[i - 1] > x) { s[i] = s[i - 1]; i--; }
      s[i] = x;
    }
    this.windows.push(windowMv);
  }
}

/** First index in the sorted range a[from..to) whose value is >= x. */
function lowerBound(a: Float64Array, from: number, to: number, x: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1; else hi = mid;
  }
  return lo;
}

function normaliseInto(out: Float32Array, at: number, w: Float32Array, scaleMv: number): void {
  let mean = 0;
  for (const v of w) mean += v;
  mean /= w.length;
  for (let i = 0; i < w.length; i++) out[at + i] = (w[i] - mean) / scaleMv;
}
