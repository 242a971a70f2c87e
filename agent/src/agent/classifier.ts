/**
 * The classification seam: what the agent needs from a beat classifier, and
 * the stand-in used until a model is wired (every beat 'Q', not classified).
 * A model adapter implements BeatClassifier over its batched ONNX session.
 */
import type { Beat } from '../pipeline.ts';
import type { BeatLabel } from '../rhythm/types.ts';

export interface Classification {
  label: BeatLabel;
  /** Probabilities in model order, or null. */
  probs: number[] | null;
  /** Grad-CAM map of the predicted class over the window, when computed. */
  gradcam?: Float32Array;
}

export interface BeatClassifier {
  /** For the status message and logs, e.g. the model file's id. */
  readonly id: string;
  /** True when the labels come from a model (false for the stand-in). */
  readonly isModel: boolean;
  /**
   * Sees EVERY detected beat, in stream order, as it arrives (whether it will be
   * classified or not): a model's per-stream state (RR history, templates)
   * follows the whole stream. Returns what `classify` will need for this beat.
   */
  prepare?(beat: Beat): unknown;
  /** One result per beat, in order; `prepared[i]` is what prepare gave for beats[i]. Beats arrive only with quality 'good'. */
  classify(beats: readonly Beat[], prepared: readonly unknown[]): Promise<Classification[]>;
  close?(): Promise<void>;
}

/** The stand-in: labels every beat 'Q' (detected, not classified). */
export const noModelClassifier: BeatClassifier = {
  id: 'none',
  isModel: false,
  classify: (beats) => Promise.resolve(beats.map(() => ({ label: 'Q' as const, probs: null }))),
};
