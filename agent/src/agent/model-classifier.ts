/**
 * The model behind the agent's classifier seam: loads the ONNX model and its
 * card (agent/src/model), builds each beat's input in stream order (`prepare`
 * sees every detected beat: the RR features and template need them all), and
 * classifies in batches; beats whose top probability is under
 * `model.minConfidence` are Q. Grad-CAM maps are computed when
 * `model.gradcam` is not 'off'.
 */
import type { AgentConfig } from '../config/types.ts';
import { Classifier, loadModel, ModelInputBuilder, type Model, type ModelInput } from '../model/index.ts';
import type { Beat } from '../pipeline.ts';
import type { BeatLabel } from '../rhythm/types.ts';
import type { BeatClassifier, Classification } from './classifier.ts';

export async function modelClassifier(config: AgentConfig['model']): Promise<BeatClassifier> {
  const model = await loadModel(config.path);
  return { ...classifierOverModel(model, config), close: () => model.release() };
}

/**
 * A classifier with fresh per-stream state over an already loaded model (the
 * bench replays many records on one session); `close` leaves the model loaded.
 */
export function classifierOverModel(model: Model, config: AgentConfig['model']): BeatClassifier {
  const classifier = new Classifier(model, { batchSize: config.batchSize, minConfidence: config.minConfidence, gradcam: config.gradcam !== 'off' });
  const builder = new ModelInputBuilder(model.spec);
  return {
    id: String(model.card.name),
    isModel: true,
    prepare: (b: Beat) => builder.nextBeat(b),
    async classify(beats, prepared) {
      const out = await classifier.classify(beats.map((b, i) => ({ input: prepared[i] as ModelInput | null, quality: b.quality })));
      return out.map((c): Classification => {
        // A Q (abstained, low confidence) carries no probabilities on the wire (beat schema).
        const r: Classification = { label: c.label as BeatLabel, probs: c.probabilities && c.label !== 'Q' ? Array.from(c.probabilities) : null };
        if (c.gradcam) r.gradcam = c.gradcam;
        return r;
      });
    },
  };
}
