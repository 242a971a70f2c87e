/**
 * Decoder of our framed format (ours-format.ts, docs/serial-protocol.md): bytes
 * in any chunking -> sample blocks in mV with flags, explicit gaps, device info.
 *
 * Sequence numbers count samples, so a gap's size is exact up to 32767 samples
 * (65 s at 500 SPS); a sequence that steps backwards is reported as a reset.
 * A frame whose CRC fails, or any of whose status words is misaligned, is counted
 * corrupt and never becomes a sample. Until a device-info frame arrives the
 * configured settings are used; after it, the device's own.
 */
import { conversionFlags, mvPerCode, validateSettings, ALLOWED_GAINS, ALLOWED_RATES_SPS, type Ads1292Settings } from './conversion.ts';
import { FrameScanner, type Verdict } from './frame-scanner.ts';
import {
  crcOk, frameBytes, frameSeq, parseDataPayload, parseInfoPayload, HEADER_BYTES, SYNC, TYPE_DATA, TYPE_INFO,
} from './ours-format.ts';
import { zeroCounters, type DecoderCounters, type DecoderEvent, type FrameDecoder } from './types.ts';

export interface OursDecoderOptions {
  /** Converter setup used until the first device-info frame (required; validated). */
  settings: Ads1292Settings;
  /** Largest conversion count accepted in one data frame, 1..255; default 64. A larger count is taken as a false sync. */
  maxSamplesPerFrame?: number;
  /** A partial frame not completed within this many ms is dropped; default 500. */
  partialTimeoutMs?: number;
  /** Clock in ms; default Date.now (tests inject a fake one). */
  now?: () => number;
}

const VREF_BY_MV: Record<number, number> = { 2420: 2.42, 4033: 4.033 };

export class OursDecoder implements FrameDecoder {
  readonly counters: DecoderCounters = zeroCounters();
  private settings: Ads1292Settings;
  private readonly scanner: FrameScanner;
  /** Sequence number the next data frame should carry; null before the first. */
  private expectedSeq: number | null = null;
  /** Sample index of the next sample, gaps included. */
  private nextIndex = 0;
  /** Conversions in the last good data frame: the unit for estimating frames lost. */
  private lastFrameSamples = 1;

  constructor(options: OursDecoderOptions) {
    validateSettings(options.settings, 'ours decoder');
    const max = options.maxSamplesPerFrame ?? 64;
    if (!Number.isInteger(max) || max < 1 || max > 255) {
      throw new RangeError(`ours decoder: "maxSamplesPerFrame" is ${max}; allowed: an integer 1..255`);
    }
    const timeoutMs = options.partialTimeoutMs ?? 500;
    if (!(timeoutMs > 0)) throw new RangeError(`ours decoder: "partialTimeoutMs" is ${timeoutMs}; allowed: > 0`);
    this.settings = { ...options.settings, gain: [...options.settings.gain] as [number, number] };
    this.scanner = new FrameScanner(
      { sync: SYNC, headerBytes: HEADER_BYTES, frameBytes: (b, at) => frameBytes(b, at, max) },
      timeoutMs, options.now ?? Date.now, this.counters,
    );
  }

  push(bytes: Uint8Array): DecoderEvent[] {
    const out: DecoderEvent[] = [];
    this.scanner.push(bytes, (f) => this.frame(f, out));
    return out;
  }

  poll(): void {
    this.scanner.poll();
  }

  private frame(f: Uint8Array, out: DecoderEvent[]): Verdict {
    if (!crcOk(f)) return this.corrupt();
    return f[2] === TYPE_DATA ? this.data(f, out) : f[2] === TYPE_INFO ? this.info(f, out) : this.corrupt();
  }

  private corrupt(): Verdict {
    this.counters.framesCorrupt++;
    return 'corrupt';
  }

  private data(f: Uint8Array, out: DecoderEvent[]): Verdict {
    const conversions = parseDataPayload(f);
    if (!conversions) return this.corrupt();
    const seq = frameSeq(f);
    const { fsHz, gain, vrefV } = this.settings;
    if (this.expectedSeq !== null && seq !== this.expectedSeq) {
      const ahead = (seq - this.expectedSeq) & 0xffff;
      if (ahead < 0x8000) {
        out.push({ kind: 'gap', start: this.nextIndex, samples: ahead, fs: fsHz, estimated: false });
        this.nextIndex += ahead;
        this.counters.gaps++;
        this.counters.samplesLost += ahead;
        this.counters.framesLost += Math.ceil(ahead / this.lastFrameSamples);
      } else {
        out.push({ kind: 'reset', start: this.nextIndex, expectedSeq: this.expectedSeq, seq });
        this.counters.resets++;
      }
    }
    const n = conversions.length;
    const mv = [new Float32Array(n), new Float32Array(n)];
    const flags = [new Uint8Array(n), new Uint8Array(n)];
    const scale = [mvPerCode(vrefV, gain[0]), mvPerCode(vrefV, gain[1])];
    conversions.forEach((c, i) => {
      mv[0][i] = c.ch1 * scale[0];
      mv[1][i] = c.ch2 * scale[1];
      flags[0][i] = conversionFlags(c, 0);
      flags[1][i] = conversionFlags(c, 1);
    });
    out.push({ kind: 'samples', start: this.nextIndex, fs: fsHz, mv, flags });
    this.nextIndex += n;
    this.expectedSeq = (seq + n) & 0xffff;
    this.lastFrameSamples = n;
    this.counters.framesGood++;
    return 'good';
  }

  private info(f: Uint8Array, out: DecoderEvent[]): Verdict {
    const p = parseInfoPayload(f);
    const vrefV = p ? VREF_BY_MV[p.vrefMv] : undefined;
    // A CRC-valid info frame with impossible settings is a firmware bug: never apply it.
    if (!p || vrefV === undefined || !(ALLOWED_RATES_SPS as readonly number[]).includes(p.fsHz)
      || !p.gain.every((g) => (ALLOWED_GAINS as readonly number[]).includes(g))
      || p.channels < 1 || p.channels > 2) {
      return this.corrupt();
    }
    this.settings = { fsHz: p.fsHz, gain: [p.gain[0], p.gain[1]], vrefV };
    out.push({
      kind: 'info', protocolVersion: p.protocolVersion, fsHz: p.fsHz, channels: p.channels,
      gain: [p.gain[0], p.gain[1]], vrefV, firmware: p.firmware,
    });
    this.counters.framesGood++;
    return 'good';
  }
}
