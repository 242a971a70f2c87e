/**
 * Our framed serial format for an ADS1292 bridge MCU: byte layout, CRC, and the
 * pure functions that build and parse one frame. docs/serial-protocol.md is the
 * specification a firmware author reads; this file must agree with it.
 *
 *   offset  size  field
 *   0       2     sync 0xA5 0x5A
 *   2       1     type: 0x01 data, 0x02 device info
 *   3       2     sequence, uint16 little-endian (data: index of the first sample mod 2^16)
 *   5       1     n: data = conversions in the frame (1..255); info = payload bytes
 *   6       ...   payload: data = n x 9 raw ADS1292 bytes; info = n bytes (below)
 *   6+len   2     CRC-16/CCITT-FALSE of bytes 2 .. 6+len-1 (type to end of payload), little-endian
 */
import { crc16CcittFalse } from './crc16.ts';
import { CONVERSION_BYTES, parseConversion, writeConversion, type Conversion } from './conversion.ts';

export const SYNC = [0xa5, 0x5a] as const;
export const TYPE_DATA = 0x01;
export const TYPE_INFO = 0x02;
export const HEADER_BYTES = 6;
export const CRC_BYTES = 2;
export const PROTOCOL_VERSION = 1;
/** Fixed part of the info payload, before the firmware string. */
export const INFO_FIXED_BYTES = 9;
export const MAX_FIRMWARE_CHARS = 255 - INFO_FIXED_BYTES;

/** The device-info payload, as carried on the wire. */
export interface InfoFields {
  protocolVersion: number;
  fsHz: number;
  channels: number;
  gain: readonly [number, number];
  /** Reference voltage in millivolts (2420 or 4033): integers on the wire. */
  vrefMv: number;
  firmware: string;
}

function frame(type: number, seq: number, n: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + payload.length + CRC_BYTES);
  out[0] = SYNC[0];
  out[1] = SYNC[1];
  out[2] = type;
  out[3] = seq & 0xff;
  out[4] = (seq >>> 8) & 0xff;
  out[5] = n;
  out.set(payload, HEADER_BYTES);
  const crc = crc16CcittFalse(out, 2, HEADER_BYTES + payload.length);
  out[out.length - 2] = crc & 0xff;
  out[out.length - 1] = crc >>> 8;
  return out;
}

/** One data frame; `seq` is the sample index of conversions[0] (taken mod 2^16). */
export function encodeDataFrame(seq: number, conversions: readonly Conversion[]): Uint8Array {
  if (conversions.length < 1 || conversions.length > 255) {
    throw new RangeError(`data frame: ${conversions.length} conversions; allowed 1..255`);
  }
  const payload = new Uint8Array(conversions.length * CONVERSION_BYTES);
  conversions.forEach((c, i) => writeConversion(payload, i * CONVERSION_BYTES, c));
  return frame(TYPE_DATA, seq, conversions.length, payload);
}

/** One device-info frame. */
export function encodeInfoFrame(seq: number, info: InfoFields): Uint8Array {
  const fw = new TextEncoder().encode(info.firmware).subarray(0, MAX_FIRMWARE_CHARS);
  const p = new Uint8Array(INFO_FIXED_BYTES + fw.length);
  p[0] = info.protocolVersion;
  p[1] = info.fsHz & 0xff;
  p[2] = info.fsHz >>> 8;
  p[3] = info.channels;
  p[4] = info.gain[0];
  p[5] = info.gain[1];
  p[6] = info.vrefMv & 0xff;
  p[7] = info.vrefMv >>> 8;
  p[8] = fw.length;
  p.set(fw, INFO_FIXED_BYTES);
  return frame(TYPE_INFO, seq, p.length, p);
}

/** Total frame length for the header at buf[at], or 0 when impossible. */
export function frameBytes(buf: Uint8Array, at: number, maxSamplesPerFrame: number): number {
  const type = buf[at + 2];
  const n = buf[at + 5];
  if (type === TYPE_DATA && n >= 1 && n <= maxSamplesPerFrame) {
    return HEADER_BYTES + n * CONVERSION_BYTES + CRC_BYTES;
  }
  if (type === TYPE_INFO && n >= INFO_FIXED_BYTES) return HEADER_BYTES + n + CRC_BYTES;
  return 0;
}

export function crcOk(f: Uint8Array): boolean {
  const crc = crc16CcittFalse(f, 2, f.length - CRC_BYTES);
  return f[f.length - 2] === (crc & 0xff) && f[f.length - 1] === crc >>> 8;
}

export function frameSeq(f: Uint8Array): number {
  return f[3] | (f[4] << 8);
}

/** Conversions of a CRC-checked data frame; null when any status word is misaligned. */
export function parseDataPayload(f: Uint8Array): Conversion[] | null {
  const n = f[5];
  const out: Conversion[] = [];
  for (let i = 0; i < n; i++) {
    const c = parseConversion(f, HEADER_BYTES + i * CONVERSION_BYTES);
    if (!c) return null;
    out.push(c);
  }
  return out;
}

/** Fields of a CRC-checked info frame; null when its string length overruns the payload. */
export function parseInfoPayload(f: Uint8Array): InfoFields | null {
  const n = f[5];
  const p = f.subarray(HEADER_BYTES, HEADER_BYTES + n);
  const fwLen = p[8];
  if (INFO_FIXED_BYTES + fwLen > n) return null;
  return {
    protocolVersion: p[0],
    fsHz: p[1] | (p[2] << 8),
    channels: p[3],
    gain: [p[4], p[5]],
    vrefMv: p[6] | (p[7] << 8),
    firmware: new TextDecoder('utf-8', { fatal: false }).decode(p.subarray(INFO_FIXED_BYTES, INFO_FIXED_BYTES + fwLen)),
  };
}
