/**
 * Model-randomisation sanity check (Adebayo et al. 2018; issue 7): a copy of
 * the float model with every weight and bias re-drawn (randomised-model.ts, made
 * at test time in a temp dir) gives maps unlike the trained model's: mean
 * Spearman rank correlation < 0.5 over >= 100 DS2 beats, for Grad-CAM and SHAP
 * (exact, 8 segments, flat background), same beats and the trained model's
 * predicted class. Mean |rho| is held below 0.5 as well, so maps that merely
 * flipped sign would not pass. Also: the copy really differs (its outputs).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mitdb, pythonTorch, repoRoot, testNeeding } from '../helpers/requires.ts';
import { loadModel, type Model } from '../../agent/src/model/load.ts';
import { flatBackground } from '../../agent/src/explain/background.ts';
import { randomisedModelCopy } from '../../agent/src/explain/randomised-model.ts';
import { gradcamMaps, predictedClasses, randomisationSummary, shapMaps, parseShapSetting, RANDOMISATION_SHAP, type SanityBeat } from '../../agent/src/explain/sanity.ts';
import { ds2Beats } from './beats.ts';

interface Context { model: Model; randomised: Model; tensors: number; beats: SanityBeat[]; classes: number[]; dir: string }
const test = testNeeding<Context>(mitdb, pythonTorch);

test.before(async (t) => {
  const path = join(repoRoot, 'models', 'arrhythminet-v1.onnx');
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-randomised-'));
  const copy = await randomisedModelCopy(path, dir, 1);
  const model = await loadModel(path);
  const beats = await ds2Beats(model.spec, 20);
  t.context = { model, randomised: await loadModel(copy.path), tensors: copy.tensors, beats, classes: await predictedClasses(model, beats), dir };
});

test.after.always(async (t) => {
  await t.context.model?.release();
  await t.context.randomised?.release();
  if (t.context.dir) rmSync(t.context.dir, { recursive: true, force: true });
});

test.serial('the randomised copy has every weight tensor re-drawn and predicts differently', async (t) => {
  const { model, randomised, tensors, beats, classes } = t.context;
  t.is(tensors, 32, 'v1: 14 convolutions, RR branch and head, weights and biases');
  const theirs = await predictedClasses(randomised, beats);
  const same = theirs.filter((c, i) => c === classes[i]).length;
  const p = await model.run(beats[0].input.x, beats[0].input.rr, 1);
  const q = await randomised.run(beats[0].input.x, beats[0].input.rr, 1);
  t.notDeepEqual(Array.from(p.probabilities), Array.from(q.probabilities));
  t.log(`same predicted class on ${same}/${beats.length} beats`);
});

for (const method of ['gradcam', 'shap'] as const) {
  test.serial(`${method}: maps of the trained and the randomised model differ (mean Spearman < 0.5 over >= 100 DS2 beats)`, async (t) => {
    const { model, randomised, beats, classes } = t.context;
    const flat = flatBackground(model.spec.before + model.spec.after);
    const maps = (m: Model) => (method === 'gradcam' ? gradcamMaps(m, beats, classes) : shapMaps(m, beats, classes, flat, parseShapSetting(RANDOMISATION_SHAP)));
    const r = randomisationSummary(method, await maps(model), await maps(randomised));
    t.log(`${method}: mean Spearman ${r.meanSpearman.toFixed(4)}, mean |rho| ${r.meanAbsSpearman.toFixed(4)} over ${r.compared} beats (${r.constant} constant maps left out)`);
    t.true(r.compared >= 100);
    t.true(r.meanSpearman < 0.5);
    t.true(r.meanAbsSpearman < 0.5);
  });
}

test('an INT8 model is refused (its quantisation scales would not fit re-drawn weights)', async (t) => {
  await t.throwsAsync(randomisedModelCopy(join(repoRoot, 'models', 'arrhythminet-v1.int8.onnx'), t.context.dir), { message: /is an INT8 model; use the float model/ });
});
