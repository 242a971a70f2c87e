/** Explanations of beat classifications: SHAP over time segments, backgrounds, deletion metrics. */
export { timeSegments, segmentTimesMs, spreadOverSamples, type Segment } from './segments.ts';
export type { CoalitionGame, ShapleyResult } from './game.ts';
export { shapleyExact, shapleyWeights, MAX_EXACT_PLAYERS } from './shapley-exact.ts';
export { kernelShap, kernelCoalitions, type KernelShapOptions } from './kernel-shap.ts';
export { flatBackground, loadBackground, backgroundPathOf, parseBackgroundFile, type Background, type BackgroundFile } from './background.ts';
export {
  shapWindow, explainBeatShap, modelClassProbability, maskingGame, DEFAULT_SEGMENTS, MAX_AUTO_EXACT_SEGMENTS,
  type WindowFunction, type ShapOptions, type ShapExplanation, type BeatShapExplanation, type ShapMethod,
} from './shap.ts';
export {
  deletionDrop, deletionCurve, rankByAttribution, randomOrder, replaceSamples,
  type DeletionDrop, type DeletionDropOptions, type DeletionCurve,
} from './deletion.ts';
export {
  spearman, evenlySpacedBeats, predictedClasses, gradcamMaps, shapMaps, randomisationSummary, deletionSummary,
  type SanityBeat, type MapMethod, type RandomisationSummary, type DeletionSummary,
} from './sanity.ts';
export { randomisedModelCopy } from './randomised-model.ts';
