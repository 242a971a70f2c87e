/**
 * Issue 4 item 8 (TypeScript half): the committed inter-patient models, run by
 * onnxruntime-node through the agent (reference-beats.ts inputs, Classifier),
 * reproduce their cards' accuracy within 0.1 point on their protocol's test
 * beats: all N, L, R, A, V beats of the 22 DS2 records (about 49k beats; the
 * inputs are built once, ~10 s, each model runs in 1.5-6 s). The paper-protocol
 * models (models/paper/) on their random test split, when they are committed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { mitdb, mitdbDir, pythonTorch, repoRoot, testNeeding } from '../helpers/requires.ts';
import { loadModelSpec } from '../../agent/src/model/spec.ts';
import { referenceBeats, type ReferenceBeat } from '../../agent/src/model/reference-beats.ts';
import { loadModel } from '../../agent/src/model/load.ts';
import { Classifier } from '../../agent/src/model/classifier.ts';
import { classReport } from '../../agent/src/model/metrics.ts';
import { committedModels } from './committed.ts';
import { pythonScript } from './python.ts';

const run = promisify(execFile);

const test = testNeeding(mitdb);
const DS2 = '100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234'.split(' ');

const { current, stale } = committedModels();
const inter = current.filter((m) => m.card.protocol === 'inter');
if (stale.length > 0) console.warn(`models made for another models/spec.json, not run: ${stale.join(', ')}`);

let beats: Promise<ReferenceBeat[]> | null = null;
const ds2Beats = () => beats ??= (async () => {
  const spec = loadModelSpec();
  const all: ReferenceBeat[] = [];
  for (const r of DS2) all.push(...(await referenceBeats(join(mitdbDir, r), spec)).filter((b) => spec.classes.includes(b.symbol)));
  return all;
})();

test('there is a committed inter-patient model to check', (t) => {
  t.true(inter.length > 0, `models/: current ${current.map((m) => m.name).join(', ') || 'none'}; stale ${stale.join(', ') || 'none'}`);
});

for (const m of inter) {
  test.serial(`${m.name}: DS2 accuracy reproduces its card within 0.1 point`, async (t) => {
    const b = await ds2Beats();
    const model = await loadModel(m.path);
    t.teardown(() => model.release());
    const spec = model.spec;
    const results = await new Classifier(model, { batchSize: 256 }).classify(b.map((x) => ({ input: x.input, quality: 'good' })));
    const report = classReport(b.map((x) => spec.classes.indexOf(x.symbol)), results.map((r) => r.top), spec.classes);
    const card = m.card.metrics!;
    t.log(`${m.name}: ${report.n} beats, accuracy ${report.accuracy.toFixed(5)} (card ${card.accuracy.toFixed(5)} on ${card.n})`);
    t.is(report.n, card.n, 'the same number of test beats as the card');
    t.true(Math.abs(report.accuracy - card.accuracy) <= 0.001, `accuracy ${report.accuracy} vs card ${card.accuracy}`);
  });
}

/**
 * Paper protocol (models/paper/): the test beats are the training run's random
 * 10% split, which only numpy's generator reproduces; the test asks the
 * training code for it (models/training/paper_split.py: train.split_paper with
 * the card's seed) and gives it to `eval classify --protocol paper --test-beats`.
 */
const paper = committedModels(join(repoRoot, 'models', 'paper')).current;
const withPython = testNeeding(mitdb, pythonTorch);
for (const m of paper) {
  withPython.serial(`${m.name} (paper protocol): accuracy on its test split reproduces its card within 0.1 point`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-paper-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const split = join(dir, 'test-beats.json');
    await pythonScript('paper_split.py', [m.path.replace(/\.onnx$/, '.card.json'), split]);
    const { stdout } = await run(process.execPath, [join(repoRoot, 'agent', 'bin', 'arrhythminet.js'), 'eval', 'classify', '--db', mitdbDir,
      '--model', m.path, '--protocol', 'paper', '--test-beats', split, '--json'], { maxBuffer: 1 << 24 });
    const report = JSON.parse(stdout) as { metrics: { n: number; accuracy: number } };
    const card = m.card.metrics!;
    t.log(`${m.name}: ${report.metrics.n} beats, accuracy ${report.metrics.accuracy.toFixed(5)} (card ${card.accuracy.toFixed(5)} on ${card.n})`);
    t.is(report.metrics.n, card.n);
    t.true(Math.abs(report.metrics.accuracy - card.accuracy) <= 0.001);
  });
}
