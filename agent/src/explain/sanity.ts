/**
 * Sanity checks of explanation maps, shared by the tests (test/explain/) and
 * the report script (sanity-report.ts):
 *   randomisation (Adebayo et al., NeurIPS 2018): maps of the trained model and
 *     of a copy with re-drawn weights (randomised-model.ts), for the same beats
 *     and the same class (the trained model's prediction), compared by
 *     Spearman rank correlation per beat; a map that explains the model must
 *     change, i.e. a low mean correlation;
 *   deletion (deletion.ts): replacing the top 10% most-attributed samples with
 *     the baseline must lower the predicted-class probability more than
 *     replacing a random 10%; plus the deletion AUC of the map's order and of
 *     a random order.
 * Maps are per sample over the window: Grad-CAM (model/gradcam.ts) and SHAP's
 * per-sample spread (shap.ts) of the predicted class.
 * Limits: a constant map (Grad-CAM with nothing positive) has no ranks; such
 * beats are counted and left out of the correlation, never scored.
 */
import { join } from 'node:path';
import { gradcamMap } from '../model/gradcam.ts';
import type { ModelInput } from '../model/input-builder.ts';
import type { Model } from '../model/load.ts';
import { referenceBeats } from '../model/reference-beats.ts';
import type { ModelSpec } from '../model/spec.ts';
import type { Background } from './background.ts';
import { deletionCurve, deletionDrop, randomOrder, rankByAttribution } from './deletion.ts';
import { mulberry32 } from '../sources/synthetic/prng.ts';
import { modelClassProbability, shapWindow, type ShapOptions } from './shap.ts';

export interface SanityBeat {
  record: string;
  /** Reference annotation sample and symbol. */
  sample: number;
  symbol: string;
  input: ModelInput;
}

export type MapMethod = 'gradcam' | 'shap';

/** `perRecord` reference beats of each record, evenly spread over it. */
export async function evenlySpacedBeats(mitdbDir: string, records: readonly string[], perRecord: number, spec: ModelSpec): Promise<SanityBeat[]> {
  const out: SanityBeat[] = [];
  for (const record of records) {
    const all = await referenceBeats(join(mitdbDir, record), spec);
    const step = all.length / perRecord;
    for (let k = 0; k < perRecord && k < all.length; k++) {
      const b = all[Math.floor((k + 0.5) * step)];
      out.push({ record, sample: b.sample, symbol: b.symbol, input: b.input });
    }
  }
  return out;
}

/** Ranks 1..n, ties given their mean rank. */
function ranks(v: ArrayLike<number>): Float64Array {
  const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Float64Array(v.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`pearson: ${a.length} and ${b.length} values`);
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}

/** Spearman rank correlation (Pearson of mean ranks); NaN when either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: ${a.length} and ${b.length} values`);
  return pearson(ranks(a), ranks(b));
}

/** The model's most probable class for each beat. */
export async function predictedClasses(model: Model, beats: readonly SanityBeat[]): Promise<number[]> {
  const out: number[] = [];
  const k = model.spec.classes.length;
  for (const b of beats) {
    const { probabilities } = await model.run(b.input.x, b.input.rr, 1);
    let top = 0;
    for (let c = 1; c < k; c++) if (probabilities[c] > probabilities[top]) top = c;
    out.push(top);
  }
  return out;
}

/** Grad-CAM map of class classes[i] for beat i. */
export async function gradcamMaps(model: Model, beats: readonly SanityBeat[], classes: readonly number[]): Promise<Float32Array[]> {
  const length = model.spec.before + model.spec.after;
  const out: Float32Array[] = [];
  for (const [i, b] of beats.entries()) {
    const { features } = await model.run(b.input.x, b.input.rr, 1, true);
    out.push(gradcamMap(features!, model.gradcamAlpha, classes[i], model.featureChannels, model.featureSteps, length));
  }
  return out;
}

/** SHAP settings of the checks: "S" = exact over S segments, "S:K" = KernelSHAP over S segments with K coalitions (seed 1). */
export function parseShapSetting(setting: string): ShapOptions {
  const m = /^(\d+)(?::(\d+))?$/.exec(setting);
  if (m === null) throw new RangeError(`SHAP setting '${setting}': expected SEGMENTS (exact) or SEGMENTS:SAMPLES (KernelSHAP), e.g. 8 or 12:256`);
  return m[2] === undefined ? { segments: Number(m[1]), method: 'exact' } : { segments: Number(m[1]), method: 'kernel', samples: Number(m[2]), seed: 1 };
}

