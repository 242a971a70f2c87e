/**
 * SHAP for one beat over time segments of its window (Lundberg & Lee 2017;
 * Shapley 1953). Players are the S segments of segments.ts; a coalition keeps
 * the beat's samples in its segments and puts the background's (background.ts)
 * everywhere else; v(coalition) = f(that window). Exact enumeration of the 2^S
 * coalitions up to 12 segments (shapley-exact.ts), KernelSHAP above
 * (kernel-shap.ts), unless a method is asked for.
 *
 * What is masked: model input channel 0 only (the normalised beat). The
 * template channel and the RR side inputs keep the beat's own values, so the
 * values say which parts of THIS waveform moved the output, given the
 * patient's template and rhythm.
 * What f is: the predicted-class probability (softmax output, the class the
 * model gives the unmasked beat). Values are in probability units and sum to
 * f(beat) - f(background) (efficiency).
 *
 * `shapWindow` takes any batched function of windows (a linear model in tests);
 * `explainBeatShap` adapts a loaded ONNX model.
 * Limits: segments are fixed time spans, not waves; the background is an
 * assumption every SHAP explanation depends on.
 */
import type { Model } from '../model/load.ts';
import type { ModelInput } from '../model/input-builder.ts';
import type { Background } from './background.ts';
import type { CoalitionGame, ShapleyResult } from './game.ts';
import { kernelShap } from './kernel-shap.ts';
import { shapleyExact } from './shapley-exact.ts';
import { spreadOverSamples, timeSegments, type Segment } from './segments.ts';

/** f of `n` windows laid end to end in `windows` (n x length); one number each. */
export type WindowFunction = (windows: Float32Array, n: number) => Promise<ArrayLike<number>>;

export type ShapMethod = 'exact' | 'kernel';

/** Segments up to which 'auto' enumerates exactly. */
export const MAX_AUTO_EXACT_SEGMENTS = 12;

export interface ShapOptions {
  /** Time segments (players), default 12. */
  segments?: number;
  /** 'auto' (default): exact up to 12 segments, KernelSHAP above. */
  method?: ShapMethod | 'auto';
  /** KernelSHAP coalitions (default 2 S + 2048). */
  samples?: number;
  /** KernelSHAP sampler seed (default 1). */
  seed?: number;
  /** Windows per f call (default 512). */
  batchSize?: number;
}

export interface ShapExplanation {
  method: ShapMethod;
  segments: Segment[];
  /** Per segment, f units; sum = full - base. */
  values: Float64Array;
  /** Each segment's value spread evenly over its samples (window length). */
  perSample: Float32Array;
  /** f(background window). */
  base: number;
  /** f(the beat). */
  full: number;
  /** f evaluations made. */
  evaluations: number;
}

export const DEFAULT_SEGMENTS = 12;

/** The masking game of one window: a coalition keeps x in its segments, background elsewhere. */
export function maskingGame(f: WindowFunction, x: ArrayLike<number>, background: ArrayLike<number>, segments: readonly Segment[]): CoalitionGame {
  const length = x.length;
  return {
    players: segments.length,
    async value(coalitions, count) {
      const windows = new Float32Array(count * length);
      for (let r = 0; r < count; r++) {
        const w = windows.subarray(r * length, (r + 1) * length);
        w.set(background);
        segments.forEach((s, i) => { if (coalitions[r * segments.length + i] === 1) for (let t = s.start; t < s.end; t++) w[t] = x[t]; });
      }
      return f(windows, count);
    },
  };
}

export async function shapWindow(f: WindowFunction, x: ArrayLike<number>, background: ArrayLike<number>, options: ShapOptions = {}): Promise<ShapExplanation> {
  if (background.length !== x.length) throw new RangeError(`SHAP: background has ${background.length} samples, the window ${x.length}`);
  const count = options.segments ?? DEFAULT_SEGMENTS;
  const segments = timeSegments(x.length, count);
  const method: ShapMethod = options.method === undefined || options.method === 'auto'
    ? (count <= MAX_AUTO_EXACT_SEGMENTS ? 'exact' : 'kernel') : options.method;
  if (method !== 'exact' && method !== 'kernel') throw new RangeError(`SHAP: method must be 'auto', 'exact' or 'kernel', got ${JSON.stringify(method)}`);
  const game = maskingGame(f, x, background, segments);
  const batchSize = options.batchSize ?? 512;
  const r: ShapleyResult = method === 'exact'
    ? await shapleyExact(game, batchSize)
    : await kernelShap(game, { samples: options.samples, seed: options.seed, batchSize });
  return {
    method, segments, values: r.values, perSample: spreadOverSamples(r.values, segments, x.length),
    base: r.empty, full: r.full, evaluations: r.evaluations,
  };
}

/**
 * f over channel-0 windows for one beat of a loaded model: each window becomes
 * [window, the beat's template] with the beat's RR inputs; f = probability of
 * class `cls`.
 */
export function modelClassProbability(model: Model, input: ModelInput, cls: number): WindowFunction {
  const length = model.spec.before + model.spec.after;
  const classes = model.spec.classes.length;
  if (!(Number.isInteger(cls) && cls >= 0 && cls < classes)) throw new RangeError(`SHAP: class index must be 0..${classes - 1}, got ${cls}`);
  if (input.x.length !== 2 * length) throw new RangeError(`SHAP: model input of ${input.x.length} values, the model wants 2 x ${length}`);
  const template = input.x.subarray(length, 2 * length);
  const side = model.spec.sideInputNames.length;
  return async (windows, n) => {
    const x = new Float32Array(n * 2 * length);
    const rr = new Float32Array(n * side);
    for (let b = 0; b < n; b++) {
      x.set(windows.subarray(b * length, (b + 1) * length), b * 2 * length);
      x.set(template, b * 2 * length + length);
      rr.set(input.rr, b * side);
    }
    const { probabilities } = await model.run(x, rr, n);
    const out = new Float64Array(n);
    for (let b = 0; b < n; b++) out[b] = probabilities[b * classes + cls];
    return out;
  };
}

export interface BeatShapExplanation extends ShapExplanation {
  /** Explained class: index and label (the model's prediction for the beat unless given). */
  cls: number;
  label: string;
  /** The unmasked beat's softmax. */
  probabilities: Float32Array;
  background: string;
}

/** SHAP of one beat's predicted class (or `cls`) under a loaded model. */
export async function explainBeatShap(model: Model, input: ModelInput, background: Background,
  options: ShapOptions & { cls?: number } = {}): Promise<BeatShapExplanation> {
  const length = model.spec.before + model.spec.after;
  if (background.values.length !== length) throw new RangeError(`SHAP: background '${background.name}' has ${background.values.length} samples, the model window ${length}`);
  const { probabilities } = await model.run(input.x, input.rr, 1);
  const p = Float32Array.from(probabilities);
  let top = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[top]) top = k;
  const cls = options.cls ?? top;
  const f = modelClassProbability(model, input, cls);
  const e = await shapWindow(f, input.x.subarray(0, length), background.values, options);
  return { ...e, cls, label: model.spec.classes[cls], probabilities: p, background: background.name };
}
