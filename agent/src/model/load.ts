/**
 * Loads a shipped model: the .onnx, its .card.json beside it, and the model
 * input spec. Refuses (UsageError, so the CLI exits 2) a model whose bytes do
 * not match its card's sha256 (changed or corrupt file), whose card was made for
 * another spec (different models/spec.json sha256), or that onnxruntime cannot
 * load or that lacks the documented inputs and outputs. The session runs on one
 * thread with every graph optimisation on (an edge gateway shares its cores).
 * Reference: models/README.md (model interface), models/training/export.py.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { UsageError } from '../errors.ts';
import { loadModelSpec, type ModelSpec } from './spec.ts';

/** The fields of a .card.json this agent relies on. */
export interface ModelCard {
  name: string;
  sha256: string;
  bytes: number;
  specSha256: string;
  parameters?: number;
  macsPerBeat?: number;
  protocol?: 'inter' | 'paper';
  trainingRecords?: string[];
  testRecords?: string[] | string;
  metrics?: { n: number; accuracy: number; macroF1?: number } | null;
  [k: string]: unknown;
}

export interface ModelOutputs {
  /** [n, classes] softmax. */
  probabilities: Float32Array;
  /** [n, featureChannels, featureSteps] last block activations; only when asked. */
  features?: Float32Array;
}

export interface Model {
  path: string;
  card: ModelCard;
  spec: ModelSpec;
  /** Last block channels and time steps (Grad-CAM). */
  featureChannels: number;
  featureSteps: number;
  /** [classes, featureChannels]: d logit[c] / d features[k, t] (the head is linear after pooling). */
  gradcamAlpha: Float32Array;
  /** Runs n beats: x [n, 2, length], rr [n, spec.sideInputNames.length]. */
  run(x: Float32Array, rr: Float32Array, n: number, withFeatures?: boolean): Promise<ModelOutputs>;
  release(): Promise<void>;
}

export interface LoadModelOptions {
  /** The spec to check the card against; default models/spec.json. */
  spec?: ModelSpec;
}

export function cardPathOf(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/, '') + '.card.json';
}

function readCard(path: string): ModelCard {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`model card ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); every model needs its .card.json beside the .onnx`);
  }
  let card: ModelCard;
  try {
    card = JSON.parse(text) as ModelCard;
  } catch (err) {
    throw new UsageError(`model card ${path}: not valid JSON: ${(err as Error).message}`);
  }
  for (const field of ['sha256', 'specSha256'] as const) {
    if (typeof card[field] !== 'string' || !/^[0-9a-f]{64}$/.test(card[field])) {
      throw new UsageError(`model card ${path}: ${field} must be a 64-digit hex sha256, got ${JSON.stringify(card[field])}`);
    }
  }
  return card;
}

export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<Model> {
  if (!path.endsWith('.onnx')) throw new UsageError(`model ${path}: expected an .onnx file`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UsageError(`model ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const cardPath = cardPathOf(path);
  const card = readCard(cardPath);
  const spec = options.spec ?? loadModelSpec();
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== card.sha256) {
    throw new UsageError(`model ${path}: sha256 ${sha} (${bytes.length} bytes) differs from its card ${cardPath}, which expects ${card.sha256}` +
      `${typeof card.bytes === 'number' ? ` (${card.bytes} bytes)` : ''}: the file is corrupt or was changed without re-exporting its card`);
  }
  if (card.specSha256 !== spec.sha256) {
    throw new UsageError(`model ${path}: its card ${cardPath} was made for a model spec with sha256 ${card.specSha256}, but ${spec.path} has sha256 ${spec.sha256}: ` +
      'the model expects another input (window, normalisation or side inputs); use a model exported with this spec, or retrain');
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential',
    });
  } catch (err) {
    throw new UsageError(`model ${path}: onnxruntime cannot load it: ${(err as Error).message.split('\n')[0]}`);
  }
  const missing = [...['window', 'rr'].filter((n) => !session.inputNames.includes(n)).map((n) => `input '${n}'`),
    ...['probabilities', 'features', 'gradcamAlpha'].filter((n) => !session.outputNames.includes(n)).map((n) => `output '${n}'`)];
  if (missing.length > 0) {
    await session.release();
    throw new UsageError(`model ${path}: lacks ${missing.join(', ')} (has inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}); see models/README.md`);
  }
  const length = spec.before + spec.after;
  const side = spec.sideInputNames.length;
  const feed = (x: Float32Array, rr: Float32Array, n: number) => ({
    window: new ort.Tensor('float32', x, [n, 2, length]),
    rr: new ort.Tensor('float32', rr, [n, side]),
  });
  // One dummy beat gives the constant alpha and the feature shape.
  let probe: ort.InferenceSession.ReturnType;
  try {
    probe = await session.run(feed(new Float32Array(2 * length), new Float32Array(side).fill(1), 1), ['probabilities', 'features', 'gradcamAlpha']);
  } catch (err) {
    await session.release();
    throw new UsageError(`model ${path}: does not run on the input ${spec.path} describes ([n, 2, ${length}], [n, ${side}]): ${(err as Error).message.split('\n')[0]}`);
  }
  const [, featureChannels, featureSteps] = probe.features.dims.map(Number);
  const classes = spec.classes.length;
  if (probe.probabilities.dims[1] !== classes || probe.gradcamAlpha.dims[0] !== classes || probe.gradcamAlpha.dims[1] !== featureChannels) {
    await session.release();
    throw new UsageError(`model ${path}: outputs probabilities ${JSON.stringify(probe.probabilities.dims)}, gradcamAlpha ${JSON.stringify(probe.gradcamAlpha.dims)}, features ${JSON.stringify(probe.features.dims)} do not fit ${classes} classes (${spec.path})`);
  }
  const gradcamAlpha = Float32Array.from(probe.gradcamAlpha.data as Float32Array);
  return {
    path, card, spec, featureChannels, featureSteps, gradcamAlpha,
    async run(x, rr, n, withFeatures = false) {
      const out = await session.run(feed(x, rr, n), withFeatures ? ['probabilities', 'features'] : ['probabilities']);
      return {
        probabilities: out.probabilities.data as Float32Array,
        features: withFeatures ? out.features.data as Float32Array : undefined,
      };
    },
    release: () => session.release(),
  };
}
