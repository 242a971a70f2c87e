/**
 * The seam between the explain command and the SHAP implementation
 * (explain/shap*.ts, built beside this): one beat's SHAP values of class `cls`
 * spread over the window samples.
 */
import type { Model } from '../model/load.ts';
import type { ModelInput } from '../model/input-builder.ts';

export async function shapAttribution(_model: Model, _input: ModelInput, _cls: number): Promise<Float32Array> {
  throw new Error('SHAP is not merged into this build yet');
}
