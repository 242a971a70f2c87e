/**
 * onnxruntime-node speed of each shipped model (models/*.onnx, float and
 * int8) through the model layer's Classifier: beats/s at batch 1 and at batch
 * 64, the Grad-CAM overhead (batch 64 with and without the map), and the
 * latency of one beat alone (one classify call per beat, as the agent runs
 * when beats arrive one by one), with and without Grad-CAM. Inputs are
 * generated ECG-like windows (the speed does not depend on the values).
 * Each throughput figure is the best of `repeats` timings: on a shared
 * machine the slower ones measure the other tenants. Latency percentiles keep
 * every call, so they include that noise.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Classifier, loadModel, ModelInputBuilder, type ClassifierItem, type Model } from '../model/index.ts';
import { summarizeLatency, type LatencySummary } from './percentiles.ts';

export interface ModelSpeed {
  model: string;
  /** Multiply-accumulates per beat, from the model's card (training's count). */
  macsPerBeat: number | null;
  beatsPerSBatch1: number;
  beatsPerSBatch64: number;
  beatsPerSBatch64Gradcam: number;
  /** Extra time per beat for Grad-CAM at batch 64, relative: 0.5 = 50% slower. */
  gradcamOverhead: number;
  /** One beat per classify call: wall time of each call (the issue 4 target: p99 <= 2 ms). */
  singleBeat: LatencySummary;
  singleBeatGradcam: LatencySummary;
}

export function shippedModels(modelsDir: string): string[] {
  return readdirSync(modelsDir).filter((f) => f.endsWith('.onnx')).sort().map((f) => join(modelsDir, f));
}

function generatedItems(model: Model, n: number): ClassifierItem[] {
  const { before, after, fs } = model.spec;
  const builder = new ModelInputBuilder(model.spec);
  return Array.from({ length: n }, (_, i) => {
    const w = new Float32Array(before + after);
    const widthSamples = 5 + (i % 7) * 2;
    for (let t = 0; t < w.length; t++) w[t] = Math.exp(-((t - before) ** 2) / (2 * widthSamples ** 2)) + 0.2 * Math.sin((t + i) / 20);
    return { input: builder.next(1000 + i * Math.round(0.8 * fs), w), quality: 'good' };
  });
}

async function beatsPerS(model: Model, items: ClassifierItem[], batchSize: number, gradcam: boolean, repeats: number): Promise<number> {
  const c = new Classifier(model, { batchSize, gradcam });
  await c.classify(items.slice(0, Math.min(items.length, batchSize * 2))); // warm-up
  let bestS = Infinity;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await c.classify(items);
    bestS = Math.min(bestS, (performance.now() - t0) / 1000);
  }
  return Math.round(items.length / bestS);
}

async function singleBeatLatency(model: Model, items: ClassifierItem[], gradcam: boolean): Promise<LatencySummary> {
  const c = new Classifier(model, { batchSize: 1, gradcam });
  for (const item of items.slice(0, 32)) await c.classify([item]); // warm-up
  const ms: number[] = [];
  for (const item of items) {
    const t0 = performance.now();
    await c.classify([item]);
    ms.push(performance.now() - t0);
  }
  return summarizeLatency(ms);
}

export async function benchModels(paths: string[], o: { beats: number; repeats?: number }): Promise<ModelSpeed[]> {
  const out: ModelSpeed[] = [];
  for (const path of paths) {
    const model = await loadModel(path);
    try {
      const items = generatedItems(model, o.beats);
      const repeats = o.repeats ?? 1;
      const b1 = await beatsPerS(model, items.slice(0, Math.max(16, Math.floor(o.beats / 8))), 1, false, repeats);
      const b64 = await beatsPerS(model, items, 64, false, repeats);
      const cam = await beatsPerS(model, items, 64, true, repeats);
      const single = items.slice(0, Math.max(64, Math.floor(o.beats / 2)));
      out.push({
        model: path.split('/').at(-1)!, macsPerBeat: model.card.macsPerBeat ?? null, beatsPerSBatch1: b1, beatsPerSBatch64: b64, beatsPerSBatch64Gradcam: cam, gradcamOverhead: Math.round((b64 / cam - 1) * 1000) / 1000,
        singleBeat: await singleBeatLatency(model, single, false), singleBeatGradcam: await singleBeatLatency(model, single, true),
      });
    } finally {
      await model.release();
    }
  }
  return out;
}
