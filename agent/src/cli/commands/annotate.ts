/**
 * `arrhythminet annotate RECORD --out DIR [--annotator NAME] [--signal S] [--mains 50|60]`
 *
 * Runs THE pipeline (agent/src/pipeline.ts) over a WFDB record and writes an
 * MIT-format annotation file of every detected beat, sample numbers in the
 * record's own rate (the pipeline runs at the model rate and maps back), so
 * PhysioNet's bxb or `arrhythminet eval` compares it with the reference.
 * Beats are labelled Q (unclassified) unless --model FILE is given: then each
 * beat gets the model's label (N L R A V, or Q where it abstains or the signal
 * is bad; agent/src/model).
 * The lead: --signal (name or 0-based index), else MLII, else V5, else signal 0
 * (pipeline/record-beats.ts, shared with the other offline tools).
 */
import { mkdir } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { UsageError } from '../errors.ts';
import { recordBeats } from '../../pipeline/record-beats.ts';
import { AnnotationCode, recordPath, writeAnnotations } from '../../sources/wfdb/index.ts';
import { loadModel, type Model } from '../../model/load.ts';
import { labelBeats } from '../../model/classify-list.ts';
import { annotationCodeOf } from '../../model/beat-codes.ts';
import { requireRecords } from '../record-args.ts';

const synopsis = 'arrhythminet annotate RECORD --out DIR [--annotator NAME] [--signal NAME|INDEX] [--mains 50|60] [--model FILE]';
const usage = `${synopsis}

  RECORD            WFDB record path without extension (e.g. ../shared/data/mitdb/119)
  --out DIR         folder for DIR/<record>.<annotator> (created if need be)
  --annotator NAME  annotation file extension: letters, digits or _ (default qrs)
  --signal S        lead by name or 0-based index (default MLII, else V5, else 0)
  --mains 50|60     mains notch, Hz (default none)
  --model FILE      label each beat with this ONNX model (and its .card.json): N L R A V,
                    or Q where it abstains or the signal is bad; without it every beat is Q

Every beat the agent's pipeline detects is written at the record's own rate, so
PhysioNet's bxb or 'arrhythminet eval detect --test-annotator DIR/NAME' compares it
with the reference.`;

export interface AnnotateResult {
  path: string;
  beats: number;
  /** Beats whose signal quality says they must not be classified. */
  badBeats: number;
  /** Bad-signal spans reported by the pipeline. */
  spans: number;
  fs: number;
  /** Beats per label, when a model labelled them. */
  labels?: Record<string, number>;
}

/** Annotates `record` (path without extension) into `outDir`; the library entry of the command. */
export async function annotateRecord(record: string, outDir: string, options: {
  annotator?: string; signal?: string; mainsHz?: 50 | 60 | null; onProgress?: (fraction: number) => void; model?: Model;
} = {}): Promise<AnnotateResult> {
  const { header, beats, spans } = await recordBeats(record, {
    signal: options.signal, mainsHz: options.mainsHz ?? null, onProgress: options.onProgress,
  });
  const labels = options.model === undefined ? null : await labelBeats(options.model, beats);
  const counts: Record<string, number> = {};
  const annotations: { sample: number; code: number }[] = [];
  for (const [i, b] of beats.entries()) {
    // Two beats can round to one sample only at rates far below the model's; keep the first.
    if (annotations.length > 0 && b.sourceIndex <= annotations[annotations.length - 1].sample) continue;
    const label = labels === null ? 'Q' : labels[i];
    counts[label] = (counts[label] ?? 0) + 1;
    annotations.push({ sample: b.sourceIndex, code: labels === null ? AnnotationCode.UNKNOWN : annotationCodeOf(label) });
  }
  await mkdir(outDir, { recursive: true });
  const path = await writeAnnotations(recordPath(outDir, basename(record)), options.annotator ?? 'qrs', annotations);
  return {
    path, beats: annotations.length, badBeats: beats.filter((b) => b.quality !== 'good').length,
    spans: spans.length, fs: header.fs, ...(labels === null ? {} : { labels: counts }),
  };
}

export const annotateCommand: Command = {
  name: 'annotate',
  summary: 'write a WFDB annotation file of detected, labelled beats',
  usage,
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' }, annotator: { type: 'string' }, model: { type: 'string' },
      signal: { type: 'string' }, mains: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one RECORD (path without extension), got ${positionals.length}; usage: ${synopsis}`);
    if (values.out === undefined) throw new UsageError(`--out DIR is required; usage: ${synopsis}`);
    const annotator = values.annotator ?? 'qrs';
    if (!/^[A-Za-z0-9_]+$/.test(annotator)) throw new UsageError(`--annotator must be letters, digits or _, got '${annotator}'`);
    if (values.mains !== undefined && values.mains !== '50' && values.mains !== '60') {
      throw new UsageError(`--mains must be 50 or 60 (Hz), got '${values.mains}'`);
    }
    const model = values.model === undefined ? undefined : await loadModel(values.model);
    const tty = process.stderr.isTTY === true;
    let shown = -1;
    requireRecords([positionals[0]], 'RECORD');
    const result = await annotateRecord(positionals[0], values.out, {
      annotator, signal: values.signal, model, mainsHz: values.mains === undefined ? null : (Number(values.mains) as 50 | 60),
      onProgress: tty ? (f) => {
        const pct = Math.floor(f * 100);
        if (pct !== shown) { shown = pct; process.stderr.write(`\rannotating ${basename(positionals[0])}: ${pct}%`); }
      } : undefined,
    });
    if (tty) process.stderr.write('\n');
    await model?.release();
    const labelled = result.labels === undefined ? '' : `; labels ${Object.entries(result.labels).map(([l, n]) => `${l} ${n}`).join(', ')}`;
    process.stdout.write(`${result.path}: ${result.beats} beats at ${result.fs} Hz (${result.badBeats} not classifiable: bad signal or stream edge; ${result.spans} bad-signal spans${labelled})\n`);
    return 0;
  },
};
