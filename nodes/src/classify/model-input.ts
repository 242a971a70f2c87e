/**
 * Per-stream model-input state as models/spec.json defines it: the amplitude
 * scale (median peak-to-peak of the recent windows), the running template
 * (per-sample median of the windows before this one) and the RR features
 * (previous interval, local mean, their ratio, ratio to the median of the
 * recent intervals). One implementation for both consumers: the agent's
 * ModelInputBuilder (agent/src/model/input-builder.ts) and the Node-RED
 * classify node (prepare.ts). It lives in the nodes package because that
 * package builds on its own (tsc rootDir nodes/src); the agent imports it.
 * Reference: models/spec.json descriptions; models/training/data.py is the
 * Python twin (test/model/window.test.ts compares them on MIT-BIH records).
 * Limits: medians of an even count are the mean of the two middle values, as
 * numpy computes them; the state grows to the spec's history lengths only.
 */

/** Median of v[0..n) (sorted in place, insertion sort: n is a few dozen). */
export function medianInPlace(v: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
    v[j + 1] = x;
  }
  const h = n >> 1;
  return n % 2 === 1 ? v[h] : (v[h - 1] + v[h]) / 2;
}

/** The amplitude scale of one stream: median peak-to-peak of this window and the historyBeats-1 before it, at least minScaleMv. */
export class AmplitudeScale {
  private readonly ptpMv: number[] = [];
  private readonly column: Float64Array;

  constructor(private readonly historyBeats: number, private readonly minScaleMv: number) {
    this.column = new Float64Array(historyBeats);
  }

  /** Adds this window's peak-to-peak and returns its scale, mV. */
  next(windowMv: ArrayLike<number>): number {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < windowMv.length; i++) { const v = windowMv[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    this.ptpMv.push(hi - lo);
    if (this.ptpMv.length > this.historyBeats) this.ptpMv.shift();
    for (let i = 0; i < this.ptpMv.length; i++) this.column[i] = this.ptpMv[i];
    return Math.max(this.minScaleMv, medianInPlace(this.column, this.ptpMv.length));
  }
}

/** The running template of one stream: per-sample median of the up to historyBeats windows before this one. */
export class TemplateHistory {
  private readonly windows: Float32Array[] = [];
  /**
   * The remembered windows' values at each sample, kept sorted: sample t's
   * column is sorted[t*historyBeats ..+windows.length). One removal and one
   * insertion per sample and beat instead of sorting every column again (the
   * template was the agent's costliest step per beat).
   */
  private sorted = new Float64Array(0);

  constructor(private readonly historyBeats: number) {}

  /** The template for `windowMv` (a copy of it when there is no earlier window), then remembers the window. */
  next(windowMv: Float32Array): Float32Array {
    const n = this.windows.length;
    const len = windowMv.length;
    if (this.sorted.length !== len * this.historyBeats) this.sorted = new Float64Array(len * this.historyBeats);
    let out: Float32Array;
    if (n === 0) {
      out = windowMv.slice();
    } else {
      out = new Float32Array(len);
      const h = n >> 1;
      for (let t = 0, at = 0; t < len; t++, at += this.historyBeats) {
        out[t] = n % 2 === 1 ? this.sorted[at + h] : (this.sorted[at + h - 1] + this.sorted[at + h]) / 2;
      }
    }
    this.remember(windowMv);
    return out;
  }

  /** Adds a window (dropping the oldest beyond historyBeats), columns kept sorted. */
  private remember(windowMv: Float32Array): void {
    const size = this.historyBeats;
    const n = this.windows.length;
    const oldest = n === size ? this.windows.shift()! : null;
    const s = this.sorted;
    for (let t = 0, at = 0; t < windowMv.length; t++, at += size) {
      let end = at + n;
      if (oldest !== null) {
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

/** Intervals in rrIrregularity when the spec gives no sideInputs.irregularityCount. */
export const DEFAULT_IRREGULARITY_COUNT = 16;

export interface RrSettings {
  /** Intervals in the local mean (spec sideInputs.localCount). */
  localCount: number;
  /** Intervals in the median of rrMedianRatio (spec sideInputs.medianCount). */
  medianCount: number;
  /** Intervals whose spread is rrIrregularity (spec sideInputs.irregularityCount; absent: 16). */
  irregularityCount?: number;
  /** rrPrevS when there is no previous beat, s. */
  defaultRrS: number;
}

export interface RrFeatures {
  rrPrevS: number;
  rrLocalS: number;
  rrRatio: number;
  rrMedianRatio: number;
  rrIrregularity: number;
}

/** The RR intervals of one stream, oldest first, and the features of each new beat from the intervals before it. */
export class RrHistory {
  private readonly intervalsS: number[] = [];
  private readonly column: Float64Array;
  private readonly irregularityCount: number;

  constructor(private readonly settings: RrSettings) {
    this.irregularityCount = settings.irregularityCount ?? DEFAULT_IRREGULARITY_COUNT;
    this.column = new Float64Array(Math.max(settings.localCount, settings.medianCount, this.irregularityCount));
  }

  /**
   * The next beat: `prevS` its interval from the previous beat, or null when
   * there is none (a stream's first beat: defaultRrS) or it is unknown (the
   * first beat after missing signal: the mean of the remembered intervals, so
   * it reads as on time); a null is never remembered. rrLocalS is
   * the mean of the localCount intervals before prevS (prevS when none), unless
   * the caller gives it; rrMedianRatio divides by their medianCount median;
   * rrIrregularity is 1 + the mean absolute difference of successive
   * intervals over their mean, for the irregularityCount intervals before
   * prevS (1 with fewer than 2): how irregular the rhythm was before this beat.
   */
  next(prevS: number | null, givenLocalS?: number): RrFeatures {
    const n = this.intervalsS.length;
    let prev = prevS ?? this.settings.defaultRrS;
    let localS = prev;
    let medianS = prev;
    if (n > 0) {
      const local = Math.min(n, this.settings.localCount);
      let sum = 0;
      for (let k = n - local; k < n; k++) sum += this.intervalsS[k];
      localS = sum / local;
      if (prevS === null) prev = localS;
      const m = Math.min(n, this.settings.medianCount);
      for (let k = 0; k < m; k++) this.column[k] = this.intervalsS[n - m + k];
      medianS = medianInPlace(this.column, m);
    }
    let irregularity = 1;
    const q = Math.min(n, this.irregularityCount);
    if (q >= 2) {
      let sum = this.intervalsS[n - q];
      let spread = 0;
      for (let k = n - q + 1; k < n; k++) {
        sum += this.intervalsS[k];
        spread += Math.abs(this.intervalsS[k] - this.intervalsS[k - 1]);
      }
      irregularity = 1 + (spread / (q - 1)) / (sum / q);
    }
    if (givenLocalS !== undefined) localS = givenLocalS;
    if (prevS !== null) {
      this.intervalsS.push(prevS);
      if (this.intervalsS.length > this.column.length) this.intervalsS.shift();
    }
    return { rrPrevS: prev, rrLocalS: localS, rrRatio: prev / localS, rrMedianRatio: prev / medianS, rrIrregularity: irregularity };
  }
}

/** out[at + i] = (w[i] - mean(w)) / scaleMv. */
export function normaliseInto(out: Float32Array, at: number, w: ArrayLike<number>, scaleMv: number): void {
  let mean = 0;
  for (let i = 0; i < w.length; i++) mean += w[i];
  mean /= w.length;
  for (let i = 0; i < w.length; i++) out[at + i] = (w[i] - mean) / scaleMv;
}
