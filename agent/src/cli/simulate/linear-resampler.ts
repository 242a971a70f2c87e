/**
 * Streaming linear-interpolation resampler for the simulator (360 Hz records to
 * the device rate). Output sample j is the input interpolated at time j/fsOut;
 * chunking does not change the output. Limits: no anti-alias filter, so when
 * down-sampling (360 -> 250 or 125 Hz) content above the new Nyquist folds
 * back; MIT-BIH records are band-limited to about 60 Hz by their recorders, so
 * the fold-back is small at 250 Hz and above. The pipeline's own resampler
 * (agent/src/dsp) is the anti-aliased one.
 */
export class LinearResampler {
  /** Input samples consumed so far (index of the next input sample). */
  private inCount = 0;
  /** Output samples produced so far. */
  private outCount = 0;
  /** Last input sample seen (index inCount - 1), for interpolating across chunks. */
  private prev = 0;

  constructor(readonly fsIn: number, readonly fsOut: number) {
    if (!(fsIn > 0) || !(fsOut > 0)) throw new RangeError(`resampler: rates must be > 0 Hz (got ${fsIn} -> ${fsOut})`);
  }

  /** Resamples the next input samples; returns the output samples now computable. */
  push(input: ArrayLike<number>): Float32Array {
    const out: number[] = [];
    const base = this.inCount;
    const at = (i: number) => (i < base ? this.prev : input[i - base]);
    const end = base + input.length; // input indices [0, end) are known
    for (;;) {
      const t = (this.outCount * this.fsIn) / this.fsOut; // input time of the next output
      const i0 = Math.floor(t);
      if (i0 + 1 >= end && !(i0 + 1 === end && t === i0)) break;
      const frac = t - i0;
      out.push(frac === 0 ? at(i0) : at(i0) * (1 - frac) + at(i0 + 1) * frac);
      this.outCount++;
    }
    if (input.length > 0) this.prev = input[input.length - 1];
    this.inCount = end;
    return Float32Array.from(out);
  }
}
