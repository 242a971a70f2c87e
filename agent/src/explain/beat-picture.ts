/**
 * What a beat explanation's picture shows: the window in mV, the attribution
 * painted over it, the P/QRS/T regions of the beat's RR, the label with the
 * reference label, and the class probabilities.
 */
import type { BeatPicture } from './render/beat-svg.ts';
import type { RegionsMs } from './regions.ts';
import type { BeatExplanation } from './explain-beat.ts';
import { METHOD_NAMES } from './attribution.ts';

export function regionMarks(r: RegionsMs): NonNullable<BeatPicture['regions']> {
  return [{ name: 'P', fromMs: r.p[0], toMs: r.p[1] }, { name: 'QRS', fromMs: r.qrs[0], toMs: r.qrs[1] }, { name: 'T', fromMs: r.t[0], toMs: r.t[1] }];
}

export function beatPicture(e: BeatExplanation): BeatPicture {
  const ref = e.beat.reference === null ? '' : `, reference ${e.beat.reference}`;
  const rr = e.beat.rrPrevMs === null ? 'first beat' : `RR ${Math.round(e.beat.rrPrevMs)} ms`;
  const s = e.summary.shares;
  return {
    window: e.windowMv, fs: e.fs, beforeSamples: e.beforeSamples,
    attribution: e.attribution, attributionKind: e.method === 'shap' ? 'signed' : 'heat', attributionName: METHOD_NAMES[e.method],
    regions: regionMarks(e.summary.regionsMs),
    label: e.label, probabilities: e.probabilities,
    title: `record ${e.record}, beat ${e.beat.number} at ${e.beat.time}: ${e.label} (${(100 * e.probabilities[e.label]).toFixed(1)}%)${ref}`,
    subtitle: `${METHOD_NAMES[e.method]} of ${e.explainedClass}, ${e.model.name}; ${rr}; shares P ${pct(s.p)}, QRS ${pct(s.qrs)}, T ${pct(s.t)}; peak ${Math.round(e.summary.peakOffsetMs)} ms from R`,
  };
}

const pct = (x: number) => `${Math.round(100 * x)}%`;
