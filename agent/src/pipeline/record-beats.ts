/**
 * THE pipeline over a whole WFDB record: the one entry for the offline tools
 * (annotate, eval detect --run-detector, bench), so they all run the same path
 * as the live agent. The lead: `signal` (name or 0-based index), else MLII,
 * else V5 (MIT-BIH records 102 and 104), else signal 0; with `leads` 2 (the
 * default) the detector also gets a second lead: `signal2`, else the record's
 * other signal (sources/wfdb/lead-pair.ts), when it has one.
 */
import { from, lastValueFrom, takeWhile, tap, toArray } from 'rxjs';
import { beatPipeline, type Beat, type PipelineOptions, type SignalSpan } from '../pipeline.ts';
import { choosePrimaryLead, chooseSecondLead, readHeader, readLeads, type WfdbHeader } from '../sources/wfdb/index.ts';
import { checkResamplerRate } from '../dsp/resampler.ts';

export interface RecordBeats {
  header: WfdbHeader;
  /** Index of the signal that was read. */
  signal: number;
  /** Index of the second lead the detector used; null: one-lead detection. */
  signal2: number | null;
  beats: Beat[];
  spans: SignalSpan[];
}

export interface RecordBeatsOptions extends PipelineOptions {
  /** Signal name or 0-based index ('0', 'MLII'); default MLII, else V5, else 0. */
  signal?: string;
  /** Second lead for the detector (name or 0-based index); default: the record's other signal. Ignored with `leads: 1`. */
  signal2?: string;
  /** Called with the fraction of the record read so far. */
  onProgress?: (fraction: number) => void;
  /** Stop reading once this is true of a beat (that beat included): the pipeline is causal, so the beats before are the same. */
  stopAfter?: (beat: Beat) => boolean;
}

/** Runs the pipeline over `record` (path without extension). */
export async function recordBeats(record: string, options: RecordBeatsOptions = {}): Promise<RecordBeats> {
  const { signal: asked, signal2: asked2, onProgress, stopAfter, ...pipeline } = options;
  const header = await readHeader(record);
  checkResamplerRate(header.fs, `${record}.hea`);
  const signal = choosePrimaryLead(header, asked);
  const signal2 = pipeline.leads === 1 ? null : chooseSecondLead(header, signal, asked2);
  const total = header.nsamp ?? 0;
  const out = await lastValueFrom(from(readLeads(record, { header, primary: signal, second: signal2, chunkSamples: 8192 })).pipe(
    tap((c) => { if (total > 0) onProgress?.((c.start + c.mv.length) / total); }),
    beatPipeline(pipeline),
    takeWhile((r) => stopAfter === undefined || r.kind !== 'beat' || !stopAfter(r), true),
    toArray(),
  ));
  return {
    header, signal, signal2,
    beats: out.filter((r): r is Beat => r.kind === 'beat'),
    spans: out.filter((r): r is SignalSpan => r.kind === 'bad-signal'),
  };
}
