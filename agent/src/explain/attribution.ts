/**
 * Attribution maps over the model window for a chosen class, by method:
 * Grad-CAM (model/gradcam.ts, exact for ArrhythmiNet's linear head; >= 0) or
 * SHAP (explain/shap*.ts; signed, in probability units). One value per window
 * sample, so both draw and summarise the same way.
 */
import { gradcamMap } from '../model/gradcam.ts';
import type { Model } from '../model/load.ts';
import type { ModelInput } from '../model/input-builder.ts';
import type { Background } from './background.ts';
import { segmentTimesMs } from './segments.ts';
import { explainBeatShap } from './shap.ts';

export const METHODS = ['gradcam', 'shap'] as const;
export type Method = typeof METHODS[number];

export const METHOD_NAMES: Record<Method, string> = { gradcam: 'Grad-CAM', shap: 'SHAP' };

/** Grad-CAM of class `classes[i]` for each `inputs[i]`, in batches of `batchSize`. */
export async function gradcamForClasses(model: Model, inputs: readonly ModelInput[], classes: readonly number[], batchSize = 64): Promise<Float32Array[]> {
  const length = model.spec.before + model.spec.after;
  const { featureChannels: fc, featureSteps: ft } = model;
  const side = model.spec.sideInputNames.length;
  const out: Float32Array[] = [];
  for (let from = 0; from < inputs.length; from += batchSize) {
    const batch = inputs.slice(from, from + batchSize);
    const x = new Float32Array(batch.length * 2 * length);
    const rr = new Float32Array(batch.length * side);
    batch.forEach((inp, b) => { x.set(inp.x, b * 2 * length); rr.set(inp.rr, b * side); });
    const { features } = await model.run(x, rr, batch.length, true);
    batch.forEach((_, b) => {
      out.push(gradcamMap(features!.subarray(b * fc * ft, (b + 1) * fc * ft), model.gradcamAlpha, classes[from + b], fc, ft, length));
    });
  }
  return out;
}

export interface ShapSettings {
  background: Background;
  /** Time segments of the window (players); exact Shapley values up to 12. */
  segments: number;
}

export interface ShapDetail {
  background: string;
  method: 'exact' | 'kernel';
  evaluations: number;
  /** f = probability of the class: of the background window and of the beat; the values sum to full - base. */
  base: number;
  full: number;
  /** Per segment: its span in ms from R and its value (probability units). */
  segments: { fromMs: number; toMs: number; value: number }[];
}

/** SHAP of class `cls` for one beat (explain/shap.ts), spread over the window samples, with its detail. */
export async function shapForBeat(model: Model, input: ModelInput, cls: number, s: ShapSettings): Promise<{ map: Float32Array; detail: ShapDetail }> {
  const e = await explainBeatShap(model, input, s.background, { cls, segments: s.segments });
  const times = segmentTimesMs(e.segments, model.spec.before, model.spec.fs);
  const r = (x: number, d: number) => Number(x.toFixed(d));
  return {
    map: e.perSample,
    detail: {
      background: e.background, method: e.method, evaluations: e.evaluations, base: r(e.base, 5), full: r(e.full, 5),
      segments: times.map((t, i) => ({ fromMs: r(t.startMs, 1), toMs: r(t.endMs, 1), value: r(e.values[i], 5) })),
    },
  };
}
