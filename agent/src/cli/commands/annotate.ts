/**
 * `arrhythminet annotate RECORD --out DIR [--annotator NAME] [--signal S] [--mains 50|60]`
 *
 * Runs THE pipeline (agent/src/pipeline.ts) over a WFDB record and writes an
 * MIT-format annotation file of every detected beat, sample numbers in the
 * record's own rate (the pipeline runs at the model rate and maps back), so
 * PhysioNet's bxb or `arrhythminet eval` compares it with the reference.
 * Beats are labelled Q (unclassified) until a model is given; --model is
 * accepted by the design but classification is not built yet (exit 2).
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

const usage = 'arrhythminet annotate RECORD --out DIR [--annotator NAME] [--signal NAME|INDEX] [--mains 50|60] [--model FILE]';

export interface AnnotateResult {
  path: string;
  beats: number;
  /** Beats whose signal quality says they must not be classified. */
  badBeats: number;
  /** Bad-signal spans reported by the pipeline. */
  spans: number;
  fs: number;
}

/** Annotates `record` (path without extension) into `outDir`; the library entry of the command. */
export async function annotateRecord(record: string, outDir: string, options: {
  annotator?: string; signal?: string; mainsHz?: 50 | 60 | null; onProgress?: (fraction: number) => void;
} = {}): Promise<AnnotateResult> {
  const { header, beats, spans } = await recordBeats(record, {
    signal: options.signal, mainsHz: options.mainsHz ?? null, onProgress: options.onProgress,
  });
  const annotations: { sample: number; code: number }[] = [];
  for (const b of beats) {
    // Two beats can round to one sample only at rates far below the model's; keep the first.
    if (annotations.length > 0 && b.sourceIndex <= annotations[annotations.length - 1].sample) continue;
    annotations.push({ sample: b.sourceIndex, code: AnnotationCode.UNKNOWN });
  }
  await mkdir(outDir, { recursive: true });
  const path = await writeAnnotations(recordPath(outDir, basename(record)), options.annotator ?? 'qrs', annotations);
  return {
    path, beats: annotations.length, badBeats: beats.filter((b) => b.quality !== 'good').length,
    spans: spans.length, fs: header.fs,
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
    if (positionals.length !== 1) throw new UsageError(`expected one RECORD (path without extension), got ${positionals.length}; usage: ${usage}`);
    if (values.out === undefined) throw new UsageError(`--out DIR is required; usage: ${usage}`);
    const annotator = values.annotator ?? 'qrs';
    if (!/^[A-Za-z0-9_]+$/.test(annotator)) throw new UsageError(`--annotator must be letters, digits or _, got '${annotator}'`);
    if (values.mains !== undefined && values.mains !== '50' && values.mains !== '60') {
      throw new UsageError(`--mains must be 50 or 60 (Hz), got '${values.mains}'`);
    }
    if (values.model !== undefined) throw new UsageError('--model: beat classification is not built yet (issue 4); omit it to write unclassified (Q) beats');
    const tty = process.stderr.isTTY === true;
    let shown = -1;
    const result = await annotateRecord(positionals[0], values.out, {
      annotator, signal: values.signal, mainsHz: values.mains === undefined ? null : (Number(values.mains) as 50 | 60),
      onProgress: tty ? (f) => {
        const pct = Math.floor(f * 100);
        if (pct !== shown) { shown = pct; process.stderr.write(`\rannotating ${basename(positionals[0])}: ${pct}%`); }
      } : undefined,
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(`${result.path}: ${result.beats} beats at ${result.fs} Hz (${result.badBeats} not classifiable: bad signal or stream edge; ${result.spans} bad-signal spans)\n`);
    return 0;
  },
};
