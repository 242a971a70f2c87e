/**
 * ProtoCentral OpenView packets (layouts in openview-layouts.ts): decoder and
 * encoder. One packet per ECG sample; ECG channel only in SampleBlock.mv, other
 * fields raw in `extras`.
 *
 * Without a checksum, frame integrity rests on the sync (0A FA), a plausible
 * length and the tail (00 0B) landing where the length says: a shifted or
 * truncated packet fails the tail check, but a bit flip inside the payload cannot
 * be detected. Without sequence numbers, lost samples are estimated from the
 * bytes skipped between two good packets (round(skipped / packet length)) and
 * reported as an `estimated` gap; packets that never arrive at all (a UART
 * overrun that drops whole packets) cannot be detected. An int16 ECG at full scale is flagged SATURATED.
 */
import { SampleFlag } from '../../signal.ts';
import { FrameScanner, type Verdict } from './frame-scanner.ts';
import { readField, resolveLayout, writeField, type OpenViewLayout } from './openview-layouts.ts';
import { zeroCounters, type DecoderCounters, type DecoderEvent, type FrameDecoder } from './types.ts';

export const OPENVIEW_SYNC = [0x0a, 0xfa] as const;
export const OPENVIEW_TAIL = [0x00, 0x0b] as const;
const HEADER = 5;
const OVERHEAD = HEADER + 2;

export interface OpenViewDecoderOptions {
  /** A preset name (OPENVIEW_PRESETS) or a layout; default 'healthypi-v3'. */
  layout?: string | OpenViewLayout;
  /** Largest payload length believed, bytes; default 64. Longer lengths are taken as a false sync. */
  maxPayloadBytes?: number;
  /** A partial packet not completed within this many ms is dropped; default 500. */
  partialTimeoutMs?: number;
  /** Clock in ms; default Date.now. */
  now?: () => number;
}

export class OpenViewDecoder implements FrameDecoder {
  readonly counters: DecoderCounters = zeroCounters();
  readonly layout: OpenViewLayout;
  private readonly scanner: FrameScanner;
  private nextIndex = 0;
  /** counters.bytesSkipped at the last good data packet; null before the first. */
  private skippedAtLastGood: number | null = null;

  constructor(options: OpenViewDecoderOptions = {}) {
    this.layout = resolveLayout(options.layout ?? 'healthypi-v3');
    const max = options.maxPayloadBytes ?? 64;
    if (!Number.isInteger(max) || max < this.layout.payloadBytes || max > 0xffff) {
      throw new RangeError(`openview decoder: "maxPayloadBytes" is ${max}; allowed: an integer ${this.layout.payloadBytes}..65535 (at least the layout's payload)`);
    }
    const timeoutMs = options.partialTimeoutMs ?? 500;
    if (!(timeoutMs > 0)) throw new RangeError(`openview decoder: "partialTimeoutMs" is ${timeoutMs}; allowed: > 0`);
    this.scanner = new FrameScanner({
      sync: OPENVIEW_SYNC,
      headerBytes: HEADER,
      frameBytes: (b, at) => {
        const len = b[at + 2] | (b[at + 3] << 8);
        return len >= 1 && len <= max ? len + OVERHEAD : 0;
      },
    }, timeoutMs, options.now ?? Date.now, this.counters);
  }

  push(bytes: Uint8Array): DecoderEvent[] {
    const out: DecoderEvent[] = [];
    this.scanner.push(bytes, (f) => this.packet(f, out));
    return out;
  }

  poll(): void {
    this.scanner.poll();
  }

  private packet(f: Uint8Array, out: DecoderEvent[]): Verdict {
    const len = f.length - OVERHEAD;
    if (f[HEADER + len] !== OPENVIEW_TAIL[0] || f[HEADER + len + 1] !== OPENVIEW_TAIL[1]) {
      this.counters.framesCorrupt++;
      return 'corrupt';
    }
    const l = this.layout;
    if (f[4] !== l.packetType || len !== l.payloadBytes) {
      this.counters.framesIgnored++;
      return 'ignored';
    }
    if (this.skippedAtLastGood !== null) {
      const lost = Math.round((this.counters.bytesSkipped - this.skippedAtLastGood) / f.length);
      if (lost > 0) {
        out.push({ kind: 'gap', start: this.nextIndex, samples: lost, fs: l.fsHz, estimated: true });
        this.nextIndex += lost;
        this.counters.gaps++;
        this.counters.samplesLost += lost;
        this.counters.framesLost += lost;
      }
    }
    const p = f.subarray(HEADER, HEADER + len);
    const count = readField(p, l.ecg);
    let flags = 0;
    if (l.leadOff && p[l.leadOff.offset] & l.leadOff.mask) flags |= SampleFlag.LEAD_OFF;
    if (l.ecg.type === 'i16le' && (count === 32767 || count === -32768)) flags |= SampleFlag.SATURATED;
    const extras: Record<string, number> = {};
    for (const [name, field] of Object.entries(l.extras)) extras[name] = readField(p, field);
    out.push({
      kind: 'samples', start: this.nextIndex, fs: l.fsHz,
      mv: [Float32Array.of(count * l.ecg.mvPerCount)], flags: [Uint8Array.of(flags)], extras,
    });
    this.nextIndex++;
    this.skippedAtLastGood = this.counters.bytesSkipped;
    this.counters.framesGood++;
    return 'good';
  }
}

/** Builds OpenView packets as the firmware of `layout` would. */
export class OpenViewEncoder {
  readonly layout: OpenViewLayout;

  constructor(options: { layout?: string | OpenViewLayout } = {}) {
    this.layout = resolveLayout(options.layout ?? 'healthypi-v3');
  }

  /**
   * One packet. Like the firmwares, lead-off sends a zero ECG (and sets the
   * lead-status bit where the layout has one); SATURATED sends the int16 full scale (so does a value beyond it).
   */
  packet(ecgMv: number, flags = 0, extras: Record<string, number> = {}): Uint8Array {
    const l = this.layout;
    const f = new Uint8Array(l.payloadBytes + OVERHEAD);
    f[0] = OPENVIEW_SYNC[0];
    f[1] = OPENVIEW_SYNC[1];
    f[2] = l.payloadBytes & 0xff;
    f[3] = l.payloadBytes >>> 8;
    f[4] = l.packetType;
    const p = f.subarray(HEADER, HEADER + l.payloadBytes);
    for (const [name, field] of Object.entries(l.extras)) {
      if (extras[name] !== undefined) writeField(p, field, extras[name]);
    }
    // Out of range clips to full scale, which the decoder flags as saturation, as the ADC would.
    let count = Math.max(-32768, Math.min(32767, Math.round(ecgMv / l.ecg.mvPerCount)));
    if (flags & SampleFlag.SATURATED) count = ecgMv < 0 ? -32768 : 32767;
    if (flags & SampleFlag.LEAD_OFF) {
      count = 0;
      if (l.leadOff) p[l.leadOff.offset] |= l.leadOff.mask;
    }
    writeField(p, l.ecg, count);
    f[HEADER + l.payloadBytes] = OPENVIEW_TAIL[0];
    f[HEADER + l.payloadBytes + 1] = OPENVIEW_TAIL[1];
    return f;
  }

  /** One packet per sample. */
  push(ecgMv: ArrayLike<number>, flags?: ArrayLike<number>): Uint8Array[] {
    const out: Uint8Array[] = [];
    for (let i = 0; i < ecgMv.length; i++) out.push(this.packet(ecgMv[i], flags?.[i] ?? 0));
    return out;
  }
}
