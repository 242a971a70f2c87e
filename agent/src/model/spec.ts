/**
 * The model-input part of models/spec.json (beyond what the signal path reads
 * in pipeline/model-spec.ts): class order, amplitude normalisation, running
 * template and RR side inputs, plus the file's sha256 that model cards record.
 * Checked once here so a bad spec fails naming the file and the field.
 * Reference: models/spec.json descriptions; models/training/data.py.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.ts';
import { defaultSpecPath, parsePipelineSpec, type PipelineSpec } from '../pipeline/model-spec.ts';
import { DEFAULT_IRREGULARITY_COUNT } from '../../../nodes/src/classify/model-input.ts';

export interface ModelSpec extends PipelineSpec {
  /** Output classes in model order, e.g. N L R A V. */
  classes: string[];
  /** Beats (this one included) whose median peak-to-peak is the amplitude scale. */
  scaleHistoryBeats: number;
  /** Floor of the amplitude scale, mV. */
  minScaleMv: number;
  /** Earlier beats whose per-sample median is the template channel. */
  templateHistoryBeats: number;
  /** Intervals in the local mean RR. */
  rrLocalCount: number;
  /** Intervals in the median RR that rrMedianRatio divides by (localCount when the spec has no rrMedianRatio). */
  rrMedianCount: number;
  /** Intervals before rrPrevS whose spread is rrIrregularity (spec sideInputs.irregularityCount; 16 when absent). */
  rrIrregularityCount: number;
  /** The rr tensor's features in order (spec sideInputs.names), each one of SIDE_INPUT_NAMES. */
  sideInputNames: SideInputName[];
  /** rrPrevS of the first beat of a stream, s. */
  defaultRrS: number;
  /** sha256 (hex) of the spec file's bytes, as cards record it. */
  sha256: string;
  /** Where it was read from. */
  path: string;
}

/** The side inputs this agent can compute (nodes/src/classify/model-input.ts RrHistory). */
export const SIDE_INPUT_NAMES = ['rrPrevS', 'rrLocalS', 'rrRatio', 'rrMedianRatio', 'rrIrregularity'] as const;
export type SideInputName = typeof SIDE_INPUT_NAMES[number];

export function parseModelSpec(bytes: Buffer, path: string): ModelSpec {
  let o: Record<string, any>;
  try {
    o = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not valid JSON: ${(err as Error).message}`);
  }
  let base: PipelineSpec;
  try {
    base = parsePipelineSpec(o, path);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const fail = (field: string, what: string, got: unknown): never => {
    throw new UsageError(`${path}: ${field} ${what}, got ${JSON.stringify(got)}`);
  };
  const posInt = (v: unknown, field: string): number => (Number.isInteger(v) && (v as number) > 0 ? v as number : fail(field, 'must be a positive integer', v));
  const posNum = (v: unknown, field: string): number => (typeof v === 'number' && v > 0 ? v : fail(field, 'must be a positive number', v));
  const classes = o.classes;
  if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string' && c.length === 1)) {
    fail('classes', 'must be a non-empty array of one-letter beat labels', classes);
  }
  if (o.template?.channel !== 1) fail('template.channel', 'must be 1 (this agent builds [beat, template])', o.template?.channel);
  const names = o.sideInputs?.names;
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => (SIDE_INPUT_NAMES as readonly unknown[]).includes(n))) {
    fail('sideInputs.names', `must be a non-empty list of ${SIDE_INPUT_NAMES.join(', ')} (the features this agent computes)`, names);
  }
  const rrLocalCount = posInt(o.sideInputs?.localCount, 'sideInputs.localCount');
  const irregularityCount: unknown = o.sideInputs?.irregularityCount ?? DEFAULT_IRREGULARITY_COUNT;
  if (!(Number.isInteger(irregularityCount) && (irregularityCount as number) >= 2)) {
    fail('sideInputs.irregularityCount', `must be an integer >= 2 (or absent: ${DEFAULT_IRREGULARITY_COUNT})`, irregularityCount);
  }
  return {
    ...base,
    classes,
    scaleHistoryBeats: posInt(o.normalisation?.historyBeats, 'normalisation.historyBeats'),
    minScaleMv: posNum(o.normalisation?.minScaleMv, 'normalisation.minScaleMv'),
    templateHistoryBeats: posInt(o.template?.historyBeats, 'template.historyBeats'),
    rrLocalCount,
    rrMedianCount: names.includes('rrMedianRatio') ? posInt(o.sideInputs?.medianCount, 'sideInputs.medianCount') : rrLocalCount,
    rrIrregularityCount: irregularityCount as number,
    sideInputNames: names,
    defaultRrS: posNum(o.sideInputs?.defaultRrS, 'sideInputs.defaultRrS'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    path,
  };
}

export function loadModelSpec(path = defaultSpecPath): ModelSpec {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read model spec ${path}: ${(err as Error).message}`);
  }
  return parseModelSpec(bytes, path);
}
