/**
 * `arrhythminet eval detect`: EC57 beat-by-beat evaluation of a set of test
 * annotations against a database's reference annotations, printed as bxb's
 * `-L` lines with sumstats' totals (or JSON). `eval classify` will share the
 * same path (agent/src/eval/evaluate.ts) with the classifier's labels.
 *
 * The test beats come from an annotation file per record (`--annotator EXT`
 * [--annotations-dir DIR], or `--test-annotator DIR/EXT`), or, with
 * `--run-detector`, from the project's detector through the pipeline.
 */
import { basename, dirname } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import { parseCommandArgs } from '../args.ts';
import { listRecords, readAnnotations, readHeader, recordPath } from '../../sources/wfdb/index.ts';
import type { EvalAnnotation } from '../../eval/beat-match.ts';
import { evaluateRecords, parseTimeS, type Evaluation, type RecordAnnotations } from '../../eval/evaluate.ts';
import { formatLineReport } from '../../eval/bxb-report.ts';
import { recordBeats } from '../../pipeline/record-beats.ts';
import type { DetectionLeads } from '../../pipeline.ts';
import { CLASSIFY_USAGE, evalClassify } from './eval-classify.ts';
import { evalNoise, NOISE_USAGE } from './eval-noise.ts';
import { requireRecords } from '../record-args.ts';

const USAGE = [
  'arrhythminet eval detect|classify --db DIR [--records 100,101,...] [--json]',
  '  detect: (--annotator EXT [--annotations-dir DIR] | --test-annotator DIR/EXT | --run-detector)',
  '          [--reference atr] [--from 5:0] [--window-ms 150] [--leads 2]',
  CLASSIFY_USAGE,
  NOISE_USAGE,
  '',
  '  --db DIR             WFDB database: headers and reference annotations (RECORDS lists the records)',
  '  --records LIST       comma-separated record names (default: all of DIR/RECORDS)',
  '  --reference EXT      reference annotator (default atr)',
  '  --annotator EXT      test annotator: the files RECORD.EXT in --annotations-dir (default: --db)',
  '  --test-annotator P   the same as DIR/EXT in one argument',
  '  --run-detector       run the project\'s detector (the pipeline) on each record instead',
  '  --leads 1|2          with --run-detector: 2 (default) detects on the primary lead (MLII) and the record\'s other signal, 1 on the primary alone',
  '  --from TIME          start of the comparison: seconds, M:S or H:M:S (default 5:0, the EC57 rule; 0: whole record)',
  '  --window-ms MS       match window (default 150, the EC57 rule)',
  '  --json               print the results as JSON instead of bxb -L lines and sumstats totals',
].join('\n');

const OPTIONS = {
  db: { type: 'string' },
  records: { type: 'string' },
  reference: { type: 'string', default: 'atr' },
  annotator: { type: 'string' },
  'annotations-dir': { type: 'string' },
  'test-annotator': { type: 'string' },
  'run-detector': { type: 'boolean', default: false },
  from: { type: 'string', default: '5:0' },
  'window-ms': { type: 'string', default: '150' },
  json: { type: 'boolean', default: false },
  leads: { type: 'string', default: '2' },
} as const;

/** Where each record's test beats come from. */
type TestSource = { kind: 'files'; dir: string; annotator: string } | { kind: 'detector'; beats: BeatSource };

/** Beats of one record as test annotations, at the record's rate. */
type BeatSource = (recordPath: string) => Promise<EvalAnnotation[]>;

/**
 * The project's own detector: the pipeline over the record's primary lead
 * (pipeline/record-beats.ts), its beats at the record's rate, unclassified (Q),
 * exactly as `arrhythminet annotate` writes them, so evaluating an annotate
 * file and evaluating with --run-detector give the same numbers.
 */
const detectorBeats = (leads: DetectionLeads): BeatSource => async (path) => {
  const { beats } = await recordBeats(path, { leads });
  const out: EvalAnnotation[] = [];
  for (const b of beats) {
    // As annotate: two beats that round to one source sample keep the first.
    if (out.length > 0 && b.sourceIndex <= out[out.length - 1].sample) continue;
    out.push({ sample: b.sourceIndex, symbol: 'Q' });
  }
  return out;
};

