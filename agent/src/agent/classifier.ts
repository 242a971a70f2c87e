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
}

export interface BeatClassifier {
  /** For the status message and logs, e.g. the model file's id. */
  readonly id: string;
  /** True when the labels come from a model (false for the stand-in). */
  readonly isModel: boolean;
  /** One result per beat, in order. Beats arrive only with quality 'good'. */
  classify(beats: readonly Beat[]): Promise<Classification[]>;
  close?(): Promise<void>;
}

/** The stand-in: labels every beat 'Q' (detected, not classified). */
export const noModelClassifier: BeatClassifier = {
  id: 'none',
  isModel: false,
  classify: (beats) => Promise.resolve(beats.map(() => ({ label: 'Q' as const, probs: null }))),
};
