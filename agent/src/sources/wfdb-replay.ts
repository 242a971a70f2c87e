/**
 * A WFDB record replayed as a live source: chunks of 100 ms in real time, or
 * as fast as the consumer takes them ('fast': it waits on `ready()` between
 * chunks, so a slow classifier slows the reading instead of growing a queue).
 *
 * Wall-clock time: sample 0 is stamped with the time the replay started, later
 * samples at their record time after it (in 'fast' mode that runs ahead of the
 * real clock: the messages say when the beat happened in the record's own time line).
 * Real-time pacing follows the monotonic clock (performance.now), so a wall-clock
 * step neither stalls the replay nor releases the skipped signal at once; the
 * chunks' wall times stay sample 0's time plus the record time.
 * A second ECG lead (`signal2`: a name or index, 'auto' for the record's first
 * other signal, 'none') rides along in each chunk (SampleChunk.mv2) for
 * two-lead QRS detection (sources/wfdb/lead-pair.ts).
 * Limits: the record's own base date/time is not used.
 */
import { Observable } from 'rxjs';
import { chooseSecondLead, findSignal, readHeader, readLeads } from './wfdb/index.ts';
import { checkResamplerRate } from '../dsp/resampler.ts';
import type { SampleChunk } from '../signal.ts';

export interface WfdbReplayOptions {
  /** Record path without extension. */
  record: string;
  /** Signal name (e.g. MLII). */
  signal: string;
  /** Second lead: a signal name or 0-based index, 'auto' (the record's first other signal) or 'none'; default 'none'. */
  signal2?: string;
  speed: 'realtime' | 'fast';
  /** Stop after this much of the record, s; whole record when absent. */
  durationSec?: number;
  /** Resolves when the consumer can take another chunk (fast mode); default: at once. */
  ready?: () => Promise<void>;
  /** Wall clock, ms since the epoch, for sample 0's wall time; default Date.now. */
  now?: () => number;
  /** Monotonic clock, ms, that paces 'realtime'; default performance.now (a wall-clock step must not stall or rush the replay). */
  elapsedNow?: () => number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export function wfdbReplay$(o: WfdbReplayOptions): Observable<SampleChunk> {
  const now = o.now ?? Date.now;
  const elapsedNow = o.elapsedNow ?? (() => performance.now());
  return new Observable<SampleChunk>((sub) => {
    let stopped = false;
    void (async () => {
      const header = await readHeader(o.record);
      checkResamplerRate(header.fs, `${o.record}.hea`);
      const fs = header.fs;
      const to = o.durationSec === undefined ? undefined : Math.min(Math.round(o.durationSec * fs), header.nsamp ?? Infinity);
      const chunkSamples = Math.max(1, Math.round(fs / (o.speed === 'realtime' ? 10 : 1)));
      const t0 = now();
      const e0 = elapsedNow();
      const primary = findSignal(header, o.signal);
      const asked2 = o.signal2 ?? 'none';
      const second = asked2 === 'none' ? null : chooseSecondLead(header, primary, asked2 === 'auto' ? undefined : asked2);
      for await (const chunk of readLeads(o.record, { header, primary, second, chunkSamples, to })) {
        if (stopped) return;
        if (o.speed === 'realtime') {
          const dueMs = e0 + ((chunk.start + chunk.mv.length) * 1000) / fs - elapsedNow();
          if (dueMs > 0) await sleep(dueMs);
        } else {
          await (o.ready?.() ?? Promise.resolve());
          await yieldToLoop();
        }
        if (stopped) return;
        sub.next({ ...chunk, wallMs: t0 + (chunk.start * 1000) / fs });
      }
      sub.complete();
    })().catch((err) => sub.error(err));
    return () => { stopped = true; };
  });
}
