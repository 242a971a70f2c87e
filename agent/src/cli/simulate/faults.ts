/**
 * Fault injection for `arrhythminet simulate`: what a bad cable or electrode
 * does to the stream, reproducibly (seeded).
 *  - byte faults, applied to the encoded bytes: each byte dropped with
 *    probability `dropRate`, and each surviving byte given one flipped bit with
 *    probability `flipRate` (a noisy UART);
 *  - sample faults, applied before encoding as SampleFlags, so the encoder
 *    reports them the way the ADS1292 would: lead-off and saturation intervals,
 *    in seconds from the stream start.
 */
import { SampleFlag } from '../../signal.ts';
import { mulberry32 } from '../../sources/synthetic/prng.ts';

/** A [startSec, startSec + durationSec) interval. */
export interface Interval {
  startSec: number;
  durationSec: number;
}

/** Parses 'START:DURATION' in seconds; throws naming `option` and the expected form. */
export function parseInterval(option: string, text: string): Interval {
  const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m || !(Number(m[2]) > 0)) {
    throw new RangeError(`${option} is '${text}'; expected START:DURATION in seconds, e.g. 10:2.5 (duration > 0)`);
  }
  return { startSec: Number(m[1]), durationSec: Number(m[2]) };
}

/** Parses a probability 0..1; throws naming `option`. */
export function parseRate(option: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new RangeError(`${option} is '${text}'; allowed: a probability per byte from 0 to 1, e.g. 0.001`);
  }
  return v;
}

/** SampleFlags for samples [start, start + n) at fs from lead-off and saturation intervals. */
export function faultFlags(start: number, n: number, fs: number, leadOff: readonly Interval[], saturate: readonly Interval[]): Uint8Array {
  const flags = new Uint8Array(n);
  const mark = (iv: Interval, flag: number) => {
    const from = Math.max(start, Math.round(iv.startSec * fs));
    const to = Math.min(start + n, Math.round((iv.startSec + iv.durationSec) * fs));
    for (let i = from; i < to; i++) flags[i - start] |= flag;
  };
  leadOff.forEach((iv) => mark(iv, SampleFlag.LEAD_OFF));
  saturate.forEach((iv) => mark(iv, SampleFlag.SATURATED));
  return flags;
}

export class ByteFaults {
  private readonly random: () => number;
  /** Counts of what was done, for the summary line. */
  dropped = 0;
  flipped = 0;

  constructor(private readonly dropRate: number, private readonly flipRate: number, seed = 1) {
    this.random = mulberry32(seed);
  }

  get active(): boolean {
    return this.dropRate > 0 || this.flipRate > 0;
  }

  apply(bytes: Uint8Array): Uint8Array {
    if (!this.active) return bytes;
    const out = new Uint8Array(bytes.length);
    let n = 0;
    for (const b of bytes) {
      if (this.dropRate > 0 && this.random() < this.dropRate) { this.dropped++; continue; }
      let v = b;
      if (this.flipRate > 0 && this.random() < this.flipRate) {
        v ^= 1 << Math.floor(this.random() * 8);
        this.flipped++;
      }
      out[n++] = v;
    }
    return out.subarray(0, n);
  }
}
