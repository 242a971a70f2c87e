/**
 * `arrhythminet explain`: why the model labelled a beat as it did.
 *
 *   explain RECORD (--beat N | --time T) [--method gradcam|shap] --out FILE.svg|.png|.json
 *   explain --global --db DIR [--records R,R,...] [--method gradcam|shap] [--per-class N] [--seed S] --out FILE...
 *
 * One beat: the beat as the live agent sees it (explain/explain-beat.ts), drawn
 * with its attribution over the waveform, the P/QRS/T regions, label and
 * probabilities (explain/render/beat-svg.ts; PNG through resvg), or the JSON of
 * it all. Global: per class, the mean beat and mean attribution over many
 * records (explain/global.ts). Default model: the shipped V1 int8.
 */
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { loadModel, type Model } from '../../model/load.ts';
import { listRecords, recordPath } from '../../sources/wfdb/index.ts';
import { METHODS, type Method, type ShapSettings } from '../../explain/attribution.ts';
import { backgroundPathOf, loadBackground } from '../../explain/background.ts';
import { DEFAULT_SEGMENTS } from '../../explain/shap.ts';
import { parseBeatSelector } from '../../explain/beat-select.ts';
import { explainBeat } from '../../explain/explain-beat.ts';
import { beatPicture } from '../../explain/beat-picture.ts';
import { globalExplanation } from '../../explain/global.ts';
import { globalSvg } from '../../explain/global-picture.ts';
import { outputFormatOf, writeOutput } from '../../explain/output.ts';
import { renderBeatSvg } from '../../explain/render/beat-svg.ts';
import { DEFAULT_MODEL_PATH } from '../../config/schema.ts';
import { requireRecords } from '../record-args.ts';

/** The agent's default model in this checkout (Grad-CAM's exact weights are in its graph). */
export const DEFAULT_MODEL = resolve(import.meta.dirname, '..', '..', '..', '..', DEFAULT_MODEL_PATH);

const usage = `arrhythminet explain RECORD (--beat N | --time T) [--method gradcam|shap] --out FILE.svg|.png|.json [--model FILE]
       arrhythminet explain --global --db DIR [--records R,R,...] [--method gradcam|shap] [--per-class N] [--seed S] --out FILE.svg|.png|.json [--model FILE]

  RECORD            WFDB record path without extension (e.g. ../shared/data/mitdb/233)
  --beat N          the N-th beat the pipeline detects (1 = the first)
  --time T          the detected beat nearest T: seconds (754.2) or mm:ss (12:34.2)
  --method M        gradcam (default: exact for this model, >= 0) or shap (signed, slower)
  --out FILE        .svg (no dependency), .png (resvg) or .json; repeat it for several
  --model FILE      ONNX model with its .card.json (default ${DEFAULT_MODEL_PATH}, the agent's)
  --signal S        lead by name or 0-based index (default MLII, else V5, else 0)
  --width PX, --height PX   one beat's picture size (default 800 x 340; PNG at twice it)
  --global          per class: mean beat and mean attribution over --records of --db
  --records R,...   records of --db (default: the model card's test records, else RECORDS)
  --per-class N     most beats per class, a seeded sample (default 300 gradcam, 30 shap)
  --seed S          sample seed (default 1)
  --background B    SHAP: what an absent segment becomes: flat (default) or mean:C, the
                    class-C mean beat shipped beside the model (<model>.background.json)
  --segments S      SHAP: time segments of the window (default 12: exact, 2^12 model runs)`;

const DEFAULT_PER_CLASS: Record<Method, number> = { gradcam: 300, shap: 30 };

function positiveInt(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`${name} must be a whole number >= 1, got '${v}'`);
  return Number(v);
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Grad-CAM or SHAP picture of one beat, or per-class means (--global)',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      beat: { type: 'string' }, time: { type: 'string' }, method: { type: 'string', default: 'gradcam' }, out: { type: 'string', multiple: true },
      model: { type: 'string' }, signal: { type: 'string' }, global: { type: 'boolean', default: false }, db: { type: 'string' },
      records: { type: 'string' }, 'per-class': { type: 'string' }, seed: { type: 'string' },
      width: { type: 'string' }, height: { type: 'string' }, background: { type: 'string', default: 'flat' }, segments: { type: 'string' },
    });
    const method = values.method as Method;
    if (!(METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be gradcam or shap, got '${values.method}'`);
    const outs = values.out ?? [];
    if (outs.length === 0) throw new UsageError(`--out FILE.svg|.png|.json is required; usage:\n${usage}`);
    for (const out of outs) outputFormatOf(out);
    const segments = positiveInt(values.segments, '--segments', DEFAULT_SEGMENTS);
    if (segments < 2 || segments > 64) throw new UsageError(`--segments must be 2 to 64 (time segments of the window), got ${segments}`);
    const modelPath = values.model ?? DEFAULT_MODEL;
    const settings = (model: Model): ShapSettings | undefined => (method === 'shap'
      ? { background: loadBackground(values.background, model.spec, backgroundPathOf(modelPath)), segments } : undefined);
    const size = { widthPx: positiveInt(values.width, '--width', 800), heightPx: positiveInt(values.height, '--height', 340) };
    if (values.global) {
      if (positionals.length > 0 || values.beat !== undefined || values.time !== undefined) throw new UsageError('--global explains many records: it takes --db and --records, not RECORD, --beat or --time');
      if (values.db === undefined) throw new UsageError('--global needs --db DIR (a WFDB database directory)');
      const perClass = positiveInt(values['per-class'], '--per-class', DEFAULT_PER_CLASS[method]);
      const seed = positiveInt(values.seed, '--seed', 1);
      const model = await loadModel(modelPath);
      try {
        const shap = settings(model);
        let names: string[];
        if (values.records !== undefined) names = values.records.split(',').map((r) => r.trim()).filter((r) => r !== '');
        else if (Array.isArray(model.card.testRecords)) names = model.card.testRecords;
        else names = await listRecords(values.db);
        if (names.length === 0) throw new UsageError('--records is empty');
        requireRecords(names.map((n) => recordPath(values.db!, n)), '--records');
        const tty = process.stderr.isTTY === true;
        const g = await globalExplanation({
          model, method, perClass, seed, shap, signal: values.signal, records: names.map((n) => recordPath(values.db!, n)),
          onRecord: tty ? (n, i) => process.stderr.write(`\rexplain --global: record ${n} (${i + 1}/${names.length})   `) : undefined,
        });
        if (tty) process.stderr.write('\n');
        for (const out of outs) await writeOutput(out, () => globalSvg(g), g);
        process.stdout.write(`${outs.join(', ')}: ${method} means of ${g.classes.map((c) => `${c.class} ${c.beats}`).join(', ')} beats over ${names.length} records\n`);
      } finally {
        await model.release();
      }
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(`expected one RECORD (path without extension), got ${positionals.length}; usage:\n${usage}`);
    const selector = parseBeatSelector(values.beat, values.time);
    requireRecords([positionals[0]], 'RECORD');
    const model = await loadModel(modelPath);
    try {
      const e = await explainBeat(positionals[0], { model, method, selector, shap: settings(model), signal: values.signal });
      for (const out of outs) await writeOutput(out, () => renderBeatSvg(beatPicture(e), size), e);
      process.stdout.write(`${outs.join(', ')}: record ${e.record} beat ${e.beat.number} at ${e.beat.time}: ${e.label} (${e.beat.reference === null ? 'no reference' : `reference ${e.beat.reference}`}), ${method}\n`);
    } finally {
      await model.release();
    }
    return 0;
  },
};
