/**
 * Batched beat classification with abstention: runs the model's inputs in
 * batches of `batchSize` through onnxruntime (one batch at a time, in order),
 * labels each beat with its most probable class, or 'Q' (unclassifiable) when
 * the top probability is below `minConfidence`, when the beat's signal quality
 * is not 'good' (never run: bad signal is reported, not guessed at), or when it
 * has no model input (window cut by the stream edge). Optionally the Grad-CAM
 * map of the predicted class (gradcam.ts).
 * Limits: results are identical for any batch size up to float rounding of the
 * runtime's kernels (test/model/classifier.test.ts).
 */
import type { Model } from './load.ts';
import type { ModelInput } from './input-builder.ts';
import { gradcamMap } from './gradcam.ts';

export const UNCLASSIFIABLE = 'Q';

export interface ClassifierOptions {
  /** Beats per onnxruntime call (default 64). */
  batchSize?: number;
  /** Top probability below which the beat is labelled 'Q' (default 0: never abstain). */
  minConfidence?: number;
  /** Compute the Grad-CAM map of the predicted class (default false). */
  gradcam?: boolean;
}

export type ClassifyOutcome = 'classified' | 'low-confidence' | 'bad-signal' | 'no-window' | 'overload';

export interface Classification {
  /** A class of the spec, or 'Q'. */
  label: string;
  outcome: ClassifyOutcome;
  /** Softmax in spec class order; null when the model was not run. */
  probabilities: Float32Array | null;
  /** Index of the most probable class; -1 when not run. */
  top: number;
  /** Grad-CAM of class `top` over the window, when asked and run. */
  gradcam?: Float32Array;
}

export interface ClassifierItem {
  input: ModelInput | null;
  /** Signal quality of the beat: only 'good' beats are run. */
  quality: string;
}

export const DEFAULT_BATCH_SIZE = 64;

export function checkClassifierOptions(o: ClassifierOptions): Required<ClassifierOptions> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`classifier: batchSize must be an integer >= 1, got ${batchSize}`);
  const minConfidence = o.minConfidence ?? 0;
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new RangeError(`classifier: minConfidence must be in [0, 1], got ${minConfidence}`);
  return { batchSize, minConfidence, gradcam: o.gradcam ?? false };
}

export class Classifier {
  readonly options: Required<ClassifierOptions>;
  private readonly length: number;

  constructor(readonly model: Model, options: ClassifierOptions = {}) {
    this.options = checkClassifierOptions(options);
    this.length = model.spec.before + model.spec.after;
  }

  /** Classifies `items` in order; batches of options.batchSize. */
  async classify(items: readonly ClassifierItem[]): Promise<Classification[]> {
    const out: Classification[] = items.map((it) => (it.quality !== 'good'
      ? skipped('bad-signal') : it.input === null ? skipped('no-window') : skipped('classified')));
    const run = items.map((it, i) => (out[i].outcome === 'classified' ? i : -1)).filter((i) => i >= 0);
    for (let from = 0; from < run.length; from += this.options.batchSize) {
      const idx = run.slice(from, from + this.options.batchSize);
      await this.runBatch(idx.map((i) => items[i].input!), idx.map((i) => out[i]));
    }
    return out;
  }

  private async runBatch(inputs: ModelInput[], into: Classification[]): Promise<void> {
    const n = inputs.length;
    const per = 2 * this.length;
    const x = new Float32Array(n * per);
    const side = this.model.spec.sideInputNames.length;
    const rr = new Float32Array(n * side);
    inputs.forEach((inp, b) => { x.set(inp.x, b * per); rr.set(inp.rr, b * side); });
    const { probabilities, features } = await this.model.run(x, rr, n, this.options.gradcam);
    const classes = this.model.spec.classes;
    const c = classes.length;
    const { featureChannels: fc, featureSteps: fs } = this.model;
    for (let b = 0; b < n; b++) {
      const p = probabilities.slice(b * c, (b + 1) * c);
      let top = 0;
      for (let k = 1; k < c; k++) if (p[k] > p[top]) top = k;
      const r = into[b];
      r.probabilities = p;
      r.top = top;
      if (p[top] < this.options.minConfidence) { r.label = UNCLASSIFIABLE; r.outcome = 'low-confidence'; } else r.label = classes[top];
      if (features) r.gradcam = gradcamMap(features.subarray(b * fc * fs, (b + 1) * fc * fs), this.model.gradcamAlpha, top, fc, fs, this.length);
    }
  }
}

function skipped(outcome: ClassifyOutcome): Classification {
  return { label: UNCLASSIFIABLE, outcome, probabilities: null, top: -1 };
}
