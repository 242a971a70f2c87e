/**
 * WFDB sample storage formats: how a run of bytes becomes ADC values.
 *
 * Reference: PhysioNet "signal(5)" and the WFDB library's r16/r61/r80/r160/r212/
 * r310/r311/r24/r32 (lib/signal.c). A data file holds the samples of all the
 * signals stored in it interleaved frame by frame; the packed formats (212: two
 * 12-bit samples in 3 bytes; 310 and 311: three 10-bit samples in 4 bytes) pack
 * that flat sequence regardless of which signal a sample belongs to. So a
 * format here decodes whole "groups" (1, 2 or 3 samples) of the flat sequence,
 * and a reader can start at any group boundary.
 *
 * Limits: format 8 (first differences) and 0 (null signal) and the FLAC formats
 * (508, 516, 524) are not supported.
 */

export interface SampleFormat {
  /** WFDB format code. */
  code: number;
  /** Samples in one group of the flat sample sequence. */
  samplesPerGroup: number;
  /** Bytes of one group. */
  bytesPerGroup: number;
  /** The ADC value that marks an invalid sample (WFDB stores it as VFILL). */
  invalid: number;
  /** Decodes `groups` whole groups from bytes[at..] into out[outAt..]. */
  decode(bytes: Uint8Array, at: number, groups: number, out: Int32Array, outAt: number): void;
  /** How many samples a trailing partial group of `nBytes` bytes still holds. */
  samplesInPartial(nBytes: number): number;
}

function simple(code: number, bytes: number, invalid: number,
  read: (b: Uint8Array, i: number) => number): SampleFormat {
  return {
    code, samplesPerGroup: 1, bytesPerGroup: bytes, invalid,
    decode(b, at, groups, out, outAt) {
      for (let g = 0; g < groups; g++, at += bytes) out[outAt + g] = read(b, at);
    },
    samplesInPartial: () => 0,
  };
}

/** Sign-extends the low `bits` bits of v. */
function signed(v: number, bits: number): number {
  const shift = 32 - bits;
  return (v << shift) >> shift;
}

const f212: SampleFormat = {
  code: 212, samplesPerGroup: 2, bytesPerGroup: 3, invalid: -2048,
  decode(b, at, groups, out, outAt) {
    for (let g = 0; g < groups; g++, at += 3, outAt += 2) {
      const b1 = b[at + 1];
      out[outAt] = signed(b[at] | ((b1 & 0x0f) << 8), 12);
      out[outAt + 1] = signed(b[at + 2] | ((b1 & 0xf0) << 4), 12);
    }
  },
  // The WFDB writer stores an odd last sample as two bytes.
  samplesInPartial: (n) => (n >= 2 ? 1 : 0),
};

const f310: SampleFormat = {
  code: 310, samplesPerGroup: 3, bytesPerGroup: 4, invalid: -512,
  decode(b, at, groups, out, outAt) {
    for (let g = 0; g < groups; g++, at += 4, outAt += 3) {
      const w0 = b[at] | (b[at + 1] << 8);
      const w1 = b[at + 2] | (b[at + 3] << 8);
      out[outAt] = signed(w0 >> 1, 10);
      out[outAt + 1] = signed(w1 >> 1, 10);
      out[outAt + 2] = signed((w0 >> 11) | ((w1 >> 11) << 5), 10);
    }
  },
  samplesInPartial: (n) => (n >= 4 ? 3 : n >= 2 ? 1 : 0),
};

const f311: SampleFormat = {
  code: 311, samplesPerGroup: 3, bytesPerGroup: 4, invalid: -512,
  decode(b, at, groups, out, outAt) {
    for (let g = 0; g < groups; g++, at += 4, outAt += 3) {
      const w = b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
      out[outAt] = signed(w, 10);
      out[outAt + 1] = signed(w >> 10, 10);
      out[outAt + 2] = signed(w >> 20, 10);
    }
  },
  samplesInPartial: (n) => (n >= 4 ? 3 : n >= 3 ? 2 : n >= 2 ? 1 : 0),
};

const FORMATS: ReadonlyMap<number, SampleFormat> = new Map([
  [16, simple(16, 2, -32768, (b, i) => signed(b[i] | (b[i + 1] << 8), 16))],
  [61, simple(61, 2, -32768, (b, i) => signed((b[i] << 8) | b[i + 1], 16))],
  [80, simple(80, 1, -128, (b, i) => b[i] - 128)],
  [160, simple(160, 2, -32768, (b, i) => (b[i] | (b[i + 1] << 8)) - 32768)],
  [24, simple(24, 3, -(2 ** 23), (b, i) => signed(b[i] | (b[i + 1] << 8) | (b[i + 2] << 16), 24))],
  [32, simple(32, 4, -(2 ** 31), (b, i) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24))],
  [212, f212],
  [310, f310],
  [311, f311],
]);

/** The format codes this reader decodes, ascending. */
export const SUPPORTED_FORMATS: readonly number[] = [...FORMATS.keys()].sort((a, b) => a - b);

/** The format for `code`, or undefined when it is not supported. */
export function sampleFormat(code: number): SampleFormat | undefined {
  return FORMATS.get(code);
}

/** Bytes needed to hold the first `samples` samples of a flat sequence. */
export function bytesForSamples(format: SampleFormat, samples: number): number {
  const whole = Math.floor(samples / format.samplesPerGroup);
  const rest = samples - whole * format.samplesPerGroup;
  let partial = 0;
  if (rest > 0) {
    while (format.samplesInPartial(partial) < rest) partial++;
  }
  return whole * format.bytesPerGroup + partial;
}

/** Samples of a flat sequence that `bytes` bytes hold completely. */
export function samplesInBytes(format: SampleFormat, bytes: number): number {
  const whole = Math.floor(bytes / format.bytesPerGroup);
  return whole * format.samplesPerGroup + format.samplesInPartial(bytes - whole * format.bytesPerGroup);
}
