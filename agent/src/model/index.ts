/** Beat classification: model loading, model input, batching, Grad-CAM. */
export { loadModel, cardPathOf, type Model, type ModelCard, type LoadModelOptions } from './load.ts';
export { loadModelSpec, parseModelSpec, type ModelSpec } from './spec.ts';
export { ModelInputBuilder, type ModelInput } from './input-builder.ts';
export { Classifier, UNCLASSIFIABLE, DEFAULT_BATCH_SIZE, type Classification, type ClassifierOptions, type ClassifierItem, type ClassifyOutcome } from './classifier.ts';
export { classifyBeats, ClassifyGate, paced, type ClassifiedBeat, type ClassifiedRecord, type ClassifyBeatsOptions } from './classify-beats.ts';
export { gradcamMap, upsampleLinear } from './gradcam.ts';
