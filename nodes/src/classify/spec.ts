/**
 * The parts of models/spec.json the classify node needs: window geometry,
 * class order, and, when the spec has them, the amplitude normalisation and the
 * RR side input (DESIGN.md section 5). Errors name the file and the field.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_IRREGULARITY_COUNT } from './model-input.ts';

/** The RR features this node can compute (model-input.ts RrHistory). */
export const SIDE_INPUT_NAMES = ['rrPrevS', 'rrLocalS', 'rrRatio', 'rrMedianRatio', 'rrIrregularity'];

export interface ModelSpec {
  sampleRateHz: number;
  before: number;
  after: number;
  classes: string[];
  /** Per-stream amplitude normalisation: x = (w - mean(w)) / scaleMv. Absent: the window goes in as it is. */
  normalisation?: { historyBeats: number; minScaleMv: number; tensor: string };
  /** Channels of the window tensor (normalisation.shape[1]); 1 when the spec does not say. */
  channels: number;
  /** Channel `channel` of the window tensor: the stream's running template (median of earlier windows). */
  template?: { historyBeats: number; channel: number };
  /** RR side input: names from SIDE_INPUT_NAMES in tensor order; localCount and medianCount for the stream's RR history. */
  sideInputs?: { tensor: string; names: string[]; defaultRrS: number; localCount: number; medianCount: number; irregularityCount?: number };
}

export function parseSpec(json: unknown, file: string): ModelSpec {
  const s = json as Record<string, any>;
  const fail = (field: string, want: string): never => {
    throw new Error(`${file}: ${field} is ${JSON.stringify(field.split('.').reduce((o, k) => o?.[k], s))}; expected ${want}`);
  };
  const posInt = (v: unknown) => Number.isInteger(v) && (v as number) > 0;
  if (!(typeof s?.sampleRateHz === 'number' && s.sampleRateHz > 0)) fail('sampleRateHz', 'a positive number');
  if (!posInt(s.window?.before)) fail('window.before', 'a positive integer');
  if (!posInt(s.window?.after)) fail('window.after', 'a positive integer');
  if (!Array.isArray(s.classes) || s.classes.length === 0 || !s.classes.every((c: unknown) => typeof c === 'string')) {
    fail('classes', 'a list of class names');
  }
  const spec: ModelSpec = { sampleRateHz: s.sampleRateHz, before: s.window.before, after: s.window.after, classes: s.classes, channels: 1 };
  if (s.normalisation !== undefined) {
    const n = s.normalisation;
    if (!posInt(n.historyBeats)) fail('normalisation.historyBeats', 'a positive integer');
    if (!(typeof n.minScaleMv === 'number' && n.minScaleMv > 0)) fail('normalisation.minScaleMv', 'a positive number');
    spec.normalisation = { historyBeats: n.historyBeats, minScaleMv: n.minScaleMv, tensor: typeof n.tensor === 'string' ? n.tensor : 'window' };
    if (Array.isArray(n.shape)) {
      if (!posInt(n.shape[1])) fail('normalisation.shape', '[batch, channels, length] with channels a positive integer');
      spec.channels = n.shape[1];
    }
  }
  if (s.template !== undefined) {
    const tp = s.template;
    if (!posInt(tp.historyBeats)) fail('template.historyBeats', 'a positive integer');
    if (!Number.isInteger(tp.channel) || tp.channel < 1 || tp.channel >= spec.channels) {
      fail('template.channel', `a channel index from 1 to ${spec.channels - 1} (normalisation.shape says ${spec.channels} channels)`);
    }
    if (!spec.normalisation) fail('normalisation', 'present when the spec has a template (the template is scaled by it)');
    spec.template = { historyBeats: tp.historyBeats, channel: tp.channel };
  }
  if (spec.channels > 1 && !spec.template) fail('template', `present: normalisation.shape has ${spec.channels} channels`);
  if (s.sideInputs !== undefined) {
    const r = s.sideInputs;
    if (!Array.isArray(r.names) || r.names.length === 0 || !r.names.every((n: unknown) => SIDE_INPUT_NAMES.includes(n as string))) {
      fail('sideInputs.names', `a list of ${SIDE_INPUT_NAMES.join(', ')}`);
    }
    if (!(typeof r.defaultRrS === 'number' && r.defaultRrS > 0)) fail('sideInputs.defaultRrS', 'a positive number');
    // Older specs name no counts: 10 was the local mean's length before medianCount existed.
    const localCount = r.localCount ?? 10;
    if (!posInt(localCount)) fail('sideInputs.localCount', 'a positive integer');
    const medianCount = r.medianCount ?? (r.names.includes('rrMedianRatio') ? undefined : localCount);
    if (!posInt(medianCount)) fail('sideInputs.medianCount', 'a positive integer (the spec names rrMedianRatio)');
    const irregularityCount = r.irregularityCount ?? DEFAULT_IRREGULARITY_COUNT;
    if (!posInt(irregularityCount) || irregularityCount < 2) fail('sideInputs.irregularityCount', `an integer >= 2, or absent (${DEFAULT_IRREGULARITY_COUNT})`);
    spec.sideInputs = { tensor: typeof r.tensor === 'string' ? r.tensor : 'rr', names: r.names, defaultRrS: r.defaultRrS, localCount, medianCount, irregularityCount };
  }
  return spec;
}

export function loadSpec(file: string): ModelSpec {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the model spec ${file}: ${(err as Error).message}`);
  }
  return parseSpec(json, file);
}
