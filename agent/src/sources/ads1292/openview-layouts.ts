/**
 * Payload layouts of ProtoCentral OpenView packets, which differ by firmware.
 *
 * Packet: 0x0A 0xFA len_lo len_hi type payload[len] 0x00 0x0B, no checksum,
 * 57600 baud, one packet per ECG sample at 125 SPS, little-endian fields.
 * Presets, each read from the firmware source it names (github.com/Protocentral):
 *  - 'breakout-2017': protocentral-ads1292r-arduino,
 *    examples/Example-1-ECG-Respiration-Plot-Openview/Example-1-ECG-Respiration-Plot-Openview.ino
 *    (len 20: ECG int16 @0, respiration int16 @2, resp. rate u8 @14, heart rate u8 @16).
 *    ECG = filtered (ch2 code >> 8); src/protocentralAds1292r.cpp sets CONFIG1 0x00
 *    (125 SPS), CONFIG2 0xA0 (VREF 2.42 V), CH2SET 0x60: PGA bits 110 = gain 12 per
 *    the datasheet (the source's comment says 6; the register value decides).
 *  - 'healthypi-v3': protocentral-healthypi-v3, firmware/healthypi3_streaming/
 *    healthypi3_streaming.ino (len 20: ECG int16 @0, resp int16 @2, PPG IR int32 @4,
 *    PPG red int32 @8, temperature u16 @12 (0.01 degC), resp. rate u8 @14, SpO2 u8 @15,
 *    heart rate u8 @16, lead status u8 @19: bit0 ECG lead-off, bit1 SpO2 probe open).
 *    Same ADS1292R setup (CONFIG2 0xE0: VREF 2.42 V; CH2SET 0x60), ECG = ch2 code >> 8.
 *  - 'breakout-2025': protocentral-ads1292r-arduino, examples/02-ecg-plot-openview/
 *    02-ecg-plot-openview.ino (len 9: ECG int16 @0 = code >> 6, resp int16 @2,
 *    resp. rate u8 @4, heart rate u8 @6). Its library's gain is NOT verified here:
 *    the preset assumes gain 6, VREF 2.42 V; override ecg.mvPerCount if known.
 * The filters in those firmwares are FIR low-passes with unity DC gain (Q15), so
 * counts scale as the raw code shifted. Breakout firmwares send zeros on lead-off
 * without a flag: only HealthyPi v3 reports lead status.
 */
import { mvPerCode } from './conversion.ts';

export type FieldType = 'u8' | 'i16le' | 'u16le' | 'i32le';

export interface OpenViewField {
  /** Byte offset in the payload. */
  offset: number;
  type: FieldType;
}

export interface OpenViewLayout {
  /** Preset name, or the user's label. */
  name: string;
  /** Packet type byte of ECG data packets (0x02 in every known firmware). */
  packetType: number;
  /** Payload length the firmware sends in data packets. */
  payloadBytes: number;
  /** Sample rate of the ECG field, Hz (125 in every known firmware). */
  fsHz: number;
  /** The ECG field and its scale, mV per count. */
  ecg: OpenViewField & { mvPerCount: number };
  /** A byte whose `mask` bits set means lead-off (HealthyPi v3). */
  leadOff?: { offset: number; mask: number };
  /** Other fields passed through raw in SampleBlock.extras. */
  extras: Record<string, OpenViewField>;
}

const F = (offset: number, type: FieldType): OpenViewField => ({ offset, type });
const ads1292rGain12 = 256 * mvPerCode(2.42, 12);