export function describeShapSetting(o: ShapOptions): string {
  return o.method === 'kernel' ? `KernelSHAP over ${o.segments} segments, ${o.samples} coalitions` : `exact over ${o.segments} segments`;
}

/**
 * The checks' SHAP: deletion at the explain default of 12 segments, by
 * KernelSHAP with 256 coalitions (r > 0.99 against exact enumeration, 1/16 of
 * its cost: test/explain/shap-model.test.ts); randomisation exact over 8
 * segments, so that estimation noise cannot lower the correlation.
 */
export const DELETION_SHAP = '12:256';
export const RANDOMISATION_SHAP = '8';

/** SHAP per-sample map of class classes[i] for beat i. */
export async function shapMaps(model: Model, beats: readonly SanityBeat[], classes: readonly number[], background: Background, options: ShapOptions): Promise<Float32Array[]> {
  const length = model.spec.before + model.spec.after;
  const out: Float32Array[] = [];
  for (const [i, b] of beats.entries()) {
    const f = modelClassProbability(model, b.input, classes[i]);
    out.push((await shapWindow(f, b.input.x.subarray(0, length), background.values, options)).perSample);
  }
  return out;
}

export interface RandomisationSummary {
  method: MapMethod;
  beats: number;
  /** Beats with a rank correlation (neither map constant). */
  compared: number;
  /** Beats left out: a constant map. */
  constant: number;
  meanSpearman: number;
  /** Mean |Spearman|, so anti-correlated maps are not mistaken for different ones. */
  meanAbsSpearman: number;
}

export function randomisationSummary(method: MapMethod, trained: readonly Float32Array[], randomised: readonly Float32Array[]): RandomisationSummary {
  const rs = trained.map((m, i) => spearman(m, randomised[i])).filter((r) => !Number.isNaN(r));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return { method, beats: trained.length, compared: rs.length, constant: trained.length - rs.length, meanSpearman: mean(rs), meanAbsSpearman: mean(rs.map(Math.abs)) };
}

export interface DeletionSummary {
  method: MapMethod;
  beats: number;
  /** Mean predicted-class probability of the intact beats. */
  meanFull: number;
  /** Mean fall of that probability when the top 10% / a random 10% of samples are replaced. */
  meanTopDrop: number;
  meanRandomDrop: number;
  /** Beats where the top 10% fell further than the random 10%. */
  topWins: number;
  /** Mean deletion AUC, samples replaced in the map's order / in a random order. */
  auc: number;
  aucRandom: number;
}

/** Deletion of map-ranked vs random samples for each beat (class classes[i], baseline = the background). */
export async function deletionSummary(method: MapMethod, model: Model, beats: readonly SanityBeat[], classes: readonly number[],
  maps: readonly Float32Array[], baseline: Background, options: { fraction?: number; steps?: number; seed?: number } = {}): Promise<DeletionSummary> {
  const length = model.spec.before + model.spec.after;
  const uniform = mulberry32(options.seed ?? 1);
  let full = 0;
  let top = 0;
  let random = 0;
  let topWins = 0;
  let auc = 0;
  let aucRandom = 0;
  for (const [i, b] of beats.entries()) {
    const f = modelClassProbability(model, b.input, classes[i]);
    const x = b.input.x.subarray(0, length);
    const d = await deletionDrop(f, x, baseline.values, maps[i], { fraction: options.fraction ?? 0.1, seed: (options.seed ?? 1) + i });
    full += d.full;
    top += d.full - d.top;
    random += d.full - d.random;
    if (d.top < d.random) topWins++;
    auc += (await deletionCurve(f, x, baseline.values, rankByAttribution(maps[i]), options.steps ?? 20)).auc;
    aucRandom += (await deletionCurve(f, x, baseline.values, randomOrder(length, uniform), options.steps ?? 20)).auc;
  }
  const n = beats.length;
  return { method, beats: n, meanFull: full / n, meanTopDrop: top / n, meanRandomDrop: random / n, topWins, auc: auc / n, aucRandom: aucRandom / n };
}
