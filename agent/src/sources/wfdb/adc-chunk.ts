/**
 * Raw ADC chunks of one signal, and the builder that cuts a sample stream into
 * them: fixed-size chunks (the last may be shorter), a flag array only when a
 * chunk holds an invalid sample.
 */
import { SampleFlag } from '../../signal.ts';

/** A run of raw ADC values of one signal. */
export interface AdcChunk {
  /** Sample index of adc[0], at `fs`. */
  start: number;
  /** The signal's sampling rate, Hz (frame rate x samples per frame). */
  fs: number;
  adc: Int32Array;
  /** SampleFlag.GAP where the sample is the format's invalid code; absent when none is. */
  flags?: Uint8Array;
}

/** Collects samples into chunks of a fixed size; the last may be shorter. */
export class ChunkBuilder {
  private adc: Int32Array;
  private flags: Uint8Array | undefined;
  private filled = 0;

  constructor(
    private readonly size: number,
    private start: number,
    private readonly fs: number,
    /** Samples still to come, Infinity when unknown. */
    public remaining: number,
    private readonly invalid: number,
  ) {
    this.adc = new Int32Array(Math.min(size, remaining));
  }

  /** Adds one value; returns the chunk when it is full. */
  push(v: number): AdcChunk | undefined {
    if (v === this.invalid) (this.flags ??= new Uint8Array(this.adc.length))[this.filled] = SampleFlag.GAP;
    this.adc[this.filled++] = v;
    this.remaining--;
    return this.filled === this.adc.length ? this.flush() : undefined;
  }

  /** Room left in the chunk being filled. */
  get room(): number {
    return this.adc.length - this.filled;
  }

  /**
   * Adds src[at], src[at + stride], ... (`count` values, at most `room`): the
   * same as `push` one by one; returns the chunk when it is full.
   */
  pushStrided(src: Int32Array, at: number, stride: number, count: number): AdcChunk | undefined {
    const adc = this.adc;
    const invalid = this.invalid;
    let filled = this.filled;
    for (let j = 0, i = at; j < count; j++, i += stride) {
      const v = src[i];
      if (v === invalid) (this.flags ??= new Uint8Array(adc.length))[filled] = SampleFlag.GAP;
      adc[filled++] = v;
    }
    this.filled = filled;
    this.remaining -= count;
    return filled === adc.length ? this.flush() : undefined;
  }

  flush(): AdcChunk | undefined {
    if (this.filled === 0) return undefined;
    const adc = this.adc.subarray(0, this.filled);
    const chunk: AdcChunk = this.flags === undefined
      ? { start: this.start, fs: this.fs, adc }
      : { start: this.start, fs: this.fs, adc, flags: this.flags.subarray(0, this.filled) };
    this.start += this.filled;
    this.filled = 0;
    this.flags = undefined;
    this.adc = new Int32Array(Math.max(1, Math.min(this.size, this.remaining)));
    return chunk;
  }
}

