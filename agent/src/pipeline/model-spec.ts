/**
 * The part of models/spec.json the signal path needs: the model rate, the
 * conditioning filter and the window geometry. Read and checked here so a bad
 * spec fails once, naming the file and the field.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PipelineSpec {
  /** Model sampling rate, Hz. */
  fs: number;
  /** Conditioning filter, second-order sections [b0 b1 b2 a0 a1 a2]. */
  sos: number[][];
  /** Window samples before R and from R on. */
  before: number;
  after: number;
  /** Where windows are cut (spec window.align): the largest |conditioned[r + delay]| within ±radius of the R mark; radius 0 = at the mark. */
  align: WindowAlign;
}

export interface WindowAlign {
  radius: number;
  delay: number;
}

export const defaultSpecPath = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models', 'spec.json');

/** Checks the parsed spec; `file` names it in errors. */
export function parsePipelineSpec(json: unknown, file = 'spec'): PipelineSpec {
  const fail = (field: string, what: string): never => { throw new Error(`${file}: ${field} ${what}`); };
  const o = json as Record<string, any>;
  if (typeof o !== 'object' || o === null) fail('(root)', 'must be a JSON object');
  const fs = o.sampleRateHz;
  if (!(Number.isInteger(fs) && fs > 0)) fail('sampleRateHz', `must be a positive integer (Hz), got ${JSON.stringify(fs)}`);
  const sos = o.conditioning?.sos;
  if (!Array.isArray(sos) || sos.length === 0) fail('conditioning.sos', 'must be a non-empty array of sections');
  sos.forEach((s: unknown, i: number) => {
    if (!Array.isArray(s) || s.length !== 6 || !s.every((v) => typeof v === 'number' && Number.isFinite(v)) || s[3] === 0) {
      fail(`conditioning.sos[${i}]`, 'must be 6 finite numbers [b0 b1 b2 a0 a1 a2] with a0 != 0');
    }
  });
  const before = o.window?.before;
  const after = o.window?.after;
  if (!(Number.isInteger(before) && before >= 0)) fail('window.before', `must be an integer >= 0, got ${JSON.stringify(before)}`);
  if (!(Number.isInteger(after) && after > 0)) fail('window.after', `must be an integer > 0, got ${JSON.stringify(after)}`);
  // Absent: windows at the R mark itself (specs before window.align).
  const align = o.window?.align ?? { radius: 0, delay: 0 };
  for (const k of ['radius', 'delay'] as const) {
    if (!(Number.isInteger(align[k]) && align[k] >= 0)) fail(`window.align.${k}`, `must be an integer >= 0 (samples), got ${JSON.stringify(align[k])}`);
  }
  if (align.radius + align.delay >= after) fail('window.align', `radius + delay must be below window.after (${after}), got ${align.radius} + ${align.delay}`);
  return { fs, sos, before, after, align: { radius: align.radius, delay: align.delay } };
}

export function loadPipelineSpec(path = defaultSpecPath): PipelineSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read model spec ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  return parsePipelineSpec(json, path);
}
