/**
 * The P, QRS and T regions of a beat window, in ms from the R peak, from the
 * preceding RR interval: where an explanation's mass is summed (`explain`
 * topic shares) and what the pictures mark. A summary, not a delineation: no
 * wave is detected, the bounds follow rate-corrected normal intervals.
 *
 *   QRS  [-60, +80) ms, fixed: QRS width hardly changes with rate.
 *   T    [+80, tEnd) ms, tEnd = QTc x RR^(1/3) - 40 ms: the end of the QT
 *        interval by Fridericia's correction (Fridericia 1920; one of the two
 *        corrections ICH E14 asks QT studies to report) with QTc = 450 ms, the upper normal limit, so the
 *        region covers a normal T wave; the QT interval starts at QRS onset,
 *        taken as 40 ms before R. RR = 1 s gives tEnd = 410 ms.
 *   P    [pStart, -60) ms, pStart = max(-250 ms, tEnd - RR): at most 250 ms
 *        before R (PR interval up to 200 ms plus QRS onset, the normal upper
 *        limit), and never before the end of the previous beat's T wave, so at
 *        fast rates (RR under about 0.585 s) the P region shrinks instead of
 *        claiming the previous T (the T-on-P fusion a summary cannot split).
 *
 * RR is the interval from the previous beat (the QT follows the preceding
 * cycle; the previous T ends at -RR + tEnd). Without one (first beat of a
 * stream) RR = 1 s. RR is clamped to [0.25, 2] s, the physiological range the
 * rule was written for. Bounds are rounded to 0.1 ms.
 */

export interface RegionsMs {
  /** [from, to) in ms from R. */
  p: [number, number];
  qrs: [number, number];
  t: [number, number];
}

export type RegionName = keyof RegionsMs;
export const REGION_NAMES: readonly RegionName[] = ['p', 'qrs', 't'];

/** Rate-corrected QT (Fridericia) used for the end of T, ms. */
export const QTC_MS = 450;
/** QRS onset before R, ms (half a normal 80 ms QRS). */
export const QRS_ONSET_MS = 40;
export const QRS_MS: readonly [number, number] = [-60, 80];
/** Earliest P onset before R, ms. */
export const P_MAX_BEFORE_MS = 250;
/** RR assumed when there is no previous beat, ms. */
export const DEFAULT_RR_MS = 1000;
const RR_RANGE_MS = [250, 2000] as const;

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** End of the T region after R, ms, for a preceding RR of `rrMs`. */
export function tEndMs(rrMs: number): number {
  return QTC_MS * Math.cbrt(rrMs / 1000) - QRS_ONSET_MS;
}

/** The regions for a beat whose previous RR interval is `rrPrevMs` (null: none). */
export function regionsForRr(rrPrevMs: number | null): RegionsMs {
  const rr = Math.min(RR_RANGE_MS[1], Math.max(RR_RANGE_MS[0], rrPrevMs ?? DEFAULT_RR_MS));
  const tEnd = tEndMs(rr);
  const pStart = Math.min(QRS_MS[0], Math.max(-P_MAX_BEFORE_MS, tEnd - rr));
  return {
    p: [round1(pStart), QRS_MS[0]],
    qrs: [QRS_MS[0], QRS_MS[1]],
    t: [QRS_MS[1], round1(tEnd)],
  };
}

/** The region holding `ms` (from R), or null. */
export function regionAt(regions: RegionsMs, ms: number): RegionName | null {
  for (const k of REGION_NAMES) if (ms >= regions[k][0] && ms < regions[k][1]) return k;
  return null;
}