function testSourceOf(values: { annotator?: string; 'annotations-dir'?: string; 'test-annotator'?: string;
  'run-detector': boolean; leads: string }, db: string): TestSource {
  const chosen = [values.annotator !== undefined || values['annotations-dir'] !== undefined,
    values['test-annotator'] !== undefined, values['run-detector']].filter(Boolean).length;
  if (chosen !== 1) {
    throw new UsageError('give exactly one source of test beats: --annotator EXT [--annotations-dir DIR], --test-annotator DIR/EXT, or --run-detector');
  }
  if (values['run-detector']) return { kind: 'detector', beats: detectorBeats(parseLeads(values.leads)) };
  if (values['test-annotator'] !== undefined) {
    const p = values['test-annotator'];
    if (!p.includes('/') || basename(p) === '') throw new UsageError(`--test-annotator '${p}': expected DIR/EXT, e.g. ../shared/data/mitdb-ec57/gqrs/qrs`);
    return { kind: 'files', dir: dirname(p), annotator: basename(p) };
  }
  if (values.annotator === undefined) throw new UsageError('--annotations-dir needs --annotator EXT (the test annotation file extension)');
  return { kind: 'files', dir: values['annotations-dir'] ?? db, annotator: values.annotator };
}

/** `--leads`: 1 or 2. */
export function parseLeads(text: string): DetectionLeads {
  if (text !== '1' && text !== '2') throw new UsageError(`--leads '${text}': expected 1 (primary lead only) or 2 (primary and second lead)`);
  return text === '1' ? 1 : 2;
}

/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
function progress(): { update(done: number, total: number, record: string): void; end(): void } {
  if (!process.stderr.isTTY) return { update() {}, end() {} };
  return {
    update(done, total, record) {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${record}   `);
    },
    end() { process.stderr.write('\r\x1b[K'); },
  };
}

function toJson(e: Evaluation, meta: Record<string, unknown>): string {
  return JSON.stringify({
    ...meta,
    records: e.records.map((r) => ({
      record: r.record,
      counts: r.counts,
      matrix: r.comparison.matrix,
      statistics: r.statistics,
      rrErrorMs: r.comparison.rrErrorMs,
      shutdownS: r.comparison.shutdownS,
    })),
    summary: e.summary,
  }, null, 2);
}

async function detect(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'\n${USAGE}`);
  if (values.db === undefined) throw new UsageError(`--db DIR is required\n${USAGE}`);
  const db = values.db;
  const source = testSourceOf(values, db);
  const startS = parseTimeS(values.from);
  if (startS === null) throw new UsageError(`--from '${values.from}': expected a time as seconds, M:S or H:M:S (e.g. 0 or 5:0)`);
  const windowMs = Number(values['window-ms']);
  if (!(windowMs > 0)) throw new UsageError(`--window-ms '${values['window-ms']}': expected a positive number of milliseconds`);
  const records = values.records !== undefined
    ? values.records.split(',').map((r) => r.trim()).filter((r) => r !== '')
    : await listRecords(db);
  if (records.length === 0) throw new UsageError('no records to evaluate (--records is empty)');
  requireRecords(records.map((r) => recordPath(db, r)), '--records');

  const load = async (record: string): Promise<RecordAnnotations> => {
    const path = recordPath(db, record);
    const header = await readHeader(path);
    const reference = await readAnnotations(path, values.reference);
    const test = source.kind === 'files'
      ? await readAnnotations(recordPath(source.dir, record), source.annotator)
      : await source.beats(path);
    return { fs: header.fs, lengthSamples: header.nsamp, reference, test };
  };
  const bar = progress();
  let evaluation: Evaluation;
  try {
    evaluation = await evaluateRecords(records, load, { startS, matchWindowS: windowMs / 1000 }, bar.update);
  } finally {
    bar.end();
  }

  if (values.json) {
    process.stdout.write(toJson(evaluation, {
      mode: 'detect', db, reference: values.reference,
      test: source.kind === 'files' ? `${source.dir}/*.${source.annotator}` : 'detector',
      ...(source.kind === 'detector' ? { leads: parseLeads(values.leads) } : {}),
      fromS: startS, matchWindowMs: windowMs,
    }) + '\n');
  } else {
    const lines = evaluation.records.map((r) => ({ record: r.record, matrix: r.comparison.matrix, rrErrorMs: r.comparison.rrErrorMs }));
    process.stdout.write(formatLineReport(lines, evaluation.summary));
  }
  return 0;
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'EC57 evaluation of detection (bxb beat-by-beat) or classification',
  usage: USAGE,
  async run(args) {
    const [mode, ...rest] = args;
    if (mode === 'detect') return detect(rest);
    if (mode === 'noise') return evalNoise(rest);
    // Classification shares evaluateRecords() end to end: VEB and SVEB statistics come from the labels.
    if (mode === 'classify') return evalClassify(rest, USAGE);
    throw new UsageError(`expected 'detect' or 'classify', got ${mode === undefined ? 'nothing' : `'${mode}'`}\n${USAGE}`);
  },
};