export const OPENVIEW_PRESETS: Readonly<Record<string, OpenViewLayout>> = {
  'breakout-2017': {
    name: 'breakout-2017', packetType: 0x02, payloadBytes: 20, fsHz: 125,
    ecg: { ...F(0, 'i16le'), mvPerCount: ads1292rGain12 },
    extras: { resp: F(2, 'i16le'), respRate: F(14, 'u8'), heartRate: F(16, 'u8') },
  },
  'healthypi-v3': {
    name: 'healthypi-v3', packetType: 0x02, payloadBytes: 20, fsHz: 125,
    ecg: { ...F(0, 'i16le'), mvPerCount: ads1292rGain12 },
    leadOff: { offset: 19, mask: 0x01 },
    extras: {
      resp: F(2, 'i16le'), ppgIr: F(4, 'i32le'), ppgRed: F(8, 'i32le'), temperatureCentiC: F(12, 'u16le'),
      respRate: F(14, 'u8'), spo2: F(15, 'u8'), heartRate: F(16, 'u8'), leadStatus: F(19, 'u8'),
    },
  },
  'breakout-2025': {
    name: 'breakout-2025', packetType: 0x02, payloadBytes: 9, fsHz: 125,
    ecg: { ...F(0, 'i16le'), mvPerCount: 64 * mvPerCode(2.42, 6) },
    extras: { resp: F(2, 'i16le'), respRate: F(4, 'u8'), heartRate: F(6, 'u8') },
  },
};

const FIELD_BYTES: Record<FieldType, number> = { u8: 1, i16le: 2, u16le: 2, i32le: 4 };

export function readField(p: Uint8Array, f: OpenViewField): number {
  const o = f.offset;
  switch (f.type) {
    case 'u8': return p[o];
    case 'u16le': return p[o] | (p[o + 1] << 8);
    case 'i16le': return ((p[o] | (p[o + 1] << 8)) << 16) >> 16;
    case 'i32le': return p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24);
  }
}

export function writeField(p: Uint8Array, f: OpenViewField, value: number): void {
  const v = Math.round(value);
  for (let i = 0; i < FIELD_BYTES[f.type]; i++) p[f.offset + i] = (v >> (8 * i)) & 0xff;
}

/** Throws naming the field when a layout is inconsistent (a field outside the payload...). */
export function validateLayout(l: OpenViewLayout): void {
  const where = `openview layout '${l.name}'`;
  if (!Number.isInteger(l.payloadBytes) || l.payloadBytes < 1 || l.payloadBytes > 0xffff) {
    throw new RangeError(`${where}: "payloadBytes" is ${l.payloadBytes}; allowed: an integer 1..65535`);
  }
  if (!(l.fsHz > 0)) throw new RangeError(`${where}: "fsHz" is ${l.fsHz}; allowed: > 0`);
  if (!(l.ecg.mvPerCount > 0)) throw new RangeError(`${where}: "ecg.mvPerCount" is ${l.ecg.mvPerCount}; allowed: > 0`);
  const fields: [string, OpenViewField][] = [['ecg', l.ecg], ...Object.entries(l.extras)];
  if (l.leadOff) fields.push(['leadOff', { offset: l.leadOff.offset, type: 'u8' }]);
  for (const [name, f] of fields) {
    if (!(f.type in FIELD_BYTES)) {
      throw new RangeError(`${where}: "${name}.type" is ${f.type}; allowed: ${Object.keys(FIELD_BYTES).join(', ')}`);
    }
    if (!Number.isInteger(f.offset) || f.offset < 0 || f.offset + FIELD_BYTES[f.type] > l.payloadBytes) {
      throw new RangeError(`${where}: "${name}.offset" ${f.offset} (${f.type}) does not fit in a ${l.payloadBytes}-byte payload`);
    }
  }
}

/** A preset by name, or the layout given; throws naming the allowed presets. */
export function resolveLayout(layout: string | OpenViewLayout): OpenViewLayout {
  if (typeof layout !== 'string') {
    validateLayout(layout);
    return layout;
  }
  const preset = OPENVIEW_PRESETS[layout];
  if (!preset) {
    throw new RangeError(`openview: "layout" is '${layout}'; allowed: ${Object.keys(OPENVIEW_PRESETS).join(', ')} or a layout object`);
  }
  return preset;
}
