/**
 * One beat's explanation, computed the way the live agent sees the beat: THE
 * pipeline over the record (pipeline/record-beats.ts) up to the chosen beat,
 * the beats up to it classified by the agent's classify operator (model/classify-list.ts;
 * the model input of a beat depends only on the beats before it), then the
 * attribution of the predicted class by the chosen method and its summary
 * (the `explain` topic's bins, peak offset and region shares, with the regions
 * of the beat's RR).
 */
import { basename } from 'node:path';
import { UsageError } from '../errors.ts';
import { recordBeats } from '../pipeline/record-beats.ts';
import { readHeader } from '../sources/wfdb/index.ts';
import type { Beat } from '../pipeline.ts';
import { classifyRecords } from '../model/classify-list.ts';
import { ModelInputBuilder, type ModelInput } from '../model/input-builder.ts';
import type { Model } from '../model/load.ts';
import { summariseGradCam, type GradCamSummary } from '../publish/explain-summary.ts';
import { METHOD_NAMES, shapForBeat, type Method, type ShapDetail, type ShapSettings } from './attribution.ts';
import { formatTimeS, selectBeat, type BeatSelector } from './beat-select.ts';
import { readReferenceLabels, referenceLabelAt } from './reference-label.ts';

export interface BeatExplanation {
  record: string;
  beat: {
    /** 1 = the first detected beat. */
    number: number;
    /** R peak at the model rate fs, and at the record's own rate. */
    sample: number;
    sourceSample: number;
    sourceFs: number;
    timeS: number;
    time: string;
    rrPrevMs: number | null;
    rrLocalMs: number | null;
    /** The record's reference label of this beat (nearest .atr beat within 150 ms), or null. */
    reference: string | null;
  };
  /** The model file's name and sha256 (its card's). */
  model: { name: string; sha256: string };
  label: string;
  probabilities: Record<string, number>;
  method: Method;
  /** The class whose evidence the attribution shows: the predicted one. */
  explainedClass: string;
  fs: number;
  beforeSamples: number;
  /** The conditioned window the model saw, mV (R at beforeSamples). */
  windowMv: number[];
  /** One value per window sample: Grad-CAM (>= 0) or SHAP (signed, probability units). */
  attribution: number[];
  summary: GradCamSummary;
  /** SHAP only: background, segments and their values, f of the background and of the beat. */
  shap?: ShapDetail;
}

export interface ExplainBeatOptions {
  model: Model;
  method: Method;
  selector: BeatSelector;
  /** SHAP's background and segments (needed for method 'shap'). */
  shap?: ShapSettings;
  signal?: string;
  mainsHz?: 50 | 60 | null;
}

const round = (x: number, d: number) => Number(x.toFixed(d));

export async function explainBeat(record: string, o: ExplainBeatOptions): Promise<BeatExplanation> {
  const what = `record ${basename(record)}`;
  const head = await readHeader(record);
  const durationS = (head.nsamp ?? 0) / head.fs;
  // Checked before the pipeline runs; the pipeline stops at the beat it needs (it is causal: the beats before are the same).
  if ('timeS' in o.selector) selectBeat([o.selector.timeS], o.selector, durationS, what);
  const sel = o.selector;
  let seen = 0;
  const { header, beats } = await recordBeats(record, {
    signal: o.signal, mainsHz: o.mainsHz ?? null,
    stopAfter: (b) => ('beat' in sel ? ++seen >= sel.beat : b.index / b.fs > sel.timeS),
  });
  const fs = o.model.spec.fs;
  const k = selectBeat(beats.map((b) => b.index / b.fs), o.selector, durationS, what);
  const beat = beats[k];
  const when = formatTimeS(beat.index / beat.fs);
  if (beat.quality !== 'good') {
    const why = beat.quality === 'edge' ? 'its window runs past the start or end of the record' : `its signal is ${beat.quality}`;
    const near = [k, k + 2].filter((n) => n >= 1).map((n) => `--beat ${n}`).join(' or ');
    throw new UsageError(`beat ${k + 1} (at ${when}) of ${what}: ${why}, so the agent does not classify it and there is nothing to explain; try ${near}`);
  }
  const upTo = beats.slice(0, k + 1);
  const classified = (await classifyRecords(o.model, upTo, { gradcam: true }))[k];
  if (classified.kind !== 'beat' || classified.probabilities === null) throw new Error(`beat ${k + 1}: the classifier returned no probabilities (${classified.kind === 'beat' ? classified.outcome : classified.kind})`);
  const classes = o.model.spec.classes;
  let attribution = classified.gradcam!;
  let shap: ShapDetail | undefined;
  if (o.method === 'shap') {
    if (o.shap === undefined) throw new Error('explain: SHAP needs a background and a segment count');
    ({ map: attribution, detail: shap } = await shapForBeat(o.model, inputOf(o.model, upTo), classified.top, o.shap));
  }
  const ref = await readReferenceLabels(record, header.fs);
  const geometry = { fs, before: o.model.spec.before, after: o.model.spec.after };
  return {
    record: basename(record),
    beat: {
      number: k + 1, sample: beat.index, sourceSample: beat.sourceIndex, sourceFs: beat.sourceFs,
      timeS: round(beat.index / beat.fs, 3), time: when,
      rrPrevMs: beat.rrPrevMs === null ? null : round(beat.rrPrevMs, 1), rrLocalMs: beat.rrLocalMs === null ? null : round(beat.rrLocalMs, 1),
      reference: ref === null ? null : referenceLabelAt(ref, beat.sourceIndex),
    },
    model: { name: String(o.model.card.name), sha256: o.model.card.sha256 },
    label: classified.label,
    probabilities: Object.fromEntries(classes.map((c, i) => [c, round(classified.probabilities![i], 4)])),
    method: o.method,
    explainedClass: classes[classified.top],
    fs, beforeSamples: o.model.spec.before,
    windowMv: Array.from(beat.window, (v) => round(v, 4)),
    attribution: Array.from(attribution, (v) => Number(v.toPrecision(5))),
    summary: summariseGradCam(attribution, geometry, beat.rrPrevMs),
    ...(shap === undefined ? {} : { shap }),
  };
}

/** The model input of the last of `beats` (the stream's beats from its start), as classifyBeats builds it. */
function inputOf(model: Model, beats: readonly Beat[]): ModelInput {
  const builder = new ModelInputBuilder(model.spec);
  let input: ModelInput | null = null;
  for (const b of beats) input = builder.nextBeat(b);
  if (input === null) throw new Error('explain: the chosen beat has no model input');
  return input;
}

export const methodName = (m: Method) => METHOD_NAMES[m];
