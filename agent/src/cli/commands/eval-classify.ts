/**
 * `arrhythminet eval classify`: how well a model labels beats, two ways.
 *
 * - Reference positions (default): the beats of the model's protocol test set
 *   at their reference annotations (inter: the card's test records, DS2;
 *   paper: the beats listed by --test-beats), N L R A V only, with inputs made
 *   exactly as in training (model/reference-beats.ts): per-class Se, +P, F1,
 *   confusion, accuracy, macro-F1, as the cards report them.
 * - End to end (--end-to-end): the project's detector and classifier on the raw
 *   signal (pipeline/record-beats.ts, model/classify-list.ts), compared with the
 *   reference beat by beat by the EC57 evaluator (eval/evaluate.ts): bxb's -L
 *   lines with QRS, VEB (V) and SVEB (A) statistics and sumstats' totals.
 */
import { readFileSync } from 'node:fs';
import { parseCommandArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { listRecords, readAnnotations, readHeader, recordPath } from '../../sources/wfdb/index.ts';
import { evaluateRecords, parseTimeS } from '../../eval/evaluate.ts';
import { formatLineReport } from '../../eval/bxb-report.ts';
import type { EvalAnnotation } from '../../eval/beat-match.ts';
import { recordBeats } from '../../pipeline/record-beats.ts';
import { loadModel, type Model } from '../../model/load.ts';
import { Classifier } from '../../model/classifier.ts';
import { DEFAULT_MODEL_PATH } from '../../config/schema.ts';
import { referenceBeats } from '../../model/reference-beats.ts';
import { labelBeats } from '../../model/classify-list.ts';
import { classReport, formatClassReport } from '../../model/metrics.ts';
import { requireRecords } from '../record-args.ts';

export const CLASSIFY_USAGE = [
  '  classify: --model FILE [--protocol inter|paper] [--test-beats FILE] [--end-to-end [--from 5:0] [--window-ms 150]]',
  '            [--min-confidence P] [--batch N]',
  '  --model FILE         ONNX model with its .card.json beside it',
  '  --protocol P         inter (test records: the card\'s, DS2) or paper (beats of --test-beats); default: the card\'s',
  '  --test-beats FILE    paper protocol: JSON {"RECORD": [reference samples, ...], ...} of the test beats',
  '  --end-to-end         detector + classifier on the raw signal, EC57 matching (default: beats at reference positions)',
  '  --min-confidence P   abstain (label Q) below this top probability (default 0: never)',
  '  --batch N            beats per onnxruntime call (default 256)',
].join('\n');

const OPTIONS = {
  db: { type: 'string' }, records: { type: 'string' }, model: { type: 'string' }, protocol: { type: 'string' },
  'test-beats': { type: 'string' }, 'end-to-end': { type: 'boolean', default: false }, from: { type: 'string', default: '5:0' },
  'window-ms': { type: 'string', default: '150' }, 'min-confidence': { type: 'string', default: '0' },
  batch: { type: 'string', default: '256' }, reference: { type: 'string', default: 'atr' }, json: { type: 'boolean', default: false },
} as const;

function readTestBeats(path: string): Map<string, Set<number>> {
  let o: unknown;
  try {
    o = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`--test-beats ${path}: cannot read it as JSON: ${(err as Error).message}`);
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new UsageError(`--test-beats ${path}: expected an object {"RECORD": [samples...]}`);
  const out = new Map<string, Set<number>>();
  for (const [r, v] of Object.entries(o)) {
    if (!Array.isArray(v) || !v.every((s) => Number.isInteger(s) && s >= 0)) throw new UsageError(`--test-beats ${path}: record ${r}: expected an array of sample numbers`);
    out.set(r, new Set(v as number[]));
  }
  return out;
}

export async function evalClassify(args: string[], usage: string): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'\n${usage}`);
  if (values.db === undefined) throw new UsageError(`--db DIR is required\n${usage}`);
  if (values.model === undefined) throw new UsageError(`--model FILE is required (e.g. ${DEFAULT_MODEL_PATH})\n${usage}`);
  const minConfidence = Number(values['min-confidence']);
  if (!(minConfidence >= 0 && minConfidence <= 1)) throw new UsageError(`--min-confidence '${values['min-confidence']}': expected a probability in [0, 1]`);
  const batchSize = Number(values.batch);
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new UsageError(`--batch '${values.batch}': expected an integer >= 1`);
  const model = await loadModel(values.model);
  try {
    const protocol = values.protocol ?? model.card.protocol ?? 'inter';
    if (protocol !== 'inter' && protocol !== 'paper') throw new UsageError(`--protocol '${protocol}': expected inter or paper`);
    const testBeats = values['test-beats'] === undefined ? null : readTestBeats(values['test-beats']);
    if (protocol === 'paper' && testBeats === null && !values['end-to-end']) {
      throw new UsageError('--protocol paper needs --test-beats FILE: the paper split is a random 10% of the beats of all records, drawn by the training run (models/training/train.py split_paper)');
    }
    let records: string[];
    if (values.records !== undefined) records = values.records.split(',').map((r) => r.trim()).filter((r) => r !== '');
    else if (testBeats !== null) records = [...testBeats.keys()];
    else if (protocol === 'inter' && Array.isArray(model.card.testRecords)) records = model.card.testRecords;
    else records = await listRecords(values.db);
    if (records.length === 0) throw new UsageError('no records to evaluate (--records is empty)');
    requireRecords(records.map((r) => recordPath(values.db!, r)), '--records');
    // A record the test-beats file does not list has no test beats: scoring all its beats would score training beats.
    const unlisted = testBeats === null ? [] : records.filter((r) => !testBeats.has(r));
    if (unlisted.length > 0) {
      throw new UsageError(`--records ${unlisted.join(',')}: not in --test-beats ${values['test-beats']}, which lists ${[...testBeats!.keys()].join(', ') || 'no record'}`);
    }
    const trained = new Set(protocol === 'inter' ? model.card.trainingRecords ?? [] : []);
    const leaked = records.filter((r) => trained.has(r));
    if (leaked.length > 0) process.stderr.write(`warning: ${leaked.join(', ')} ${leaked.length === 1 ? 'is' : 'are'} in the model's training records: not an honest test\n`);
    const common = { db: values.db, model: values.model, protocol, records, minConfidence };
    if (values['end-to-end']) return await endToEnd(model, values, records, { minConfidence, batchSize }, common);
    return await atReference(model, values.db, records, testBeats, values.reference, { minConfidence, batchSize }, values.json, common);
  } finally {
    await model.release();
  }
}

