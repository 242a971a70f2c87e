/**
 * The synthetic ECG as a serial device would deliver it: samples encoded into
 * our ADS1292 frame format (OursEncoder, with a device-info frame at the start
 * and once per second) and decoded again (OursDecoder), so `run`'s default path
 * exercises the same codec, counters and gap handling as a real bridge.
 *
 * Channel: the ECG goes on ADS1292 channel 2 and channel 1 is held at 0 mV,
 * as on the ADS1292R (channel 1 is its respiration channel) and as the serial
 * source's default `ecgChannel: 2` expects (and as `arrhythminet simulate` does).
 * Limits: the codec path is lossless here, so its counters only show loss when
 * something is broken; fault injection is the simulator's job.
 */
import { defer, map, mergeMap, type Observable } from 'rxjs';
import { OursDecoder, OursEncoder, SampleChunkAdapter, type Ads1292Settings, type DecoderCounters } from './ads1292/index.ts';
import { syntheticEcg$, type EctopicSpec, type StreamOptions, type SyntheticOptions } from './synthetic.ts';
import type { SampleChunk } from '../signal.ts';

/** ADS1292 channel (1-based) that carries the synthetic ECG. */
export const SYNTHETIC_ECG_CHANNEL = 2;

/** ECG settings of TI's evaluation module: gain 6, internal 2.42 V reference. */
export function syntheticSettings(fsHz: number): Ads1292Settings {
  return { fsHz, gain: [6, 6], vrefV: 2.42 };
}

export interface FramedSynthetic {
  chunks$: Observable<SampleChunk>;
  /** The decoder's counters of the current subscription. */
  counters(): Readonly<DecoderCounters> | null;
}

export function framedSyntheticEcg$(options: SyntheticOptions & { fs: number }, stream: StreamOptions): FramedSynthetic {
  let decoder: OursDecoder | null = null;
  const chunks$ = defer(() => {
    const settings = syntheticSettings(options.fs);
    const encoder = new OursEncoder({ settings, samplesPerFrame: 10, firmware: 'arrhythminet-synthetic' });
    const dec = new OursDecoder({ settings });
    decoder = dec;
    const adapter = new SampleChunkAdapter(SYNTHETIC_ECG_CHANNEL - 1);
    /** Wall-clock time of sample 0, from the source's first chunk. */
    let wall0: number | undefined;
    let encoded = 0;
    return syntheticEcg$(options, stream).pipe(
      map((chunk) => {
        wall0 ??= chunk.wallMs;
        const frames: Uint8Array[] = [];
        if (encoded === 0 || Math.floor(encoded / options.fs) !== Math.floor((encoded + chunk.mv.length) / options.fs)) {
          frames.push(...encoder.flush(), encoder.info());
        }
        const ch1 = new Float32Array(chunk.mv.length);
        frames.push(...encoder.push(ch1, chunk.mv, undefined, chunk.flags));
        encoded += chunk.mv.length;
        return frames;
      }),
      mergeMap((frames) => {
        const out: SampleChunk[] = [];
        for (const f of frames) {
          for (const ev of dec.push(f)) {
            const wallMs = wall0 === undefined || ev.kind === 'info' || ev.kind === 'reset' ? undefined : wall0 + (ev.start * 1000) / options.fs;
            const c = adapter.push(ev, wallMs);
            if (c) out.push(c);
          }
        }
        return out;
      }),
    );
  });
  return { chunks$, counters: () => decoder?.counters ?? null };
}

/**
 * Ectopic beats every `pvcEverySeconds` / `apcEverySeconds` (0: none) over
 * `durationSec`, merged in time order (the scheduler consumes them in order);
 * where both fall on the same second the PVC wins.
 */
export function periodicEctopics(pvcEverySeconds: number, apcEverySeconds: number, durationSec: number): EctopicSpec[] {
  const at = new Map<number, EctopicSpec>();
  const add = (kind: 'V' | 'A', every: number) => {
    if (!(every > 0)) return;
    for (let t = every; t < durationSec; t += every) {
      const key = Math.round(t * 1000);
      if (!at.has(key) || kind === 'V') at.set(key, { kind, atSec: t });
    }
  };
  add('A', apcEverySeconds);
  add('V', pvcEverySeconds);
  return [...at.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
}
