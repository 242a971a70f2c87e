/**
 * A serial ADS1292 bridge as a source of SampleChunks: SerialSource (reconnect)
 * -> a wire decoder (ours or OpenView) -> one channel, with the sample clock
 * kept aligned to wall-clock time across an unplug.
 *
 * Unplug: while the port is not delivering (closed, waiting to reopen) the
 * wall-clock hole is filled with GAP-flagged placeholder samples, every
 * `fillEveryMs`, and once more when data resumes. So the sample index, the
 * pipeline's clock, keeps counting elapsed time: the quality stage reports the
 * hole as bad signal ('gap'), the rhythm rules end any run, pattern or pause at
 * the hole instead of joining beats across it, and beats after the hole carry
 * true times. A fresh decoder is made per connection (a re-plugged bridge
 * restarts its sequence numbers; the old decoder would call that a reset, with
 * the lost time unknown), its indices shifted to follow the placeholders.
 * Limits: the hole's size is measured with the host's monotonic clock at the
 * time data is handled (ms jitter; wall-clock steps do not count); while the
 * port is open but silent (before the serial source's silence timeout), or
 * delivers only corrupt frames, nothing is filled.
 */
import { Observable } from 'rxjs';
import {
  OpenViewDecoder, OursDecoder, SampleChunkAdapter, zeroCounters, type DecoderCounters, type FrameDecoder,
} from './ads1292/index.ts';
import { serialBytes, type SerialSourceOptions, type SerialStateChange } from './serial.ts';
import { SampleFlag, type SampleChunk } from '../signal.ts';
import type { SerialSourceConfig } from '../config/types.ts';

/**
 * Longest wait between reopen attempts, ms: a re-plugged bridge is picked up
 * within about this long (the serial source's own cap, 10 s, is too slow at a bedside).
 */
export const MAX_BACKOFF_MS = 1000;

export interface SerialChunkCounters extends DecoderCounters {
  /** Times the port (re)opened. */
  opens: number;
  /** Placeholder samples inserted for wall-clock holes (unplugs). */
  holeSamples: number;
}

export interface SerialChunksOptions {
  /** Serial source options beyond path and baud (binding, backoff, silence timeout). */
  serial?: Omit<SerialSourceOptions, 'path' | 'baudRate'>;
  onState?: (s: SerialStateChange) => void;
  /** How often the hole is filled while the device is away, ms. Default 500. */
  fillEveryMs?: number;
  /** Wall clock, ms since the epoch, for the chunks' wallMs. Default Date.now. */
  now?: () => number;
  /**
   * Monotonic clock, ms, that measures holes. Default performance.now: a wall-clock
   * step (NTP, RTC) during an unplug must neither make an hour of placeholders nor hide the hole.
   */
  elapsedNow?: () => number;
}

export interface SerialChunks {
  chunks$: Observable<SampleChunk>;
  counters(): SerialChunkCounters;
}

function makeDecoder(c: SerialSourceConfig): FrameDecoder {
  if (c.format === 'openview') return new OpenViewDecoder({ layout: c.openviewLayout });
  return new OursDecoder({ settings: { fsHz: c.rateHz, gain: [c.gain, c.gain], vrefV: c.vrefV } });
}

function addCounters(into: DecoderCounters, from: Readonly<DecoderCounters>): void {
  for (const k of Object.keys(into) as (keyof DecoderCounters)[]) into[k] += from[k];
}

export function serialChunks(config: SerialSourceConfig, options: SerialChunksOptions = {}): SerialChunks {
  const now = options.now ?? Date.now;
  const elapsedNow = options.elapsedNow ?? (() => performance.now());
  const fillEveryMs = options.fillEveryMs ?? 500;
  /** Counters of decoders of earlier connections. */
  const retired = zeroCounters();
  let decoder: FrameDecoder | null = null;
  const extra = { opens: 0, holeSamples: 0 };

  const chunks$ = new Observable<SampleChunk>((sub) => {
    // OpenView carries one channel (the ECG); ours carries two.
    const channel = config.format === 'openview' ? 0 : config.ecgChannel - 1;
    let adapter = new SampleChunkAdapter(channel);
    /** Sample index of the next sample to emit, and its wall-clock time (ms), once data has flowed. */
    let nextIndex = 0;
    let nextWallMs: number | null = null;
    /** The monotonic clock's reading for the next sample (set with nextWallMs). */
    let nextElapsedMs = 0;
    let fs = config.rateHz;
    let lastMv = 0;
    /** Offset added to the current decoder's indices. */
    let offset = 0;
    let open = false;
    /** True until the current connection's first samples. */
    let fresh = true;

    const fillHole = () => {
      if (nextWallMs === null) return;
      const n = Math.floor(((elapsedNow() - nextElapsedMs) * fs) / 1000);
      if (n <= 0) return;
      sub.next({
        start: nextIndex, fs, mv: new Float32Array(n).fill(lastMv), flags: new Uint8Array(n).fill(SampleFlag.GAP), wallMs: nextWallMs,
      });
      extra.holeSamples += n;
      nextIndex += n;
      nextWallMs += (n * 1000) / fs;
      nextElapsedMs += (n * 1000) / fs;
    };

    const onState = (s: SerialStateChange) => {
      if (s.state === 'open') {
        if (decoder) addCounters(retired, decoder.counters);
        decoder = makeDecoder(config);
        adapter = new SampleChunkAdapter(channel);
        extra.opens++;
        open = true;
        fresh = true;
      } else {
        open = false;
      }
      options.onState?.(s);
    };

    const timer = setInterval(() => {
      decoder?.poll();
      if (!open) fillHole();
    }, fillEveryMs);

    const bytes = serialBytes({ maxBackoffMs: MAX_BACKOFF_MS, ...options.serial, path: config.path, baudRate: config.baud }, onState).subscribe({
      next: (b) => {
        if (!decoder) return;
        for (const ev of decoder.push(b)) {
          if (ev.kind !== 'samples' && ev.kind !== 'gap') continue;
          if (fresh) {
            fillHole();
            offset = nextIndex - ev.start;
            fresh = false;
          }
          const t = now();
          const c = adapter.push(ev, t);
          if (!c) continue;
          fs = c.fs;
          c.start += offset;
          nextIndex = c.start + c.mv.length;
          nextWallMs = t;
          nextElapsedMs = elapsedNow();
          if (c.mv.length > 0 && !(c.flags && c.flags[c.flags.length - 1] & SampleFlag.GAP)) lastMv = c.mv[c.mv.length - 1];
          sub.next(c);
        }
      },
      error: (err) => sub.error(err),
      complete: () => sub.complete(),
    });
    return () => {
      clearInterval(timer);
      bytes.unsubscribe();
    };
  });

  return {
    chunks$,
    counters: () => {
      const total = { ...retired };
      if (decoder) addCounters(total, decoder.counters);
      return { ...total, ...extra };
    },
  };
}
