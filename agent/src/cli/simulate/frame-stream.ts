/**
 * Millivolts in, wire bytes out, for the simulator: our format (device info at
 * the start and once per second of signal, then data frames) or OpenView packets
 * of a chosen layout. The ECG goes to one channel of our format, by default
 * channel 2 as on the ADS1292R (whose channel 1 is respiration) and as the
 * serial source's default `ecgChannel: 2` reads it; the other channel is zero.
 * OpenView packets carry it in their ECG field.
 */
import { OpenViewEncoder, OursEncoder, type Ads1292Settings } from '../../sources/ads1292/index.ts';

export type WireFormat = 'ours' | 'openview';

export interface FrameStreamOptions {
  format: WireFormat;
  /** Sample rate of the input, Hz; ours: an ADS1292 rate; OpenView: the layout's (125). */
  fsHz: number;
  /** ADS1292 gain and VREF used for ours; default gain 6, VREF 2.42 V (ECG settings of TI's EVM). */
  gain?: number;
  vrefV?: number;
  /** ADS1292 channel carrying the ECG (ours); default 2, the other is zero. */
  ecgChannel?: 1 | 2;
  /** Conversions per data frame (ours); default 10. */
  samplesPerFrame?: number;
  /** OpenView layout preset; default 'healthypi-v3'. */
  layout?: string;
  firmware?: string;
}

export class FrameStream {
  private readonly ours?: OursEncoder;
  private readonly openview?: OpenViewEncoder;
  private readonly fsHz: number;
  private readonly ecgChannel: 1 | 2;
  /** Samples encoded so far (ours: next info is due at a multiple of fsHz). */
  private samples = 0;
  frames = 0;

  constructor(o: FrameStreamOptions) {
    this.fsHz = o.fsHz;
    this.ecgChannel = o.ecgChannel ?? 2;
    if (o.format === 'ours') {
      const settings: Ads1292Settings = { fsHz: o.fsHz, gain: [o.gain ?? 6, o.gain ?? 6], vrefV: o.vrefV ?? 2.42 };
      this.ours = new OursEncoder({ settings, samplesPerFrame: o.samplesPerFrame ?? 10, firmware: o.firmware ?? 'arrhythminet-simulate' });
    } else {
      this.openview = new OpenViewEncoder({ layout: o.layout ?? 'healthypi-v3' });
      if (this.openview.layout.fsHz !== o.fsHz) {
        throw new RangeError(`--rate is ${o.fsHz}; OpenView layout '${this.openview.layout.name}' streams at ${this.openview.layout.fsHz} SPS only`);
      }
    }
  }

  /** Encodes samples with their SampleFlags. */
  push(mv: Float32Array, flags: Uint8Array): Uint8Array[] {
    if (this.openview) {
      const pkts = this.openview.push(mv, flags);
      this.frames += pkts.length;
      this.samples += mv.length;
      return pkts;
    }
    const enc = this.ours!;
    const out: Uint8Array[] = [];
    let i = 0;
    while (i < mv.length) {
      if (this.samples % this.fsHz === 0) out.push(...enc.flush(), enc.info());
      const n = Math.min(mv.length - i, this.fsHz - (this.samples % this.fsHz));
      const ecg = mv.subarray(i, i + n);
      const f = flags.subarray(i, i + n);
      const zero = new Float32Array(n);
      // Lead-off and saturation are the ECG channel's; the idle one stays clean.
      out.push(...(this.ecgChannel === 1 ? enc.push(ecg, zero, f) : enc.push(zero, ecg, undefined, f)));
      i += n;
      this.samples += n;
    }
    this.frames += out.length;
    return out;
  }

  flush(): Uint8Array[] {
    const out = this.ours ? this.ours.flush() : [];
    this.frames += out.length;
    return out;
  }
}
