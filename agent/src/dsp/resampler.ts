/**
 * Streaming rational resampler: any integer device rate (125..1000 SPS and
 * beyond) to the model rate, anti-aliased, with exact sample-index bookkeeping.
 *
 * Method: polyphase FIR (Crochiere & Rabiner, "Multirate Digital Signal
 * Processing", 1983). The ratio is fsOut/fsIn = L/M in lowest terms (500->360 is
 * 18/25, 250->360 36/25, 128->360 45/16). Output sample j is the band-limited
 * input evaluated at input time t = j*M/L (in input samples): a Kaiser-windowed
 * sinc centred on t, so output j is exactly aligned with input time t; the
 * fractional part of t takes L values, one precomputed tap set (phase) each,
 * normalised to unit DC gain. The low-pass is designed at construction: pass
 * band to 0.8 of the lower Nyquist, stop band (>= 80 dB) from that Nyquist.
 * Limits: output j is produced once input sample floor(t) + halfTaps has arrived
 * (the latency, about 70 ms); samples before index 0 are taken as the first
 * sample (no start-up step); the last ~halfTaps outputs of a stream are not
 * produced. Flags of output j are the OR of those of input floor(t) and ceil(t).
 */
import type { SampleChunk } from '../signal.ts';

/** Stop-band attenuation of the designed low-pass, dB. */
const STOPBAND_DB = 80;
/** Pass-band edge as a fraction of the lower of the two Nyquist frequencies. */
const PASSBAND_FRACTION = 0.8;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (series). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < sum * 1e-16) break;
  }
  return sum;
}

export interface ResamplerDesign {
  /** Up-sampling factor L. */
  up: number;
  /** Down-sampling factor M. */
  down: number;
  /** Taps per phase on each side of the centre (input samples). */
  halfTaps: number;
  /** Low-pass cut-off (-6 dB), Hz. */
  cutoffHz: number;
  /** L tap sets of 2*halfTaps each, phase p for fractional time p/L. */
  phases: Float64Array[];
}

/**
 * Rates the resampler takes, Hz: ECG front ends (the ADS1292: 125-8000 SPS) and
 * PhysioNet's ECG records (128-1000 Hz, a few 10 kHz). Beyond them the filter
 * grows with the rate (taps ~ 0.14 x the input rate into 360 Hz) and a bad
 * header (fs 99999999) would take gigabytes; below them there is no ECG.
 */
export const RESAMPLER_RATES_HZ = { min: 50, max: 20_000 } as const;

const { min: MIN_HZ, max: MAX_HZ } = RESAMPLER_RATES_HZ;
const takesRate = (fs: number) => Number.isInteger(fs) && fs >= MIN_HZ && fs <= MAX_HZ;

/** Throws, naming `what` (a record's header), when `fs` is not a rate the resampler takes. */
export function checkResamplerRate(fs: number, what: string): void {
  if (!takesRate(fs)) throw new RangeError(`${what}: sampling frequency ${fs} Hz; the pipeline takes an integer from ${MIN_HZ} to ${MAX_HZ} Hz`);
}

/** Designs the polyphase filter for fsIn -> fsOut (integer rates, Hz). */
export function designResampler(fsIn: number, fsOut: number): ResamplerDesign {
  for (const [name, v] of [['input rate', fsIn], ['output rate', fsOut]] as const) {
    if (!takesRate(v)) throw new RangeError(`resampler: ${name} is ${v} Hz; allowed: an integer from ${MIN_HZ} to ${MAX_HZ} Hz`);
  }
  const g = gcd(fsIn, fsOut);
  const up = fsOut / g;
  const down = fsIn / g;
  const nyquistHz = Math.min(fsIn, fsOut) / 2;
  const transitionHz = (1 - PASSBAND_FRACTION) * nyquistHz;
  const cutoffHz = nyquistHz - transitionHz / 2;
  // Kaiser's length formula, in input samples.
  const length = (STOPBAND_DB - 8) / (2.285 * 2 * Math.PI * (transitionHz / fsIn)) + 1;
  const halfTaps = Math.ceil(length / 2);
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  const i0Beta = besselI0(beta);
  const fc = cutoffHz / fsIn; // cycles per input sample
  const phases: Float64Array[] = [];
  for (let p = 0; p < up; p++) {
    const taps = new Float64Array(2 * halfTaps);
    let sum = 0;
    for (let k = 0; k < taps.length; k++) {
      // Tap k weighs input floor(t) - halfTaps + 1 + k; tau is t minus its time.
      const tau = p / up + halfTaps - 1 - k;
      const r = tau / halfTaps;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const x = 2 * fc * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      taps[k] = 2 * fc * sinc * window;
      sum += taps[k];
    }
    for (let k = 0; k < taps.length; k++) taps[k] /= sum;
    phases.push(taps);
  }
  return { up, down, halfTaps, cutoffHz, phases };
}

