/**
 * A serial ADS1292 bridge as a source of SampleChunks: SerialSource (reconnect)
 * -> a wire decoder (ours or OpenView) -> one channel, with the sample clock
 * kept aligned to elapsed time across an unplug or a garbled line.
 *
 * Unplug: while the port is not delivering (closed, waiting to reopen) the
 * hole is filled with GAP-flagged placeholder samples, every `fillEveryMs`, and
 * once more when data resumes. So the sample index, the pipeline's clock, keeps
 * counting elapsed time: the quality stage reports the hole as bad signal
 * ('gap'), the rhythm rules end any run, pattern or pause at the hole instead of
 * joining beats across it, and beats after the hole carry true times. A fresh
 * decoder is made per connection (a re-plugged bridge restarts its sequence
 * numbers; the old decoder would call that a reset, with the lost time
 * unknown), its indices shifted to follow the placeholders.
 *
 * Garbled line: bytes keep arriving but the decoder rejects them (no sample or
 * decoder gap for `garbledAfterMs`, one quality block): the same placeholders,
 * counted apart, take the same path (a 'gap' poor-signal episode), so a line
 * of noise is reported while it lasts, not only in the counters. When frames
 * come back the decoder's own gap for the stretch is trimmed to what the
 * placeholders did not already cover, and when the decoder's gap is shorter
 * than the placeholders (a corrupt frame never becomes a sample; the host's
 * timing is not the device's) later samples are shifted to follow them, so
 * indices never go back.
 *
 * Limits: holes are measured with the host's monotonic clock at the time data
 * is handled (ms jitter; wall-clock steps do not count); the sample clock can
 * run a few ms ahead of the device's after each garbled stretch or unplug; the
 * decoder's samplesLost and the garbled placeholders may count the same
 * stretch. While the port is open but silent (before the serial source's
 * silence timeout) nothing is filled.
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
  /** Placeholder samples inserted for holes (unplugs). */
  holeSamples: number;
  /** Placeholder samples inserted while the line delivered bytes but no valid frame. */
  garbledSamples: number;
}

