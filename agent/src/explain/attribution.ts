/**
 * Attribution maps over the model window for a chosen class, by method:
 * Grad-CAM (model/gradcam.ts, exact for ArrhythmiNet's linear head; >= 0) or
 * SHAP (explain/shap*.ts; signed, in probability units). One value per window
 * sample, so both draw and summarise the same way.
 */
import { gradcamMap } from '../model/gradcam.ts';
import type { Model } from '../model/load.ts';
import type { ModelInput } from '../model/input-builder.ts';

export const METHODS = ['gradcam', 'shap'] as const;
export type Method = typeof METHODS[number];

export const METHOD_NAMES: Record<Method, string> = { gradcam: 'Grad-CAM', shap: 'SHAP' };

/** Grad-CAM of class `classes[i]` for each `inputs[i]`, in batches of `batchSize`. */
export async function gradcamForClasses(model: Model, inputs: readonly ModelInput[], classes: readonly number[], batchSize = 64): Promise<Float32Array[]> {
  const length = model.spec.before + model.spec.after;
  const { featureChannels: fc, featureSteps: ft } = model;
  const out: Float32Array[] = [];
  for (let from = 0; from < inputs.length; from += batchSize) {
    const batch = inputs.slice(from, from + batchSize);
    const x = new Float32Array(batch.length * 2 * length);
    const rr = new Float32Array(batch.length * 3);
    batch.forEach((inp, b) => { x.set(inp.x, b * 2 * length); rr.set(inp.rr, b * 3); });
    const { features } = await model.run(x, rr, batch.length, true);
    batch.forEach((_, b) => {
      out.push(gradcamMap(features!.subarray(b * fc * ft, (b + 1) * fc * ft), model.gradcamAlpha, classes[from + b], fc, ft, length));
    });
  }
  return out;
}
