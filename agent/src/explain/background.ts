/**
 * The SHAP background (reference input): what a segment becomes when it is
 * "absent", as values of model input channel 0 (the normalised beat, spec
 * normalisation), one per window sample. Two kinds:
 *   flat        all zeros: since channel 0 has its window mean removed, a flat
 *               line at the beat's own mean level (no waveform at all);
 *   class-mean  the mean channel-0 window of the DS1 training beats of one
 *               class, shipped beside the model card as
 *               <model>.background.json (build-background.ts makes it); a mean
 *               of thousands of beats, not any patient's data.
 * Only channel 0 is ever replaced: the template channel and the RR inputs keep
 * the explained beat's own values (shap.ts).
 * Limits: a class mean is averaged over DS1 patients, so for a patient with an
 * unusual axis or amplitude it is a poor "typical beat"; the flat baseline is
 * the neutral choice.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import type { ModelSpec } from '../model/spec.ts';

export interface Background {
  /** 'flat', or 'mean:<class>' for a class-mean beat. */
  name: string;
  /** Channel-0 values, window length. */
  values: Float32Array;
}

/** What build-background.ts writes next to a model card. */
export interface BackgroundFile {
  $comment?: string;
  /** sha256 of models/spec.json the means were built with (the input normalisation). */
  specSha256: string;
  /** Window samples per mean. */
  length: number;
  /** Records the beats came from (DS1). */
  records: string[];
  /** Beats averaged, per class. */
  beats: Record<string, number>;
  /** Per class: the mean channel-0 window. */
  classMeans: Record<string, number[]>;
  command?: string;
}

export function flatBackground(length: number): Background {
  return { name: 'flat', values: new Float32Array(length) };
}

export function backgroundPathOf(onnxPath: string): string {
  return onnxPath.replace(/(\.int8)?\.onnx$/, '') + '.background.json';
}

/** Parses a background file's text, checking it against the spec. */
export function parseBackgroundFile(text: string, path: string, spec: ModelSpec): BackgroundFile {
  let o: BackgroundFile;
  try {
    o = JSON.parse(text) as BackgroundFile;
  } catch (err) {
    throw new UsageError(`background ${path}: not valid JSON: ${(err as Error).message}`);
  }
  const length = spec.before + spec.after;
  if (o.specSha256 !== spec.sha256) {
    throw new UsageError(`background ${path}: built for a model spec with sha256 ${JSON.stringify(o.specSha256)}, but ${spec.path} has ${spec.sha256}; rebuild it (npx tsx agent/src/explain/build-background.ts)`);
  }
  if (o.length !== length) throw new UsageError(`background ${path}: length ${JSON.stringify(o.length)}, the spec's window has ${length} samples`);
  if (typeof o.classMeans !== 'object' || o.classMeans === null) throw new UsageError(`background ${path}: classMeans must be an object of class -> ${length} numbers`);
  for (const [cls, v] of Object.entries(o.classMeans)) {
    if (!spec.classes.includes(cls)) throw new UsageError(`background ${path}: classMeans.${cls} is not a class of the spec (${spec.classes.join(', ')})`);
    if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new UsageError(`background ${path}: classMeans.${cls} must be ${length} finite numbers`);
    }
  }
  return o;
}

/**
 * A background by name: 'flat', or 'mean:<class>' read from `path` (a
 * .background.json; backgroundPathOf(model path) for the shipped one).
 */
export function loadBackground(name: string, spec: ModelSpec, path?: string): Background {
  const length = spec.before + spec.after;
  if (name === 'flat') return flatBackground(length);
  const m = /^mean:(.+)$/.exec(name);
  if (m === null) throw new UsageError(`background '${name}': expected 'flat' or 'mean:<class>' with a class of ${spec.classes.join(', ')}`);
  if (path === undefined) throw new UsageError(`background '${name}': needs the model's .background.json`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`background ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); build it with npx tsx agent/src/explain/build-background.ts`);
  }
  const file = parseBackgroundFile(text, path, spec);
  const mean = file.classMeans[m[1]];
  if (mean === undefined) throw new UsageError(`background ${path}: no class-mean beat for '${m[1]}' (has ${Object.keys(file.classMeans).join(', ')})`);
  return { name, values: Float32Array.from(mean) };
}