export interface SerialChunksOptions {
  /** Serial source options beyond path and baud (binding, backoff, silence timeout). */
  serial?: Omit<SerialSourceOptions, 'path' | 'baudRate'>;
  onState?: (s: SerialStateChange) => void;
  /** How often the hole is filled while the device is away or the line garbled, ms. Default 500. */
  fillEveryMs?: number;
  /** Bytes arriving without a sample for this long, ms, are a garbled line. Default 1000 (a quality block). */
  garbledAfterMs?: number;
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

/** Partial frames time out on `now`, the monotonic clock: a wall-clock step must not cut a frame in flight. */
function makeDecoder(c: SerialSourceConfig, now: () => number): FrameDecoder {
  if (c.format === 'openview') return new OpenViewDecoder({ layout: c.openviewLayout, now });
  return new OursDecoder({ settings: { fsHz: c.rateHz, gain: [c.gain, c.gain], vrefV: c.vrefV }, now });
}

/** Bytes the decoder has refused so far (skipped as noise, or in a rejected frame). */
const rejected = (d: FrameDecoder | null): number => (d ? d.counters.bytesSkipped + d.counters.framesCorrupt : 0);

function addCounters(into: DecoderCounters, from: Readonly<DecoderCounters>): void {
  for (const k of Object.keys(into) as (keyof DecoderCounters)[]) into[k] += from[k];
}

export function serialChunks(config: SerialSourceConfig, options: SerialChunksOptions = {}): SerialChunks {
  const now = options.now ?? Date.now;
  const elapsedNow = options.elapsedNow ?? (() => performance.now());
  const fillEveryMs = options.fillEveryMs ?? 500;
  const garbledAfterMs = options.garbledAfterMs ?? 1000;
  /** Counters of decoders of earlier connections. */
  const retired = zeroCounters();
  let decoder: FrameDecoder | null = null;
  const extra = { opens: 0, holeSamples: 0, garbledSamples: 0 };

  const chunks$ = new Observable<SampleChunk>((sub) => {
    // OpenView carries one channel (the ECG); ours carries two.
    const channel = config.format === 'openview' ? 0 : config.ecgChannel - 1;
    // A second ECG channel (two-lead detection) only in our format; config validation says so.
    const channel2 = config.format === 'ours' && config.secondEcgChannel != null ? config.secondEcgChannel - 1 : null;
    let adapter = new SampleChunkAdapter(channel, channel2);
    /** Sample index of the next sample to emit, and its wall-clock time (ms), once the clock has started. */
    let nextIndex = 0;
    let nextWallMs: number | null = null;
    /** The monotonic clock's reading for the next sample (set with nextWallMs). */
    let nextElapsedMs = 0;
    let fs = config.rateHz;
    let lastMv = 0;
    let lastMv2 = 0;
    /** Offset added to the current decoder's indices. */
    let offset = 0;
    let open = false;
    /** True until the current connection's first samples. */
    let fresh = true;
    /** Monotonic time of the last sample or decoder gap, or of this connection's first byte; null before it. */
    let goodAtMs: number | null = null;
    /** Monotonic time of the last byte received. */
    let byteAtMs: number | null = null;
    /** rejected(decoder) at the last sample or decoder gap. */
    let rejectedAtGood = 0;
    /** Placeholders stood for a garbled line since the last samples (counted as such when data resumes). */
    let garbling = false;

    /** Placeholders from the next sample up to the monotonic time `untilMs`. */
    const fill = (untilMs: number, kind: 'holeSamples' | 'garbledSamples') => {
      if (nextWallMs === null) return;
      const n = Math.floor(((untilMs - nextElapsedMs) * fs) / 1000);
      if (n <= 0) return;
      const c: SampleChunk = {
        start: nextIndex, fs, mv: new Float32Array(n).fill(lastMv), flags: new Uint8Array(n).fill(SampleFlag.GAP), wallMs: nextWallMs,
      };
      if (channel2 !== null) { c.mv2 = new Float32Array(n).fill(lastMv2); c.flags2 = new Uint8Array(n).fill(SampleFlag.GAP); }
      sub.next(c);
      extra[kind] += n;
      nextIndex += n;
      nextWallMs += (n * 1000) / fs;
      nextElapsedMs += (n * 1000) / fs;
    };

    /** Bytes keep coming, the decoder refuses them, and no sample for a block: fill with placeholders. */
    const fillIfGarbled = () => {
      const t = elapsedNow();
      if (!open || goodAtMs === null || byteAtMs === null || rejected(decoder) === rejectedAtGood) return;
      if (t - goodAtMs < garbledAfterMs || t - byteAtMs >= garbledAfterMs) return;
      if (nextWallMs === null) {
        // Nothing decoded yet: the sample clock starts with the first byte.
        nextElapsedMs = goodAtMs;
        nextWallMs = now() - (t - goodAtMs);
      }
      // On a fresh connection the time before its first byte is the unplug's hole.
      if (fresh && !garbling) fill(goodAtMs, 'holeSamples');
      fill(t, 'garbledSamples');
      garbling = true;
    };

    const onState = (s: SerialStateChange) => {
      if (s.state === 'open') {
        if (decoder) addCounters(retired, decoder.counters);
        decoder = makeDecoder(config, elapsedNow);
        adapter = new SampleChunkAdapter(channel, channel2);
        extra.opens++;
        open = true;
        fresh = true;
        goodAtMs = byteAtMs = null;
        rejectedAtGood = 0;
      } else {
        open = false;
      }
      options.onState?.(s);
    };

    const timer = setInterval(() => {
      decoder?.poll();
      if (!open) fill(elapsedNow(), 'holeSamples');
      else fillIfGarbled();
    }, fillEveryMs);

    const bytes = serialBytes({ maxBackoffMs: MAX_BACKOFF_MS, ...options.serial, path: config.path, baudRate: config.baud }, onState).subscribe({
      next: (b) => {
        if (!decoder) return;
        byteAtMs = elapsedNow();
        goodAtMs ??= byteAtMs;
        for (const ev of decoder.push(b)) {
          if (ev.kind !== 'samples' && ev.kind !== 'gap') continue;
          goodAtMs = elapsedNow();
          rejectedAtGood = rejected(decoder);
          if (fresh) {
            fill(elapsedNow(), garbling ? 'garbledSamples' : 'holeSamples');
            offset = nextIndex - ev.start;
            fresh = false;
          }
          garbling = false;
          const t = now();
          const c = adapter.push(ev, t);
          if (!c) continue;
          fs = c.fs;
          c.start += offset;
          const covered = nextIndex - c.start;
          if (covered > 0) {
            // Placeholders for a garbled line already stand for these indices.
            if (ev.kind === 'gap') {
              if (covered >= c.mv.length) continue;
              c.mv = c.mv.subarray(covered);
              c.flags = c.flags?.subarray(covered);
              c.mv2 = c.mv2?.subarray(covered);
              c.flags2 = c.flags2?.subarray(covered);
            } else {
              offset += covered;
            }
            c.start = nextIndex;
          }
          nextIndex = c.start + c.mv.length;
          nextWallMs = t;
          nextElapsedMs = elapsedNow();
          if (c.mv.length > 0 && !(c.flags && c.flags[c.flags.length - 1] & SampleFlag.GAP)) lastMv = c.mv[c.mv.length - 1];
          if (c.mv2 !== undefined && c.mv2.length > 0 && !(c.flags2 && c.flags2[c.flags2.length - 1] & SampleFlag.GAP)) lastMv2 = c.mv2[c.mv2.length - 1];
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
