/**
 * Inference speed of a model through the agent's Classifier, on one thread:
 * throughput in batches (beats/s) and single-beat latency (p50, p99, ms) over
 * generated ECG-like beats (the model's speed does not depend on the values).
 * Wall-clock numbers: they depend on the machine and its load; the bench
 * command and docs/models.md report them, no test asserts them.
 *
 * Usage: node --import tsx agent/src/model/benchmark.ts MODEL.onnx ... [--beats N] [--batch N]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Classifier, type ClassifierItem } from './classifier.ts';
import { ModelInputBuilder } from './input-builder.ts';
import { loadModel, type Model } from './load.ts';

export interface ModelBenchmark {
  model: string;
  beats: number;
  batchSize: number;
  beatsPerS: number;
  singleBeatMs: { p50: number; p99: number };
  macsPerBeat?: number;
}

function generatedItems(model: Model, n: number): ClassifierItem[] {
  const { before, after, fs } = model.spec;
  const builder = new ModelInputBuilder(model.spec);
  const out: ClassifierItem[] = [];
  for (let i = 0; i < n; i++) {
    const w = new Float32Array(before + after);
    const width = 5 + (i % 7) * 2;
    for (let t = 0; t < w.length; t++) w[t] = Math.exp(-((t - before) ** 2) / (2 * width * width)) + 0.2 * Math.sin((t + i) / 20);
    out.push({ input: builder.next(1000 + i * Math.round(0.8 * fs), w), quality: 'good' });
  }
  return out;
}

export async function benchmarkModel(model: Model, options: { beats?: number; batchSize?: number; singles?: number } = {}): Promise<ModelBenchmark> {
  const beats = options.beats ?? 20000;
  const batchSize = options.batchSize ?? 256;
  const items = generatedItems(model, beats);
  const batched = new Classifier(model, { batchSize });
  await batched.classify(items.slice(0, batchSize)); // warm-up
  const t0 = performance.now();
  await batched.classify(items);
  const beatsPerS = beats / ((performance.now() - t0) / 1000);
  const single = new Classifier(model, { batchSize: 1 });
  const times: number[] = [];
  for (let i = 0; i < (options.singles ?? 2000) + 100; i++) {
    const s = performance.now();
    await single.classify([items[i % items.length]]);
    if (i >= 100) times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  return { model: model.path, beats, batchSize, beatsPerS, singleBeatMs: { p50: q(0.5), p99: q(0.99) }, macsPerBeat: model.card.macsPerBeat };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { beats: { type: 'string' }, batch: { type: 'string' } }, allowPositionals: true });
  for (const path of positionals) {
    const model = await loadModel(path);
    const r = await benchmarkModel(model, { beats: Number(values.beats ?? 20000), batchSize: Number(values.batch ?? 256) });
    await model.release();
    process.stdout.write(`${path}: ${Math.round(r.beatsPerS)} beats/s in batches of ${r.batchSize}; single beat p50 ${r.singleBeatMs.p50.toFixed(3)} ms, p99 ${r.singleBeatMs.p99.toFixed(3)} ms; ${r.macsPerBeat ?? '?'} MACs/beat\n`);
  }
}