export class Resampler {
  readonly design: ResamplerDesign | null;
  /** Input samples kept for the next outputs, from input index `bufStart`, mV. */
  private buf = new Float64Array(0);
  private flagBuf = new Uint8Array(0);
  /** Input index of buf[0]. */
  private bufStart = 0;
  /** Input samples received so far (index of the next expected input). */
  private inCount = 0;
  /** Index of the next output sample, at fsOut. */
  private nextOut = 0;
  /** Value standing for the samples before the stream start, mV. */
  private first = 0;
  /** Wall clock anchor: input index and its wall time, ms since epoch. */
  private wallIndex = -1;
  private wallMs = 0;

  constructor(readonly fsIn: number, readonly fsOut: number) {
    this.design = fsIn === fsOut ? null : designResampler(fsIn, fsOut);
  }

  /** Resamples one chunk; returns the output samples it completes (maybe none). */
  process(chunk: SampleChunk): SampleChunk {
    if (chunk.fs !== this.fsIn) throw new RangeError(`resampler: chunk at ${chunk.fs} Hz, expected ${this.fsIn} Hz`);
    if (chunk.start !== this.inCount) {
      throw new RangeError(`resampler: chunk starts at sample ${chunk.start}, expected ${this.inCount} (gaps must be bridged with GAP samples)`);
    }
    this.inCount += chunk.mv.length;
    if (chunk.wallMs !== undefined) { this.wallIndex = chunk.start; this.wallMs = chunk.wallMs; }
    if (this.design === null) return chunk;
    const d = this.design;
    if (chunk.start === 0 && chunk.mv.length > 0) this.first = chunk.mv[0];
    const buf = new Float64Array(this.buf.length + chunk.mv.length);
    buf.set(this.buf);
    buf.set(chunk.mv, this.buf.length);
    const flagBuf = new Uint8Array(buf.length);
    flagBuf.set(this.flagBuf);
    if (chunk.flags) flagBuf.set(chunk.flags, this.flagBuf.length);
    const h = d.halfTaps;
    // Outputs j with floor(j*M/L) + h < inCount are complete.
    const lastOut = Math.floor(((this.inCount - 1 - h) * d.up + d.up - 1) / d.down);
    const count = Math.max(0, lastOut - this.nextOut + 1);
    const mv = new Float32Array(count);
    const flags = new Uint8Array(count);
    let anyFlag = false;
    for (let n = 0; n < count; n++) {
      const num = (this.nextOut + n) * d.down;
      const i0 = Math.floor(num / d.up);
      const p = num - i0 * d.up;
      const taps = d.phases[p];
      const from = i0 - h + 1 - this.bufStart;
      let acc = 0;
      for (let k = 0; k < taps.length; k++) {
        const idx = from + k;
        acc += taps[k] * (idx + this.bufStart < 0 ? this.first : buf[idx]);
      }
      mv[n] = acc;
      const fi = i0 - this.bufStart;
      const f = (fi >= 0 ? flagBuf[fi] : 0) | (p !== 0 && fi + 1 < flagBuf.length ? flagBuf[fi + 1] : 0);
      flags[n] = f;
      if (f !== 0) anyFlag = true;
    }
    const start = this.nextOut;
    this.nextOut += count;
    // Keep what the next output needs: from floor(next*M/L) - h + 1.
    const keepFrom = Math.max(this.bufStart, Math.floor((this.nextOut * d.down) / d.up) - h + 1);
    this.buf = buf.slice(keepFrom - this.bufStart);
    this.flagBuf = flagBuf.slice(keepFrom - this.bufStart);
    this.bufStart = keepFrom;
    const out: SampleChunk = { start, fs: this.fsOut, mv };
    if (anyFlag) out.flags = flags;
    if (this.wallIndex >= 0) out.wallMs = this.wallMs + ((start * d.down) / d.up - this.wallIndex) * (1000 / this.fsIn);
    return out;
  }

  reset(): void {
    this.buf = new Float64Array(0);
    this.flagBuf = new Uint8Array(0);
    this.bufStart = 0;
    this.inCount = 0;
    this.nextOut = 0;
    this.first = 0;
    this.wallIndex = -1;
  }
}

export function resampler(fsIn: number, fsOut: number): Resampler {
  return new Resampler(fsIn, fsOut);
}
