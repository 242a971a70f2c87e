/**
 * Summarises a Grad-CAM map (one value per window sample) for the `explain`
 * topic: a fixed number of bins aligned to the model window, the peak's offset
 * from the R peak, and the shares of the map's mass over the P, QRS and T regions.
 *
 * Grad-CAM (Selvaraju et al. 2017) keeps only positive evidence (ReLU), so
 * negative values are clamped to 0 here too. The regions depend on the beat's
 * preceding RR interval (explain/regions.ts: fixed QRS, T end by Fridericia's
 * rate correction, P never before the previous T's end); the payload carries
 * the bounds used. They are a summary, not a delineation.
 */
import { regionAt, regionsForRr, type RegionsMs } from '../explain/regions.ts';
import { buildExplainPayload, type ExplainPayload, type ModelClass, type Origin } from './payloads.ts';

/** Bins per map on the wire: 32 bins of the 256-sample window at 360 Hz = 22.2 ms each. */
export const EXPLAIN_BINS = 32;

export interface WindowGeometry {
  fs: number;
  /** Samples before R in the window; the window is r-before .. r+after-1. */
  before: number;
  after: number;
}

export interface GradCamSummary {
  window: { beforeMs: number; afterMs: number };
  bins: number[];
  binMs: number;
  peakOffsetMs: number;
  shares: { p: number; qrs: number; t: number; other: number };
  /** The region bounds the shares were summed over, ms from R, [from, to). */
  regionsMs: RegionsMs;
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** `rrPrevMs`: the beat's interval from the previous beat (null: none), which sets the P and T regions. */
export function summariseGradCam(map: ArrayLike<number>, geom: WindowGeometry, rrPrevMs: number | null = null, nBins = EXPLAIN_BINS): GradCamSummary {
  const len = geom.before + geom.after;
  if (map.length !== len) {
    throw new RangeError(`Grad-CAM map: expected ${len} values (window ${geom.before} before + ${geom.after} after R), got ${map.length}`);
  }
  if (!Number.isInteger(nBins) || nBins < 1 || nBins > len) throw new RangeError(`bins: must be an integer from 1 to ${len}, got ${nBins}`);
  const sums = new Float64Array(nBins);
  const counts = new Float64Array(nBins);
  const regionsMs = regionsForRr(rrPrevMs);
  const mass = { p: 0, qrs: 0, t: 0, other: 0 };
  let total = 0;
  let peak = 0;
  let peakAt = geom.before;
  for (let i = 0; i < len; i++) {
    const v = Math.max(0, Number(map[i]) || 0);
    const bin = Math.floor((i * nBins) / len);
    sums[bin] += v;
    counts[bin] += 1;
    total += v;
    if (v > peak) {
      peak = v;
      peakAt = i;
    }
    const ms = ((i - geom.before) * 1000) / geom.fs;
    mass[regionAt(regionsMs, ms) ?? 'other'] += v;
  }
  const means = Array.from(sums, (s, k) => s / counts[k]);
  const maxMean = Math.max(...means);
  const bins = means.map((m) => (maxMean > 0 ? round(m / maxMean, 4) : 0));
  // No evidence at all: say so as "all outside the regions" so the shares still sum to 1.
  const shares = total > 0
    ? { p: round(mass.p / total, 4), qrs: round(mass.qrs / total, 4), t: round(mass.t / total, 4), other: 0 }
    : { p: 0, qrs: 0, t: 0, other: 1 };
  if (total > 0) shares.other = round(Math.max(0, 1 - shares.p - shares.qrs - shares.t), 4);
  return {
    window: { beforeMs: round((geom.before * 1000) / geom.fs, 3), afterMs: round((geom.after * 1000) / geom.fs, 3) },
    bins,
    binMs: round((len * 1000) / geom.fs / nBins, 3),
    peakOffsetMs: round(((peakAt - geom.before) * 1000) / geom.fs, 3),
    shares,
    regionsMs,
  };
}

export interface ExplainInput {
  beatSample: number;
  wallMs: number;
  label: ModelClass;
  probability: number;
  /** Interval from the previous beat, ms (null: none): sets the P and T regions. */
  rrPrevMs: number | null;
  map: ArrayLike<number>;
  geometry: WindowGeometry;
}

export function buildExplain(origin: Origin, e: ExplainInput): ExplainPayload {
  const summary = summariseGradCam(e.map, e.geometry, e.rrPrevMs);
  return buildExplainPayload(origin, {
    beat: { sample: e.beatSample, wallMs: e.wallMs },
    label: e.label,
    probability: e.probability,
    summary,
  });
}
