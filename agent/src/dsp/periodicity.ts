/**
 * Periodicity of a short stretch of signal: the highest peak of its normalised
 * autocorrelation (Pearson correlation of the stretch with itself shifted by a
 * lag) within a range of lags, and that lag.
 *
 * Used by the quality stage (signal-quality.ts) to tell a ventricular
 * tachycardia from noise: wide, fast complexes fill the window, so the signal
 * is almost sinusoidal and its kurtosis falls to the Gaussian value or below
 * (a sine's is 1.5), like electrode-motion noise; but VT repeats itself beat
 * after beat, noise does not. The autocorrelation at the cycle length is the
 * classic measure of that regularity in ventricular-arrhythmia detection
 * (Chen, Thakor & Mower, "Ventricular fibrillation detection by a regression
 * test on the autocorrelation function", Med Biol Eng Comput 25 (1987)).
 * Only a local maximum counts, not the edge of the lag range, so a slow wave
 * whose autocorrelation merely decays across the range (baseline wander,
 * electrode motion) is not periodic in it.
 * Limits: the lags' overlap shrinks as the lag grows (a 2-s stretch shares
 * 1.4 s with itself at 0.6 s), so the estimate is rougher at long lags.
 */

export interface Periodicity {
  /** Highest local-maximum correlation in the lag range, -1..1; 0 when there is none. */
  r: number;
  /** Its lag, samples; 0 when there is none. */
  lag: number;
}

/** Pearson correlation of x[0, n - lag) with x[lag, n); 0 when either part is constant. */
export function lagCorrelation(x: ArrayLike<number>, lag: number): number {
  const m = x.length - lag;
  if (m < 2) return 0;
  let sa = 0; let sb = 0;
  for (let i = 0; i < m; i++) { sa += x[i]; sb += x[i + lag]; }
  const ma = sa / m;
  const mb = sb / m;
  let ab = 0; let aa = 0; let bb = 0;
  for (let i = 0; i < m; i++) {
    const a = x[i] - ma;
    const b = x[i + lag] - mb;
    ab += a * b; aa += a * a; bb += b * b;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/** The highest peak of the autocorrelation of `x` with lag in [minLag, maxLag] samples (a peak: above the lag before, no lower than the lag after; a plateau, e.g. a ramp's 1 everywhere, is none). */
export function peakAutocorrelation(x: ArrayLike<number>, minLag: number, maxLag: number): Periodicity {
  const lo = Math.max(1, Math.floor(minLag));
  const hi = Math.min(x.length - 3, Math.ceil(maxLag));
  let best: Periodicity = { r: 0, lag: 0 };
  if (hi < lo) return best;
  let prev = lagCorrelation(x, lo - 1);
  let cur = lagCorrelation(x, lo);
  for (let lag = lo; lag <= hi; lag++) {
    const next = lagCorrelation(x, lag + 1);
    if (cur > prev && cur >= next && cur > best.r) best = { r: cur, lag };
    prev = cur;
    cur = next;
  }
  return best;
}
