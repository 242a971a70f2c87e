/**
 * Finds and loads a model for the classify node: the configured file, or the
 * one shipped in the package (dist/models, the INT8 one when there is one),
 * with the spec.json beside it (else the shipped spec).
 *
 * A missing file is a ModelMissingError, which the nodes show as "model file
 * missing" rather than as a load failure.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BeatModel } from './model.ts';
import { loadSpec, type ModelSpec } from './spec.ts';

export class ModelMissingError extends Error {
  override name = 'ModelMissingError';
}

export interface LoadedModel {
  file: string;
  name: string;
  model: BeatModel;
  spec: ModelSpec;
}

/** The agent's default model (its config `model.path`), so a flow classifies as the gateway does. */
export const DEFAULT_MODEL_FILE = 'arrhythminet-v2.int8.onnx';

/** The shipped model in `dir`: DEFAULT_MODEL_FILE, else the first `*.int8.onnx` (the edge default), else the first `*.onnx`; null when none. */
export function shippedModel(dir: string): string | null {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.onnx')).sort() : [];
  const pick = files.find((f) => f === DEFAULT_MODEL_FILE) ?? files.find((f) => f.endsWith('.int8.onnx')) ?? files[0];
  return pick === undefined ? null : join(dir, pick);
}

/** `configured` empty: the shipped model; else a path, relative ones against `baseDir` (Node-RED's user directory). */
export function resolveModelPath(configured: string, baseDir: string, shippedDir: string): string | null {
  const path = configured.trim();
  return path === '' ? shippedModel(shippedDir) : resolve(baseDir, path);
}

export async function loadModel(file: string | null, shippedDir: string, missingHint: string): Promise<LoadedModel> {
  if (file === null || !existsSync(file)) {
    throw new ModelMissingError(`${missingHint}: ${file ?? `${shippedDir}/*.onnx (none shipped)`}`);
  }
  const beside = join(dirname(file), 'spec.json');
  const spec = loadSpec(existsSync(beside) ? beside : join(shippedDir, 'spec.json'));
  const model = await BeatModel.load(file);
  return { file, name: basename(file), model, spec };
}
