/**
 * One ADS1292 conversion (9 bytes read in RDATAC mode) and its units.
 *
 * Reference: TI ADS1291/2/2R datasheet (SBAS502), "Data Output Protocol": a
 * 24-bit status word (1100 + LOFF_STAT[4:0] + GPIO[1:0] + 13 zeros) then one
 * 24-bit two's complement code per channel, MSB first. LOFF_STAT bits 4..0 are
 * RLD, IN2N, IN2P, IN1N, IN1P. Volts = code x VREF / (gain x (2^23 - 1)).
 * Limits: only the top nibble of the status word is checked for alignment (as
 * the datasheet guarantees it); the 13 trailing zeros are not required.
 */
import { SampleFlag } from '../../signal.ts';

export const CONVERSION_BYTES = 9;
/** Full-scale codes: the converter clips here (positive, negative). */
export const CODE_MAX = 0x7fffff;
export const CODE_MIN = -0x800000;

/** LOFF_STAT bits (status word bits 19..15, here shifted down to 4..0). */
export const LeadOff = { IN1P: 1, IN1N: 2, IN2P: 4, IN2N: 8, RLD: 16 } as const;

export const ALLOWED_RATES_SPS = [125, 250, 500, 1000, 2000, 4000, 8000] as const;
export const ALLOWED_GAINS = [1, 2, 3, 4, 6, 8, 12] as const;
export const ALLOWED_VREFS_V = [2.42, 4.033] as const;

/** How the converter is set up; needed to turn codes into millivolts. */
export interface Ads1292Settings {
  /** Output data rate, samples per second (CONFIG1 DR): one of ALLOWED_RATES_SPS. */
  fsHz: number;
  /** PGA gain of channel 1 and channel 2 (CHnSET): each one of ALLOWED_GAINS. */
  gain: readonly [number, number];
  /** Reference voltage in volts (CONFIG2 VREF_4V): 2.42 or 4.033. */
  vrefV: number;
}

/** One conversion as raw codes. */
export interface Conversion {
  /** LOFF_STAT[4:0] (see LeadOff). */
  leadOff: number;
  /** GPIO[1:0] pin levels. */
  gpio: number;
  /** Channel codes, signed 24-bit. */
  ch1: number;
  ch2: number;
}

/** Throws naming the option and the allowed values when `s` is not a valid setup. */
export function validateSettings(s: Ads1292Settings, where = 'ads1292'): void {
  if (!(ALLOWED_RATES_SPS as readonly number[]).includes(s.fsHz)) {
    throw new RangeError(`${where}: "fsHz" is ${s.fsHz}; allowed: ${ALLOWED_RATES_SPS.join(', ')}`);
  }
  if (!Array.isArray(s.gain) || s.gain.length !== 2) {
    throw new RangeError(`${where}: "gain" must be two numbers [ch1, ch2]; allowed each: ${ALLOWED_GAINS.join(', ')}`);
  }
  s.gain.forEach((g, i) => {
    if (!(ALLOWED_GAINS as readonly number[]).includes(g)) {
      throw new RangeError(`${where}: "gain[${i}]" is ${g}; allowed: ${ALLOWED_GAINS.join(', ')}`);
    }
  });
  if (!(ALLOWED_VREFS_V as readonly number[]).includes(s.vrefV)) {
    throw new RangeError(`${where}: "vrefV" is ${s.vrefV}; allowed: ${ALLOWED_VREFS_V.join(', ')}`);
  }
}

/** Millivolts per code for one channel. */
export function mvPerCode(vrefV: number, gain: number): number {
  return (vrefV * 1000) / (gain * CODE_MAX);
}

/** Nearest code for a voltage, clipped to the converter's range (clipping = saturation). */
export function mvToCode(mv: number, vrefV: number, gain: number): number {
  const code = Math.round(mv / mvPerCode(vrefV, gain));
  return Math.min(CODE_MAX, Math.max(CODE_MIN, code));
}

function readCode(b: Uint8Array, at: number): number {
  const u = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  return u & 0x800000 ? u - 0x1000000 : u;
}

function writeCode(b: Uint8Array, at: number, code: number): void {
  const u = code & 0xffffff;
  b[at] = u >>> 16;
  b[at + 1] = (u >>> 8) & 0xff;
  b[at + 2] = u & 0xff;
}

/** Parses 9 bytes at `at`; null when the status word is misaligned (top nibble not 0xC). */
export function parseConversion(b: Uint8Array, at: number): Conversion | null {
  if ((b[at] & 0xf0) !== 0xc0) return null;
  const status = (b[at] << 16) | (b[at + 1] << 8) | b[at + 2];
  return {
    leadOff: (status >>> 15) & 0x1f,
    gpio: (status >>> 13) & 0x3,
    ch1: readCode(b, at + 3),
    ch2: readCode(b, at + 6),
  };
}

/** Writes the 9 bytes of `c` at `at`. */
export function writeConversion(b: Uint8Array, at: number, c: Conversion): void {
  const status = 0xc00000 | ((c.leadOff & 0x1f) << 15) | ((c.gpio & 0x3) << 13);
  b[at] = status >>> 16;
  b[at + 1] = (status >>> 8) & 0xff;
  b[at + 2] = status & 0xff;
  writeCode(b, at + 3, c.ch1);
  writeCode(b, at + 6, c.ch2);
}

/** SampleFlag bits of one channel (0 or 1) of a conversion. */
export function conversionFlags(c: Conversion, channel: 0 | 1): number {
  const code = channel === 0 ? c.ch1 : c.ch2;
  const electrodes = channel === 0 ? LeadOff.IN1P | LeadOff.IN1N : LeadOff.IN2P | LeadOff.IN2N;
  let flags = 0;
  // RLD off affects both channels: without the bias drive neither is trustworthy.
  if (c.leadOff & (electrodes | LeadOff.RLD)) flags |= SampleFlag.LEAD_OFF;
  if (code === CODE_MAX || code === CODE_MIN) flags |= SampleFlag.SATURATED;
  return flags;
}
