/**
 * What the ADS1292 wire decoders give out (DESIGN.md section 3): blocks of
 * samples in millivolts with per-sample flags, explicit gaps, device-info, and
 * counters. Both wire formats (ours, OpenView) produce these same events, so the
 * rest of the pipeline does not know which one the bridge speaks.
 */

/** Consecutive samples from one good frame. */
export interface SampleBlock {
  kind: 'samples';
  /** Sample index of the first sample, from the stream start, gaps counted. */
  start: number;
  /** Device sample rate, Hz. */
  fs: number;
  /** One array per channel, millivolts (ours: [ch1, ch2]; OpenView: [ecg]). */
  mv: Float32Array[];
  /** SampleFlag bits, one array per channel, same length as mv. */
  flags: Uint8Array[];
  /** Other per-frame values a firmware sends (OpenView: heart rate, respiration...), raw units. */
  extras?: Record<string, number>;
}

/** Samples that were lost: the sample index advances by `samples`, nothing was received. */
export interface SampleGap {
  kind: 'gap';
  /** Index of the first missing sample. */
  start: number;
  /** Number of missing samples. */
  samples: number;
  fs: number;
  /** True when the count is inferred (OpenView: from skipped bytes; it has no sequence numbers). */
  estimated: boolean;
}

/**
 * The sequence number went backwards (bridge restart, duplicate frame): how
 * many samples were lost is unknowable, the sample index continues without a
 * placeholder. Reported so nothing is joined silently.
 */
export interface SequenceReset {
  kind: 'reset';
  /** Sample index at which the stream resumed. */
  start: number;
  /** Sequence number expected, and the one received. */
  expectedSeq: number;
  seq: number;
}

/** The bridge's description of itself (ours only). */
export interface DeviceInfo {
  kind: 'info';
  protocolVersion: number;
  fsHz: number;
  channels: number;
  gain: [number, number];
  vrefV: number;
  firmware: string;
}

export type DecoderEvent = SampleBlock | SampleGap | SequenceReset | DeviceInfo;

export interface DecoderCounters {
  /** Frames that decoded into samples or info. */
  framesGood: number;
  /** Candidate frames rejected: impossible header (type, length), CRC, misaligned status, bad tail, invalid info. */
  framesCorrupt: number;
  /** Well-formed frames of a type or length this decoder does not use. */
  framesIgnored: number;
  /** Frames lost, estimated from the sample gap and the previous frame's sample count. */
  framesLost: number;
  /** Samples lost (sum of gap sizes). */
  samplesLost: number;
  /** Number of gap events. */
  gaps: number;
  /** Sequence-number resets (ours). */
  resets: number;
  /** Bytes not part of any good frame. */
  bytesSkipped: number;
  /** Partial frames dropped because the rest did not arrive within the timeout. */
  partialTimeouts: number;
}

/** A wire-format decoder: bytes in, in chunks of any size; events out. */
export interface FrameDecoder {
  /** Feeds bytes; returns what they completed. Never throws on any input. */
  push(bytes: Uint8Array): DecoderEvent[];
  /** Drops a partial frame that has waited past the timeout (call on a timer or data silence). */
  poll(): void;
  readonly counters: Readonly<DecoderCounters>;
}

export function zeroCounters(): DecoderCounters {
  return {
    framesGood: 0, framesCorrupt: 0, framesIgnored: 0, framesLost: 0, samplesLost: 0,
    gaps: 0, resets: 0, bytesSkipped: 0, partialTimeouts: 0,
  };
}
