/**
 * Deletion sanity check (issue 7): on 240 DS2 beats (40 from each of six test
 * records), replacing the 10% of samples a map ranks highest with the baseline
 * (flat) lowers the predicted-class probability more, on average, than
 * replacing a random 10%, for Grad-CAM and for SHAP (sanity.ts DELETION_SHAP:
 * KernelSHAP over 12 segments, 256 coalitions; flat background); and the
 * deletion AUC in the map's order is below that of a random order. The numbers are logged (and printed by sanity-report.ts).
 */
import { join } from 'node:path';
import { mitdb, repoRoot, testNeeding } from '../helpers/requires.ts';
import { loadModel, type Model } from '../../agent/src/model/load.ts';
import { flatBackground } from '../../agent/src/explain/background.ts';
import { deletionSummary, gradcamMaps, predictedClasses, shapMaps, parseShapSetting, DELETION_SHAP, type SanityBeat } from '../../agent/src/explain/sanity.ts';
import { ds2Beats } from './beats.ts';

const test = testNeeding<{ model: Model; beats: SanityBeat[]; classes: number[] }>(mitdb);

test.before(async (t) => {
  const model = await loadModel(join(repoRoot, 'models', 'arrhythminet-v1.onnx'));
  const beats = await ds2Beats(model.spec, 40);
  t.context = { model, beats, classes: await predictedClasses(model, beats) };
});

test.after.always(async (t) => { await t.context.model?.release(); });

for (const method of ['gradcam', 'shap'] as const) {
  test.serial(`${method}: top 10% deletion lowers the predicted-class probability more than random 10% (>= 200 DS2 beats); deletion AUC below random order`, async (t) => {
    const { model, beats, classes } = t.context;
    const flat = flatBackground(model.spec.before + model.spec.after);
    const maps = method === 'gradcam' ? await gradcamMaps(model, beats, classes) : await shapMaps(model, beats, classes, flat, parseShapSetting(DELETION_SHAP));
    const d = await deletionSummary(method, model, beats, classes, maps, flat);
    t.log(`${method}: ${d.beats} beats, p(class) ${d.meanFull.toFixed(4)}; mean drop top 10% ${d.meanTopDrop.toFixed(4)} vs random 10% ${d.meanRandomDrop.toFixed(4)}` +
      ` (top further on ${d.topWins} beats); deletion AUC ${d.auc.toFixed(4)} vs random order ${d.aucRandom.toFixed(4)}`);
    t.true(d.beats >= 200);
    t.true(d.meanTopDrop > d.meanRandomDrop);
    t.true(d.auc < d.aucRandom);
  });
}
