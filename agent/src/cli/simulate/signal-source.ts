/**
 * The ECG the simulator encodes, at the device rate: a WFDB record's MLII lead
 * (MITDB_PRIMARY_LEAD: MLII, else V5 for MIT-BIH 102 and 104) resampled from the
 * record's rate with the pipeline's anti-aliased polyphase resampler
 * (agent/src/dsp/resampler.ts; it holds back the record's last ~70 ms), or the
 * synthetic ECG generated at the device rate directly.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MITDB_PRIMARY_LEAD, readHeader, readSignal } from '../../sources/wfdb/index.ts';
import { UsageError } from '../errors.ts';
import { checkResamplerRate, resampler as makeResampler } from '../../dsp/resampler.ts';

export interface SignalSource {
  /** What it is, for the summary line. */
  label: string;
  /** Sample rate of the chunks, Hz (the device rate). */
  fs: number;
  /** Millivolt chunks; stops by itself at the end of a record. */
  chunks: AsyncIterable<Float32Array>;
}

/**
 * The record path for `--record R`: R as given (with or without .hea), else
 * $MITDB_DIR/R for a bare record name.
 */
export function resolveRecord(record: string): string {
  const base = record.endsWith('.hea') ? record.slice(0, -4) : record;
  if (existsSync(`${base}.hea`)) return base;
  const dir = process.env.MITDB_DIR;
  if (dir && !base.includes('/') && existsSync(join(dir, `${base}.hea`))) return join(dir, base);
  throw new UsageError(`--record ${record}: no header ${base}.hea${dir ? ` (nor in MITDB_DIR=${dir})` : ''}; give a record path such as ../shared/data/mitdb/100, or set MITDB_DIR`);
}

/** The record's primary lead, resampled to `fsOut`, in chunks of about `chunkSec`. */
export async function recordSource(record: string, fsOut: number, chunkSec: number): Promise<SignalSource> {
  const path = resolveRecord(record);
  const header = await readHeader(path);
  checkResamplerRate(header.fs, `${path}.hea`);
  const fsIn = header.fs;
  const resampler = makeResampler(fsIn, fsOut);
  const lead = MITDB_PRIMARY_LEAD.find((d) => header.signals.some((s) => s.description === d)) ?? header.signals[0]?.description;
  async function* chunks(): AsyncGenerator<Float32Array> {
    const reader = readSignal(path, {
      signal: lead === undefined ? 0 : [lead],
      chunkSamples: Math.max(1, Math.round(fsIn * chunkSec)),
      header,
    });
    for await (const c of reader) yield resampler.process(c).mv;
  }
  return { label: `record ${path} (${lead}, ${fsIn} Hz -> ${fsOut} Hz)`, fs: fsOut, chunks: chunks() };
}
