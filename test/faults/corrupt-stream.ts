/**
 * A bridge's byte stream with corrupt stretches, for the serial fault tests:
 * the synthetic ECG (whose true R peaks are known) in our framed format, an
 * info frame a second, and in chosen stretches each frame passed through the
 * simulator's byte faults (drops and bit flips at a given rate) or buried in
 * garbage and a text banner. Records which data frames were altered, so a test
 * knows exactly which samples cannot be trusted.
 */
import { ByteFaults } from '../../agent/src/cli/simulate/faults.ts';
import { OursEncoder, type Ads1292Settings } from '../../agent/src/sources/ads1292/index.ts';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import { SyntheticEcg } from '../../agent/src/sources/synthetic.ts';
import type { SyntheticOptions } from '../../agent/src/sources/synthetic/options.ts';

export const FS = 500;
export const SAMPLES_PER_FRAME = 10;
export const settings: Ads1292Settings = { fsHz: FS, gain: [6, 6], vrefV: 2.42 };

export interface Stretch {
  /** Seconds of signal. */
  startS: number;
  endS: number;
  /** Per-byte drop and flip probability, or 'garbage': random bytes and a banner between frames. */
  fault: { dropRate: number; flipRate: number } | 'garbage';
}

export interface CorruptStream {
  bytes: Uint8Array;
  /** True R peaks, sample index at FS. */
  truthR: number[];
  /** Data frames altered by the faults, as [first sample, end sample) at FS. */
  altered: [number, number][];
  /** Bytes of garbage inserted, frames altered (data and info), bytes dropped and bits flipped. */
  injected: { garbageBytes: number; dataFramesAltered: number; infoFramesAltered: number; dropped: number; flipped: number };
}

/** `patient`: more synthetic options (pauses, ectopics) over a 75 bpm sinus rhythm. */
export function corruptStream(durationS: number, stretches: Stretch[], seed = 7, patient: SyntheticOptions = {}): CorruptStream {
  const ecg = new SyntheticEcg({ fs: FS, seed, hrMeanBpm: 75, ...patient });
  const chunk = ecg.next(durationS * FS);
  const enc = new OursEncoder({ settings, samplesPerFrame: SAMPLES_PER_FRAME });
  const random = mulberry32(seed + 1000);
  const parts: Uint8Array[] = [];
  const altered: [number, number][] = [];
  const injected = { garbageBytes: 0, dataFramesAltered: 0, infoFramesAltered: 0, dropped: 0, flipped: 0 };
  const faults = new Map(stretches.map((s, i) => [s, s.fault === 'garbage' ? null : new ByteFaults(s.fault.dropRate, s.fault.flipRate, seed + i)]));
  const stretchAt = (sample: number) => stretches.find((s) => sample >= s.startS * FS && sample < s.endS * FS);
  const emit = (frame: Uint8Array, first: number, isInfo: boolean) => {
    const s = stretchAt(first);
    const f = s ? faults.get(s) : null;
    if (s && s.fault === 'garbage') {
      const garbage = Uint8Array.from({ length: 40 + Math.floor(random() * 80) }, () => Math.floor(random() * 256));
      const banner = new TextEncoder().encode('\r\nADS1292R bridge v2 reboot...\r\n');
      parts.push(garbage, banner);
      injected.garbageBytes += garbage.length + banner.length;
      parts.push(frame);
      return;
    }
    if (!f) { parts.push(frame); return; }
    const [d0, f0] = [f.dropped, f.flipped];
    const out = f.apply(frame);
    injected.dropped += f.dropped - d0;
    injected.flipped += f.flipped - f0;
    if (f.dropped !== d0 || f.flipped !== f0) {
      if (isInfo) injected.infoFramesAltered++;
      else { injected.dataFramesAltered++; altered.push([first, first + SAMPLES_PER_FRAME]); }
    }
    parts.push(out);
  };
  for (let s = 0; s < durationS; s++) {
    emit(enc.info(), s * FS, true);
    const mv = chunk.mv.subarray(s * FS, (s + 1) * FS);
    enc.push(new Float32Array(mv.length), mv).forEach((frame, k) => emit(frame, s * FS + k * SAMPLES_PER_FRAME, false));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) { bytes.set(p, at); at += p.length; }
  return { bytes, truthR: chunk.beats.map((b) => b.rIndex), altered, injected };
}
