/**
 * Smoke run of the Python training and export (models/training) into a temp
 * dir: a tiny training on three records, export to float32 and INT8 QDQ ONNX,
 * then onnxruntime-node (the runtime that ships) loads both and they give the
 * documented outputs and shapes. Says nothing about accuracy: the cards of the
 * committed models carry that.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ort from 'onnxruntime-node';
import { debianPython, mitdb, mitdbDir, pythonTorch, repoRoot, testNeeding } from '../helpers/requires.ts';
import { rrTensor } from '../helpers/rr-rows.ts';

const test = testNeeding(mitdb, pythonTorch);
const run = promisify(execFile);
const training = join(repoRoot, 'models', 'training');

interface Card {
  sha256: string;
  bytes: number;
  parameters: number;
  specSha256: string;
  metrics: { n: number; accuracy: number } | null;
}

test('smoke training and export give ONNX models that onnxruntime-node runs with the documented outputs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-train-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, MITDB_DIR: mitdbDir };
  const runDir = join(dir, 'run');
  const outDir = join(dir, 'models');
  await run(debianPython, [join(training, 'train.py'), '--model', 'v2', '--protocol', 'inter', '--smoke',
    '--records', '100', '106', '--test-records', '119', '--out', runDir], { env, maxBuffer: 1 << 24 });
  await run(debianPython, [join(training, 'export.py'), '--model', 'v2', '--protocol', 'inter', '--run', runDir,
    '--out', outDir, '--calibration', '300'], { env, maxBuffer: 1 << 24 });

  const specSha = createHash('sha256').update(readFileSync(join(repoRoot, 'models', 'spec.json'))).digest('hex');
  const batch = 3;
  const length = 256;
  const channels = 2; // the beat and the patient's running template (spec.template)
  const window = new Float32Array(batch * channels * length).map((_, i) => Math.sin(i / 9) * (i % length > 80 && i % length < 110 ? 2 : 0.1));
  const rr = rrTensor([{ prevS: 0.8, localS: 0.8 }, { prevS: 0.5, localS: 0.8, irregularity: 1.1 }, { prevS: 1.2, localS: 1 }]);
  for (const file of ['arrhythminet-v2.onnx', 'arrhythminet-v2.int8.onnx']) {
    const path = join(outDir, file);
    const bytes = readFileSync(path);
    const card = JSON.parse(readFileSync(path.replace(/\.onnx$/, '.card.json'), 'utf8')) as Card;
    t.is(card.sha256, createHash('sha256').update(bytes).digest('hex'), `${file} card sha256`);
    t.is(card.bytes, bytes.length);
    t.is(card.specSha256, specSha);
    t.true(card.metrics !== null && card.metrics.n > 1000, `${file} evaluated on record 119`);

    const session = await ort.InferenceSession.create(path);
    t.deepEqual([...session.inputNames].sort(), ['rr', 'window']);
    const out = await session.run({
      window: new ort.Tensor('float32', window, [batch, channels, length]),
      rr,
    });
    const p = out.probabilities;
    const logits = out.logits;
    const features = out.features;
    const alpha = out.gradcamAlpha;
    if (!p || !logits || !features || !alpha) {
      t.fail(`${file}: outputs ${Object.keys(out).join(', ')}`);
      continue;
    }
    t.deepEqual(p.dims, [batch, 5]);
    t.deepEqual(logits.dims, [batch, 5]);
    t.is(features.dims.length, 3);
    t.is(features.dims[0], batch);
    const featureChannels = features.dims[1] ?? 0;
    const steps = features.dims[2] ?? 0;
    t.is(steps, length / 16);
    t.deepEqual(alpha.dims, [5, featureChannels]);
    const pd = p.data as Float32Array;
    const ld = logits.data as Float32Array;
    const fd = features.data as Float32Array;
    const ad = alpha.data as Float32Array;
    for (let b = 0; b < batch; b++) {
      const row = [...pd.slice(b * 5, b * 5 + 5)];
      t.true(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-4, 'probabilities sum to 1');
      // softmax(logits) = probabilities
      const lr = [...ld.slice(b * 5, b * 5 + 5)];
      const m = Math.max(...lr);
      const e = lr.map((v) => Math.exp(v - m));
      const z = e.reduce((s, v) => s + v, 0);
      e.forEach((v, c) => t.true(Math.abs(v / z - (row[c] ?? NaN)) < 1e-4));
    }
    // The head is linear after pooling: logits differences between two beats with the same RR
    // inputs are sum_k alpha[c,k] * sum_t (f1 - f2)[k,t]; beats 0 and 1 differ in RR, so use a
    // second run with beat 1's RR set to beat 0's.
    const rrSame = rrTensor([{ prevS: 0.8, localS: 0.8 }, { prevS: 0.8, localS: 0.8 }, { prevS: 0.8, localS: 0.8 }]);
    const w2 = window.slice();
    for (let i = channels * length; i < 2 * channels * length; i++) w2[i] = (w2[i] ?? 0) * -0.7;
    const out2 = await session.run({
      window: new ort.Tensor('float32', w2, [batch, channels, length]),
      rr: rrSame,
    });
    const l2 = out2.logits?.data as Float32Array;
    const f2 = out2.features?.data as Float32Array;
    for (let c = 0; c < 5; c++) {
      let predicted = 0;
      for (let k = 0; k < featureChannels; k++) {
        for (let s = 0; s < steps; s++) {
          const i0 = k * steps + s;
          const i1 = featureChannels * steps + k * steps + s;
          predicted += (ad[c * featureChannels + k] ?? 0) * ((f2[i0] ?? 0) - (f2[i1] ?? 0));
        }
      }
      const actual = (l2[c] ?? 0) - (l2[5 + c] ?? 0);
      t.true(Math.abs(predicted - actual) < 1e-3 + 1e-2 * Math.abs(actual), `${file} class ${c}: gradcamAlpha is the exact gradient (${predicted} vs ${actual})`);
    }
    t.true(fd.every((v) => v >= 0 && v <= 6.0001), 'features are ReLU6 outputs');
  }
  const floatBytes = readFileSync(join(outDir, 'arrhythminet-v2.onnx')).length;
  const int8Bytes = readFileSync(join(outDir, 'arrhythminet-v2.int8.onnx')).length;
  t.true(int8Bytes < floatBytes / 2.5, `int8 ${int8Bytes} bytes vs float ${floatBytes}`);
});

test('training is deterministic for a given seed', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-seed-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, MITDB_DIR: mitdbDir };
  const histories: unknown[] = [];
  for (const [name, seed] of [['a', '3'], ['b', '3'], ['c', '4']] as const) {
    await run(debianPython, [join(training, 'train.py'), '--model', 'v2', '--protocol', 'inter', '--smoke', '--seed', seed,
      '--records', '100', '--test-records', '100', '--out', join(dir, name)], { env, maxBuffer: 1 << 24 });
    const result = JSON.parse(readFileSync(join(dir, name, 'train.json'), 'utf8')) as { history: { loss: number }[] };
    histories.push(result.history.map((h) => h.loss));
  }
  t.deepEqual(histories[0], histories[1], 'same seed, same losses');
  t.notDeepEqual(histories[0], histories[2], 'another seed, other losses');
});
