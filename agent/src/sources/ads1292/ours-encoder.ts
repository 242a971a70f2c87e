/**
 * Encoder of our framed format: millivolts and flags -> data frames, plus the
 * device-info frame. What a bridge firmware does, for the simulator and tests.
 * Flags become what the chip would report: LEAD_OFF sets the channel's INxP and
 * INxN LOFF_STAT bits, SATURATED forces the full-scale code of the sample's sign.
 */
import { SampleFlag } from '../../signal.ts';
import {
  CODE_MAX, CODE_MIN, LeadOff, mvToCode, validateSettings, type Ads1292Settings, type Conversion,
} from './conversion.ts';
import { encodeDataFrame, encodeInfoFrame, PROTOCOL_VERSION } from './ours-format.ts';

export interface OursEncoderOptions {
  settings: Ads1292Settings;
  /** Conversions per data frame, 1..255; default 10 (50 frames/s at 500 SPS). */
  samplesPerFrame?: number;
  /** Firmware string in the info frame; default 'arrhythminet-simulator'. */
  firmware?: string;
  /** Sample index (sequence) of the first sample; default 0. */
  startSeq?: number;
}

export class OursEncoder {
  private readonly settings: Ads1292Settings;
  private readonly perFrame: number;
  private readonly firmware: string;
  /** Sample index of the first pending conversion. */
  private seq: number;
  private pending: Conversion[] = [];

  constructor(options: OursEncoderOptions) {
    validateSettings(options.settings, 'ours encoder');
    const perFrame = options.samplesPerFrame ?? 10;
    if (!Number.isInteger(perFrame) || perFrame < 1 || perFrame > 255) {
      throw new RangeError(`ours encoder: "samplesPerFrame" is ${perFrame}; allowed: an integer 1..255`);
    }
    this.settings = options.settings;
    this.perFrame = perFrame;
    this.firmware = options.firmware ?? 'arrhythminet-simulator';
    this.seq = options.startSeq ?? 0;
  }

  /** The device-info frame (send at start and periodically). */
  info(): Uint8Array {
    const { fsHz, gain, vrefV } = this.settings;
    return encodeInfoFrame(this.seq, {
      protocolVersion: PROTOCOL_VERSION, fsHz, channels: 2, gain, vrefMv: Math.round(vrefV * 1000), firmware: this.firmware,
    });
  }

  /** Converts one sample per channel (ch2 optional) to a conversion. */
  conversion(ch1Mv: number, ch2Mv = 0, ch1Flags = 0, ch2Flags = 0): Conversion {
    const { gain, vrefV } = this.settings;
    const code = (mv: number, g: number, flags: number) =>
      flags & SampleFlag.SATURATED ? (mv < 0 ? CODE_MIN : CODE_MAX) : mvToCode(mv, vrefV, g);
    let leadOff = 0;
    if (ch1Flags & SampleFlag.LEAD_OFF) leadOff |= LeadOff.IN1P | LeadOff.IN1N;
    if (ch2Flags & SampleFlag.LEAD_OFF) leadOff |= LeadOff.IN2P | LeadOff.IN2N;
    return { leadOff, gpio: 0, ch1: code(ch1Mv, gain[0], ch1Flags), ch2: code(ch2Mv, gain[1], ch2Flags) };
  }

  /** Adds samples; returns the frames they completed. */
  push(ch1Mv: ArrayLike<number>, ch2Mv?: ArrayLike<number>, ch1Flags?: ArrayLike<number>, ch2Flags?: ArrayLike<number>): Uint8Array[] {
    const frames: Uint8Array[] = [];
    for (let i = 0; i < ch1Mv.length; i++) {
      this.pending.push(this.conversion(ch1Mv[i], ch2Mv?.[i] ?? 0, ch1Flags?.[i] ?? 0, ch2Flags?.[i] ?? 0));
      if (this.pending.length === this.perFrame) frames.push(this.emit());
    }
    return frames;
  }

  /** The pending conversions as a last, shorter frame (none if nothing is pending). */
  flush(): Uint8Array[] {
    return this.pending.length > 0 ? [this.emit()] : [];
  }

  private emit(): Uint8Array {
    const f = encodeDataFrame(this.seq, this.pending);
    this.seq = (this.seq + this.pending.length) & 0xffff;
    this.pending = [];
    return f;
  }
}
