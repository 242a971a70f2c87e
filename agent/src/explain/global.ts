/**
 * Global explanations: per class, the mean beat and the mean attribution over
 * the window, from many beats of many records. Beats come from THE pipeline
 * (pipeline/record-beats.ts) and are grouped by their REFERENCE label (the
 * nearest .atr beat within 150 ms, explain/reference-label.ts); each beat's
 * attribution is that of its reference class, so a panel shows what the model
 * takes as evidence for the true class, and `correct` says how often the model
 * (classified as the agent does, model/classify-list.ts) agreed.
 *
 * Sampling: at most `perClass` beats per class, a seeded reservoir sample
 * (Vitter's algorithm R, mulberry32 seeded with `seed`) over the good-signal
 * beats in record order, so a run is reproducible and SHAP (2^S model runs per
 * beat) stays affordable. Averaging: Grad-CAM maps are each scaled to max 1
 * first (Grad-CAM's scale varies per beat; each beat counts once); SHAP values
 * are averaged as they are (probability units).
 */
import { basename } from 'node:path';
import { recordBeats } from '../pipeline/record-beats.ts';
import { classifyRecords } from '../model/classify-list.ts';
import { ModelInputBuilder, type ModelInput } from '../model/input-builder.ts';
import type { Model } from '../model/load.ts';
import { summariseGradCam, type GradCamSummary } from '../publish/explain-summary.ts';
import { mulberry32 } from '../sources/synthetic/prng.ts';
import { gradcamForClasses, shapForBeat, type Method, type ShapSettings } from './attribution.ts';
import { readReferenceLabels, referenceLabelAt } from './reference-label.ts';

export interface GlobalOptions {
  model: Model;
  method: Method;
  /** Record paths (without extension). */
  records: string[];
  perClass: number;
  seed: number;
  /** SHAP's background and segments (needed for method 'shap'). */
  shap?: ShapSettings;
  signal?: string;
  /** Told each record's name as it starts. */
  onRecord?: (name: string, index: number) => void;
}

interface Candidate { record: string; number: number; windowMv: Float32Array; input: ModelInput; rrPrevMs: number | null; predicted: string }

export interface ClassMean {
  class: string;
  /** Beats averaged, and good-signal beats of the class that were available. */
  beats: number;
  available: number;
  /** Of the averaged beats, how many the model labelled with this class. */
  correct: number;
  /** Averaged beats per record. */
  records: Record<string, number>;
  medianRrPrevMs: number | null;
  meanBeatMv: number[];
  meanAttribution: number[];
  /** Summary of the mean attribution (positive part), regions of the median RR. */
  summary: GradCamSummary | null;
}

export interface GlobalExplanation {
  method: Method;
  /** The model file's name and sha256 (its card's). */
  model: { name: string; sha256: string };
  records: string[];
  perClass: number;
  seed: number;
  /** SHAP only: the background and segment count. */
  shap?: { background: string; segments: number };
  fs: number;
  beforeSamples: number;
  classes: ClassMean[];
}

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); const h = s.length >> 1; return s.length === 0 ? null : s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2; };
const round = (x: number, d: number) => Number(x.toFixed(d));

export async function globalExplanation(o: GlobalOptions): Promise<GlobalExplanation> {
  const { spec } = o.model;
  const classes = spec.classes;
  const random = mulberry32(o.seed);
  const reservoirs = new Map(classes.map((c) => [c, [] as Candidate[]]));
  const seen = new Map(classes.map((c) => [c, 0]));
  for (const [ri, path] of o.records.entries()) {
    const name = basename(path);
    o.onRecord?.(name, ri);
    const { header, beats } = await recordBeats(path, { signal: o.signal });
    const ref = await readReferenceLabels(path, header.fs);
    if (ref === null) throw new Error(`record ${path}: no reference annotations (.atr) to group its beats by class`);
    const labels = await classifyRecords(o.model, beats);
    const builder = new ModelInputBuilder(spec);
    beats.forEach((b, i) => {
      const input = builder.nextBeat(b);
      const cls = referenceLabelAt(ref, b.sourceIndex);
      const out = labels[i];
      if (input === null || b.quality !== 'good' || cls === null || !reservoirs.has(cls) || out.kind !== 'beat') return;
      const n = seen.get(cls)!;
      seen.set(cls, n + 1);
      const r = reservoirs.get(cls)!;
      const c: Candidate = { record: name, number: i + 1, windowMv: b.window, input, rrPrevMs: b.rrPrevMs, predicted: out.label };
      if (n < o.perClass) r.push(c);
      else {
        const j = Math.floor(random() * (n + 1));
        if (j < o.perClass) r[j] = c;
      }
    });
  }
  const length = spec.before + spec.after;
  const geometry = { fs: spec.fs, before: spec.before, after: spec.after };
  const out: ClassMean[] = [];
  for (const [k, cls] of classes.entries()) {
    const picked = reservoirs.get(cls)!;
    const maps = o.method === 'gradcam'
      ? (await gradcamForClasses(o.model, picked.map((c) => c.input), picked.map(() => k))).map(scaledToMax)
      : await shapMaps(o, picked, k);
    const meanBeat = new Float64Array(length);
    const meanMap = new Float64Array(length);
    picked.forEach((c, i) => { for (let t = 0; t < length; t++) { meanBeat[t] += c.windowMv[t] / picked.length; meanMap[t] += maps[i][t] / picked.length; } });
    const rrs = picked.map((c) => c.rrPrevMs).filter((v): v is number => v !== null);
    const medianRr = median(rrs);
    const records: Record<string, number> = {};
    for (const c of picked) records[c.record] = (records[c.record] ?? 0) + 1;
    out.push({
      class: cls, beats: picked.length, available: seen.get(cls)!, correct: picked.filter((c) => c.predicted === cls).length, records,
      medianRrPrevMs: medianRr === null ? null : round(medianRr, 1),
      meanBeatMv: Array.from(meanBeat, (v) => round(v, 4)),
      meanAttribution: Array.from(meanMap, (v) => Number(v.toPrecision(5))),
      summary: picked.length === 0 ? null : summariseGradCam(meanMap, geometry, medianRr),
    });
  }
  return {
    method: o.method, model: { name: String(o.model.card.name), sha256: o.model.card.sha256 }, records: o.records.map((r) => basename(r)),
    perClass: o.perClass, seed: o.seed, ...(o.method === 'shap' && o.shap ? { shap: { background: o.shap.background.name, segments: o.shap.segments } } : {}), fs: spec.fs, beforeSamples: spec.before, classes: out,
  };
}

async function shapMaps(o: GlobalOptions, picked: readonly Candidate[], cls: number): Promise<Float32Array[]> {
  if (o.shap === undefined) throw new Error('explain --global: SHAP needs a background and a segment count');
  const out: Float32Array[] = [];
  for (const c of picked) out.push((await shapForBeat(o.model, c.input, cls, o.shap)).map);
  return out;
}

function scaledToMax(m: Float32Array): Float32Array {
  let top = 0;
  for (const v of m) if (v > top) top = v;
  return top > 0 ? m.map((v) => v / top) : m;
}
