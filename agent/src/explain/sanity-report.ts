/**
 * Prints the explanation sanity numbers (sanity.ts) for a float model on DS2
 * beats: deletion (top 10% vs random 10%, deletion AUCs) and weight
 * randomisation (mean Spearman of maps, trained vs re-drawn weights), for
 * Grad-CAM and SHAP (flat background; SHAP settings default to sanity.ts's
 * DELETION_SHAP and RANDOMISATION_SHAP; SEGMENTS = exact, SEGMENTS:SAMPLES =
 * KernelSHAP).
 *
 *   npx tsx agent/src/explain/sanity-report.ts [--model models/arrhythminet-v1.onnx]
 *     [--records 100,200,212,214,232,233] [--per-record 40] [--deletion-shap 12:256]
 *     [--randomisation-shap 8] [--mitdb DIR] [--json]
 *
 * Needs the MIT-BIH data and Debian's Python with onnx (the randomised copy).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadModel } from '../model/load.ts';
import { flatBackground } from './background.ts';
import { randomisedModelCopy } from './randomised-model.ts';
import {
  DELETION_SHAP, RANDOMISATION_SHAP, deletionSummary, describeShapSetting, evenlySpacedBeats, gradcamMaps, parseShapSetting,
  predictedClasses, randomisationSummary, shapMaps, type DeletionSummary, type RandomisationSummary,
} from './sanity.ts';

export const SANITY_RECORDS = ['100', '200', '212', '214', '232', '233'];

export interface SanityReport {
  model: string;
  records: string[];
  beats: number;
  /** SHAP of the deletion and of the randomisation check (describeShapSetting). */
  shap: { deletion: string; randomisation: string };
  predicted: Record<string, number>;
  deletion: DeletionSummary[];
  randomisation: RandomisationSummary[];
}

export async function sanityReport(modelPath: string, mitdbDir: string, records: string[], perRecord: number,
  shap = { deletion: DELETION_SHAP, randomisation: RANDOMISATION_SHAP }): Promise<SanityReport> {
  const deletionShap = parseShapSetting(shap.deletion);
  const randomisationShap = parseShapSetting(shap.randomisation);
  const model = await loadModel(modelPath);
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-sanity-'));
  try {
    const beats = await evenlySpacedBeats(mitdbDir, records, perRecord, model.spec);
    const classes = await predictedClasses(model, beats);
    const flat = flatBackground(model.spec.before + model.spec.after);
    const gradcam = await gradcamMaps(model, beats, classes);
    const deletion = [
      await deletionSummary('gradcam', model, beats, classes, gradcam, flat),
      await deletionSummary('shap', model, beats, classes, await shapMaps(model, beats, classes, flat, deletionShap), flat),
    ];
    const randomised = await loadModel((await randomisedModelCopy(modelPath, dir)).path);
    const randomisation = [
      randomisationSummary('gradcam', gradcam, await gradcamMaps(randomised, beats, classes)),
      randomisationSummary('shap', await shapMaps(model, beats, classes, flat, randomisationShap), await shapMaps(randomised, beats, classes, flat, randomisationShap)),
    ];
    await randomised.release();
    const predicted: Record<string, number> = {};
    for (const c of classes) predicted[model.spec.classes[c]] = (predicted[model.spec.classes[c]] ?? 0) + 1;
    return {
      model: modelPath, records, beats: beats.length, predicted, deletion, randomisation,
      shap: { deletion: describeShapSetting(deletionShap), randomisation: describeShapSetting(randomisationShap) },
    };
  } finally {
    await model.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/arrhythminet-v1.onnx' }, records: { type: 'string', default: SANITY_RECORDS.join(',') },
      'per-record': { type: 'string', default: '40' }, 'deletion-shap': { type: 'string', default: DELETION_SHAP },
      'randomisation-shap': { type: 'string', default: RANDOMISATION_SHAP }, mitdb: { type: 'string' }, json: { type: 'boolean' },
    },
  });
  const mitdbDir = values.mitdb ?? process.env.MITDB_DIR ?? fileURLToPath(new URL('../../../../shared/data/mitdb', import.meta.url));
  const r = await sanityReport(values.model!, mitdbDir, values.records!.split(','), Number(values['per-record']),
    { deletion: values['deletion-shap']!, randomisation: values['randomisation-shap']! });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
  } else {
    const p = (v: number) => v.toFixed(4);
    process.stdout.write(`${r.model}: ${r.beats} DS2 beats from ${r.records.join(' ')} (predicted ${Object.entries(r.predicted).map(([c, n]) => `${c} ${n}`).join(', ')}); flat background\n`);
    for (const d of r.deletion) {
      process.stdout.write(`deletion ${d.method}: p(class) ${p(d.meanFull)}; drop top 10% ${p(d.meanTopDrop)} vs random 10% ${p(d.meanRandomDrop)} (top further on ${d.topWins}/${d.beats} beats); deletion AUC ${p(d.auc)} (random order ${p(d.aucRandom)})${d.method === 'shap' ? `; SHAP ${r.shap.deletion}` : ''}\n`);
    }
    for (const q of r.randomisation) {
      process.stdout.write(`randomisation ${q.method}: mean Spearman ${p(q.meanSpearman)} (mean |rho| ${p(q.meanAbsSpearman)}) over ${q.compared} beats; ${q.constant} constant maps left out${q.method === 'shap' ? `; SHAP ${r.shap.randomisation}` : ''}\n`);
    }
  }
}
