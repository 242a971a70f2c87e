/**
 * THE pipeline over a whole WFDB record: the one entry for the offline tools
 * (annotate, eval detect --run-detector, bench), so they all run the same path
 * as the live agent. The lead: `signal` (name or 0-based index), else MLII,
 * else V5 (MIT-BIH records 102 and 104), else signal 0.
 */
import { from, lastValueFrom, takeWhile, tap, toArray } from 'rxjs';
import { beatPipeline, type Beat, type PipelineOptions, type SignalSpan } from '../pipeline.ts';
import { findSignal, MITDB_PRIMARY_LEAD, readHeader, readSignal, type WfdbHeader } from '../sources/wfdb/index.ts';

export interface RecordBeats {
  header: WfdbHeader;
  /** Index of the signal that was read. */
  signal: number;
  beats: Beat[];
  spans: SignalSpan[];
}

export interface RecordBeatsOptions extends PipelineOptions {
  /** Signal name or 0-based index ('0', 'MLII'); default MLII, else V5, else 0. */
  signal?: string;
  /** Called with the fraction of the record read so far. */
  onProgress?: (fraction: number) => void;
  /** Stop reading once this is true of a beat (that beat included): the pipeline is causal, so the beats before are the same. */
  stopAfter?: (beat: Beat) => boolean;
}

function chooseSignal(header: WfdbHeader, asked: string | undefined): number {
  if (asked !== undefined) return findSignal(header, /^\d+$/.test(asked) ? Number(asked) : asked);
  try {
    return findSignal(header, MITDB_PRIMARY_LEAD);
  } catch {
    return 0;
  }
}

/** Runs the pipeline over `record` (path without extension). */
export async function recordBeats(record: string, options: RecordBeatsOptions = {}): Promise<RecordBeats> {
  const { signal: asked, onProgress, stopAfter, ...pipeline } = options;
  const header = await readHeader(record);
  const signal = chooseSignal(header, asked);
  const total = header.nsamp ?? 0;
  const out = await lastValueFrom(from(readSignal(record, { header, signal, chunkSamples: 8192 })).pipe(
    tap((c) => { if (total > 0) onProgress?.((c.start + c.mv.length) / total); }),
    beatPipeline(pipeline),
    takeWhile((r) => stopAfter === undefined || r.kind !== 'beat' || !stopAfter(r), true),
    toArray(),
  ));
  return {
    header, signal,
    beats: out.filter((r): r is Beat => r.kind === 'beat'),
    spans: out.filter((r): r is SignalSpan => r.kind === 'bad-signal'),
  };
}
