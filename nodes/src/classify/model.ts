/**
 * An ArrhythmiNet ONNX model in onnxruntime-node: one beat window in, class
 * probabilities and, when the model exports them (features and gradcamAlpha),
 * its Grad-CAM map out.
 *
 * Grad-CAM (Selvaraju et al. 2017): for a head that is linear after global
 * average pooling, the gradient of class c's logit with respect to the last
 * features is W[c,k]/T, so the map is ReLU(sum_k W[c,k]/T * F[k,t]), exact
 * without a backward pass. Limits: batch of one per call; models whose first
 * output is not softmaxed are softmaxed here.
 */
import ort from 'onnxruntime-node';

export interface Classified {
  classIndex: number;
  probabilities: number[];
  /** Grad-CAM of the predicted class over the window, T bins normalised to max 1 (all 0 when no evidence). */
  gradcam?: number[];
}

export class BeatModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async load(file: string): Promise<BeatModel> {
    return new BeatModel(await ort.InferenceSession.create(file));
  }

  get inputNames(): readonly string[] {
    return this.session.inputNames;
  }

  /** `input` is [channels, length] row-major (one beat). */
  async classify(input: Float32Array, channels: number, windowInput: string, rr?: { name: string; values: Float32Array }): Promise<Classified> {
    const feeds: Record<string, ort.Tensor> = {
      [windowInput]: new ort.Tensor('float32', input, [1, channels, input.length / channels]),
    };
    if (rr) feeds[rr.name] = new ort.Tensor('float32', rr.values, [1, rr.values.length]);
    const out = await this.session.run(feeds);
    const names = this.session.outputNames;
    const first = out[names.includes('probabilities') ? 'probabilities' : names[0]];
    let probabilities = Array.from(first.data as Float32Array);
    const sum = probabilities.reduce((s, p) => s + p, 0);
    if (probabilities.some((p) => p < 0) || Math.abs(sum - 1) > 1e-3) probabilities = softmax(probabilities);
    const classIndex = probabilities.indexOf(Math.max(...probabilities));
    const result: Classified = { classIndex, probabilities };
    const features = out.features;
    const alpha = out.gradcamAlpha;
    if (features && alpha && features.dims.length === 3) {
      result.gradcam = gradcam(features.data as Float32Array, Number(features.dims[1]), Number(features.dims[2]), alpha.data as Float32Array, classIndex);
    }
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

export function softmax(logits: number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** ReLU(sum_k alpha[c,k] F[k,t]) for features F [channels, bins] (batch 1), normalised to max 1. */
export function gradcam(features: Float32Array, channels: number, bins: number, alpha: Float32Array, c: number): number[] {
  const cam = new Array<number>(bins).fill(0);
  for (let k = 0; k < channels; k++) {
    const a = alpha[c * channels + k];
    for (let t = 0; t < bins; t++) cam[t] += a * features[k * bins + t];
  }
  const relu = cam.map((v) => Math.max(0, v));
  const max = Math.max(...relu);
  return max > 0 ? relu.map((v) => v / max) : relu;
}
