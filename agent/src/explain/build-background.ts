/**
 * Builds a model's class-mean background beats (background.ts) from its
 * training records (the card's trainingRecords, DS1 for the inter-patient
 * models): for each class, the mean model-input channel 0 over every reference
 * beat of that class, built exactly as the agent builds model inputs
 * (reference-beats.ts). Writes <model>.background.json beside the card,
 * rounded to 1e-4 (far below the model's sensitivity).
 *
 *   npx tsx agent/src/explain/build-background.ts models/arrhythminet-v1.onnx [--mitdb DIR]
 *
 * Limits: needs the MIT-BIH records at run time; the output holds averages of
 * hundreds to tens of thousands of beats per class, not any recording.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cardPathOf, type ModelCard } from '../model/load.ts';
import { referenceBeats } from '../model/reference-beats.ts';
import { loadModelSpec, type ModelSpec } from '../model/spec.ts';
import { backgroundPathOf, type BackgroundFile } from './background.ts';

/** Running sums of channel-0 windows per class. */
export class ClassMeans {
  private readonly sums = new Map<string, Float64Array>();
  private readonly counts = new Map<string, number>();
  constructor(readonly classes: readonly string[], readonly length: number) {}

  /** Adds one beat: its reference symbol and its model input x ([2, length]). */
  add(symbol: string, x: ArrayLike<number>): void {
    if (!this.classes.includes(symbol)) return;
    let sum = this.sums.get(symbol);
    if (sum === undefined) { sum = new Float64Array(this.length); this.sums.set(symbol, sum); }
    for (let t = 0; t < this.length; t++) sum[t] += x[t];
    this.counts.set(symbol, (this.counts.get(symbol) ?? 0) + 1);
  }

  /** Mean per class seen, in class order, rounded to `digits` decimals. */
  means(digits = 4): { beats: Record<string, number>; classMeans: Record<string, number[]> } {
    const beats: Record<string, number> = {};
    const classMeans: Record<string, number[]> = {};
    const q = 10 ** digits;
    for (const c of this.classes) {
      const n = this.counts.get(c);
      if (n === undefined) continue;
      beats[c] = n;
      classMeans[c] = Array.from(this.sums.get(c)!, (s) => Math.round((s / n) * q) / q);
    }
    return { beats, classMeans };
  }
}

export async function buildBackground(records: readonly string[], mitdbDir: string, spec: ModelSpec): Promise<BackgroundFile> {
  const means = new ClassMeans(spec.classes, spec.before + spec.after);
  for (const r of records) {
    for (const b of await referenceBeats(join(mitdbDir, r), spec)) means.add(b.symbol, b.input.x);
  }
  return {
    $comment: 'SHAP backgrounds (agent/src/explain/background.ts): per class, the mean model input channel 0 (spec.normalisation) over every reference beat of that class in the training records. Averages, not data.',
    specSha256: spec.sha256,
    length: spec.before + spec.after,
    records: [...records],
    ...means.means(),
    command: 'npx tsx agent/src/explain/build-background.ts MODEL.onnx',
  };
}

/** JSON with one line per field and per class mean (readable diffs). */
export function formatBackgroundFile(file: BackgroundFile): string {
  const fields = Object.entries(file).map(([k, v]) => {
    if (k !== 'classMeans') return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    const rows = Object.entries(v as Record<string, number[]>).map(([c, m]) => `    ${JSON.stringify(c)}: ${JSON.stringify(m)}`);
    return `  "classMeans": {\n${rows.join(',\n')}\n  }`;
  });
  return `{\n${fields.join(',\n')}\n}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ options: { mitdb: { type: 'string' } }, allowPositionals: true });
  const mitdbDir = values.mitdb ?? process.env.MITDB_DIR ?? join(fileURLToPath(new URL('../../../../shared/data/mitdb', import.meta.url)));
  const spec = loadModelSpec();
  for (const path of positionals) {
    const card = JSON.parse(readFileSync(cardPathOf(path), 'utf8')) as ModelCard;
    if (!Array.isArray(card.trainingRecords) || card.trainingRecords.length === 0) throw new Error(`${cardPathOf(path)}: no trainingRecords`);
    const file = await buildBackground(card.trainingRecords, mitdbDir, spec);
    const out = backgroundPathOf(path);
    writeFileSync(out, formatBackgroundFile(file));
    process.stdout.write(`${out}: ${Object.entries(file.beats).map(([c, n]) => `${c} ${n}`).join(', ')} beats from ${file.records.length} records\n`);
  }
}
