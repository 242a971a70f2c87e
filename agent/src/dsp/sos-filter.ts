/**
 * Cascade of second-order sections, direct form II transposed, float64 state.
 *
 * Reference: scipy.signal.sosfilt (the same recursion, the same section layout
 * [b0 b1 b2 a0 a1 a2]); models/spec.json `conditioning.sos` is applied with this,
 * from zero initial state at the stream start, so windows match the Python
 * training code sample for sample (up to float32 rounding of the output).
 * Limits: a0 must be non-zero (sections are normalised by it at construction).
 */

/** One section [b0, b1, b2, a0, a1, a2]. */
export type SosSection = readonly [number, number, number, number, number, number];

export class SosFilter {
  /** Normalised coefficients, 5 per section: b0 b1 b2 a1 a2 (a0 divided out). */
  private readonly coef: Float64Array;
  /** DF2T state, 2 per section: z1, z2 (same unit as the signal). */
  private readonly state: Float64Array;
  private readonly sections: number;
  /** Full-precision output of `process` into a Float32Array, grown as needed. */
  private scratch = new Float64Array(0);

  constructor(sos: readonly SosSection[] | readonly (readonly number[])[]) {
    if (sos.length === 0) throw new RangeError('SOS filter: at least one section is needed');
    this.sections = sos.length;
    this.coef = new Float64Array(5 * sos.length);
    this.state = new Float64Array(2 * sos.length);
    sos.forEach((s, i) => {
      if (s.length !== 6 || s.some((v) => !Number.isFinite(v))) {
        throw new RangeError(`SOS filter: section ${i} must be 6 finite numbers [b0 b1 b2 a0 a1 a2], got [${s.join(', ')}]`);
      }
      const a0 = s[3];
      if (a0 === 0) throw new RangeError(`SOS filter: section ${i} has a0 = 0`);
      this.coef.set([s[0] / a0, s[1] / a0, s[2] / a0, s[4] / a0, s[5] / a0], 5 * i);
    });
  }

  /** Filters one sample. */
  step(x: number): number {
    const c = this.coef;
    const z = this.state;
    let v = x;
    for (let s = 0, k = 0, j = 0; s < this.sections; s++, k += 5, j += 2) {
      const y = c[k] * v + z[j];
      z[j] = c[k + 1] * v - c[k + 3] * y + z[j + 1];
      z[j + 1] = c[k + 2] * v - c[k + 4] * y;
      v = y;
    }
    return v;
  }

  /** Filters a chunk into `out` (allocated when absent); state carries over. */
  process(input: ArrayLike<number>, out?: Float64Array | Float32Array): Float64Array | Float32Array {
    const len = input.length;
    const y = out ?? new Float64Array(len);
    if (y.length < len) {
      for (let i = 0; i < len; i++) y[i] = this.step(input[i]);
      return y;
    }
    if (y instanceof Float64Array) {
      this.filterInto(input, y, len);
      return y;
    }
    // Float32 output: filter at full precision, round once at the end, as `step` does.
    if (this.scratch.length < len) this.scratch = new Float64Array(len);
    this.filterInto(input, this.scratch, len);
    for (let i = 0; i < len; i++) y[i] = this.scratch[i];
    return y;
  }

  /**
   * Filters input[inputAt..inputAt + length) into out[0..length): the same arithmetic as
   * `step` sample by sample (bit-identical output), run section by section
   * with the coefficients and state in locals, which is ~2x faster on blocks.
   * `out` may be `input` only when it is a Float64Array.
   */
  filterInto(input: ArrayLike<number>, out: Float64Array, length: number, inputAt = 0): void {
    const c = this.coef;
    const z = this.state;
    let src: ArrayLike<number> = input;
    let at = inputAt;
    for (let s = 0, k = 0, j = 0; s < this.sections; s++, k += 5, j += 2) {
      const b0 = c[k]; const b1 = c[k + 1]; const b2 = c[k + 2]; const a1 = c[k + 3]; const a2 = c[k + 4];
      let z1 = z[j];
      let z2 = z[j + 1];
      for (let i = 0; i < length; i++) {
        const v = src[at + i];
        const y = b0 * v + z1;
        z1 = b1 * v - a1 * y + z2;
        z2 = b2 * v - a2 * y;
        out[i] = y;
      }
      z[j] = z1;
      z[j + 1] = z2;
      src = out;
      at = 0;
    }
  }

  /**
   * Sets the state a constant input `x0` would have reached (scipy's sosfilt_zi
   * scaled by x0), so a stream starting at a DC offset gives no start-up step.
   * The conditioning filter of models/spec.json must NOT be primed (zero state).
   */
  prime(x0: number): void {
    const c = this.coef;
    const z = this.state;
    let v = x0;
    for (let s = 0, k = 0, j = 0; s < this.sections; s++, k += 5, j += 2) {
      const dcGain = (c[k] + c[k + 1] + c[k + 2]) / (1 + c[k + 3] + c[k + 4]);
      const y = dcGain * v;
      z[j + 1] = c[k + 2] * v - c[k + 4] * y;
      z[j] = y - c[k] * v;
      v = y;
    }
  }

  /** Back to zero state (the stream-start state). */
  reset(): void {
    this.state.fill(0);
  }
}

export function sosFilter(sos: readonly (readonly number[])[]): SosFilter {
  return new SosFilter(sos);
}
