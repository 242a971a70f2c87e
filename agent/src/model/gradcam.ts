/**
 * Grad-CAM (Selvaraju et al., ICCV 2017) for one beat without autograd:
 *   map(t) = ReLU(sum_k alpha_k A_k(t)),  alpha_k = mean_t d y_c / d A_k(t)
 * over the last convolutional block's activations A. ArrhythmiNet's head is
 * linear after global average pooling (logits = W mean_t(A) + g(rr) + b), so
 * d y_c / d A_k(t) = W[c, k] / T for every t, and the exported graph gives that
 * as `gradcamAlpha` [classes, C]: the map is exact, not an approximation.
 * The T-step map is upsampled to the window by linear interpolation with
 * half-sample alignment (PyTorch interpolate, mode 'linear', align_corners False).
 * Limits: valid only for heads linear in the pooled features (checked against
 * PyTorch autograd in test/model/gradcam.test.ts).
 */

/**
 * features [C, T] of one beat (row-major), alpha [classes, C]; returns the
 * map over `length` samples for class `cls` (>= 0; 0 where nothing is positive).
 */
export function gradcamMap(features: ArrayLike<number>, alpha: ArrayLike<number>, cls: number,
  channels: number, steps: number, length: number): Float32Array {
  const coarse = new Float64Array(steps);
  for (let k = 0; k < channels; k++) {
    const a = alpha[cls * channels + k];
    if (a === 0) continue;
    const row = k * steps;
    for (let t = 0; t < steps; t++) coarse[t] += a * features[row + t];
  }
  for (let t = 0; t < steps; t++) if (coarse[t] < 0) coarse[t] = 0;
  return upsampleLinear(coarse, length);
}

/** Linear interpolation of `v` to `length` samples, half-sample aligned, edges held. */
export function upsampleLinear(v: ArrayLike<number>, length: number): Float32Array {
  const out = new Float32Array(length);
  const n = v.length;
  const scale = n / length;
  for (let i = 0; i < length; i++) {
    const src = Math.max(0, (i + 0.5) * scale - 0.5);
    const i0 = Math.min(Math.floor(src), n - 1);
    const i1 = Math.min(i0 + 1, n - 1);
    const w = src - i0;
    out[i] = (1 - w) * v[i0] + w * v[i1];
  }
  return out;
}