async function atReference(model: Model, db: string, records: string[], testBeats: Map<string, Set<number>> | null, annotator: string,
  options: { minConfidence: number; batchSize: number }, json: boolean, meta: Record<string, unknown>): Promise<number> {
  const spec = model.spec;
  const classifier = new Classifier(model, options);
  const truth: number[] = [];
  const predicted: number[] = [];
  for (const r of records) {
    const wanted = testBeats?.get(r);
    const beats = (await referenceBeats(recordPath(db, r), spec, annotator))
      .filter((b) => spec.classes.includes(b.symbol) && (wanted === undefined || wanted.has(b.sample)));
    if (wanted !== undefined && beats.length !== wanted.size) {
      throw new UsageError(`--test-beats: record ${r} lists ${wanted.size} beats, ${beats.length} of them are ${spec.classes.join(' ')} beats of ${recordPath(db, r)}.${annotator} with a whole window`);
    }
    const results = await classifier.classify(beats.map((b) => ({ input: b.input, quality: 'good' })));
    beats.forEach((b, i) => {
      truth.push(spec.classes.indexOf(b.symbol));
      predicted.push(results[i].label === 'Q' ? -1 : results[i].top);
    });
  }
  const report = classReport(truth, predicted, spec.classes);
  if (json) process.stdout.write(JSON.stringify({ mode: 'classify', positions: 'reference', ...meta, card: model.card.metrics ?? null, metrics: report }, null, 2) + '\n');
  else process.stdout.write(`${model.path} (${meta.protocol} protocol, ${records.length} records, beats at reference positions)\n${formatClassReport(report)}`);
  return 0;
}

async function endToEnd(model: Model, values: { db?: string; from: string; 'window-ms': string; reference: string; json: boolean },
  records: string[], options: { minConfidence: number; batchSize: number }, meta: Record<string, unknown>): Promise<number> {
  const db = values.db!;
  const startS = parseTimeS(values.from);
  if (startS === null) throw new UsageError(`--from '${values.from}': expected a time as seconds, M:S or H:M:S (e.g. 0 or 5:0)`);
  const windowMs = Number(values['window-ms']);
  if (!(windowMs > 0)) throw new UsageError(`--window-ms '${values['window-ms']}': expected a positive number of milliseconds`);
  const evaluation = await evaluateRecords(records, async (record) => {
    const path = recordPath(db, record);
    const header = await readHeader(path);
    const reference = await readAnnotations(path, values.reference);
    const { beats } = await recordBeats(path);
    const labels = await labelBeats(model, beats, options);
    const test: EvalAnnotation[] = [];
    beats.forEach((b, i) => {
      if (test.length > 0 && b.sourceIndex <= test[test.length - 1].sample) return;
      test.push({ sample: b.sourceIndex, symbol: labels[i] });
    });
    return { fs: header.fs, lengthSamples: header.nsamp, reference, test };
  }, { startS, matchWindowS: windowMs / 1000 });
  if (values.json) {
    process.stdout.write(JSON.stringify({
      mode: 'classify', positions: 'detected', ...meta, fromS: startS, matchWindowMs: windowMs,
      records: evaluation.records.map((r) => ({ record: r.record, counts: r.counts, matrix: r.comparison.matrix, statistics: r.statistics })),
      summary: evaluation.summary,
    }, null, 2) + '\n');
  } else {
    process.stdout.write(formatLineReport(evaluation.records.map((r) => ({ record: r.record, matrix: r.comparison.matrix, rrErrorMs: r.comparison.rrErrorMs })), evaluation.summary));
  }
  return 0;
}
