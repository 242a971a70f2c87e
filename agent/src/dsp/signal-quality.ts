/**
 * Signal quality: per-sample flags and bad-signal spans, block by block.
 *
 * The source's own flags (lead-off, saturation, GAP) are kept per sample; two
 * more are judged per block of `blockS` seconds over the window of the last
 * `windowS` seconds (this block and the ones before it), on the signal
 * high-passed at 0.5 Hz (baseline removed, high-frequency noise kept): FLAT
 * when its peak-to-peak amplitude is below `flatMv` (a disconnected or dead
 * channel); NOISY when the raw peak-to-peak exceeds `maxPtpMv` (out of the ECG
 * range) or when the kurtosis of the high-passed signal is below `minKurtosis`
 * (ECG is peaky, kurtosis ~5-20; electrode-motion and muscle noise push it
 * toward 3, the Gaussian value). GAP samples are left out of the measures.
 * Reference: kSQI of Li, Mark & Clifford, "Robust heart rate estimation from
 * multiple asynchronous noisy sources", Physiol Meas 29 (2008), and the
 * flat-line / amplitude checks of Clifford et al., Physiol Meas 33 (2012).
 * Measured with the defaults (2-s window, kurtosis 3.3): 2.3% of MIT-BIH's
 * time is flagged NOISY, most of it in the paced records 107 and 217 (wide paced
 * QRS) and in 207's flutter; white Gaussian noise 99.5% of the time; the NSTDB
 * electrode-motion and muscle noise recordings alone about 40%.
 * Limits: decisions are per block, so a block's flags are known (and its
 * samples released) only when the block is complete; muscle noise is caught
 * only when strong; thresholds are for adult surface ECG in mV.
 * A span is a maximal run of blocks with the same worst reason.
 */
import { SampleFlag } from '../signal.ts';
import { SosFilter } from './sos-filter.ts';
import { highpassSection } from './biquad-design.ts';

/** Quality bits: the source's SampleFlag bits plus the judged ones. */
export const QualityFlag = {
  ...SampleFlag,
  /** Peak-to-peak amplitude too small over the window. */
  FLAT: 8,
  /** Amplitude out of range or high-frequency noise over the window. */
  NOISY: 16,
} as const;

export type BadSignalReason = 'gap' | 'lead-off' | 'saturated' | 'flat' | 'noisy';

/** Worst first: a block with several problems is reported with the first. */
const REASONS: readonly [number, BadSignalReason][] = [
  [QualityFlag.GAP, 'gap'], [QualityFlag.LEAD_OFF, 'lead-off'], [QualityFlag.SATURATED, 'saturated'],
  [QualityFlag.FLAT, 'flat'], [QualityFlag.NOISY, 'noisy'],
];

/** The worst reason among the bits of `flags`, or null when clean. */
export function worstReason(flags: number): BadSignalReason | null {
  for (const [bit, reason] of REASONS) if ((flags & bit) !== 0) return reason;
  return null;
}

/** A run of bad signal: samples [start, end) at `fs`. */
export interface BadSignalSpan {
  kind: 'bad-signal';
  start: number;
  end: number;
  fs: number;
  reason: BadSignalReason;
}

export interface SignalQualityOptions {
  fs: number;
  /** Block length, s (default 1). */
  blockS?: number;
  /** Window the judged flags look at, s; a whole number of blocks (default 2). */
  windowS?: number;
  /** FLAT below this peak-to-peak, mV (default 0.05). */
  flatMv?: number;
  /** NOISY above this peak-to-peak, mV (default 10). */
  maxPtpMv?: number;
  /** NOISY below this kurtosis of the high-passed signal (default 3.3). */
  minKurtosis?: number;
}

/** One complete block: its samples' flags (source bits + judged bits) and the spans that ended with it. */
export interface QualityBlock {
  start: number;
  flags: Uint8Array;
  spans: BadSignalSpan[];
}

export class SignalQuality {
  readonly fs: number;
  private readonly options: SignalQualityOptions;
  /** Block and window lengths, samples and blocks. */
  private readonly block: number;
  private readonly windowBlocks: number;
  private readonly flatMv: number;
  private readonly maxPtpMv: number;
  private readonly minKurtosis: number;
  private readonly band: SosFilter;
  /** Samples seen (index of the next sample). */
  private n = 0;
  /**
   * Per-block stats of the last `windowBlocks` blocks, GAP samples left out:
   * raw min and max (mV), high-passed min and max (mV), sums of the high-passed
   * signal's powers 1..4 (mV^k), sample count.
   */
  private readonly bMin: Float64Array;
  private readonly bMax: Float64Array;
  private readonly bBandMin: Float64Array;
  private readonly bBandMax: Float64Array;
  private readonly bSum: Float64Array[];
  private readonly bCount: Float64Array;
  /** Stats of the block being filled (same meanings and units as the per-block arrays). */
  private cMin = Infinity; private cMax = -Infinity; private cBandMin = Infinity; private cBandMax = -Infinity;
  private c1 = 0; private c2 = 0; private c3 = 0; private c4 = 0; private cCount = 0;
  /** Flags of the block being filled. */
  private flags: Uint8Array;
  /** Span in progress: reason, start sample; null when the signal is good. */
  private spanReason: BadSignalReason | null = null;
  private spanStart = 0;

  constructor(options: SignalQualityOptions) {
    this.fs = options.fs;
    this.options = { ...options };
    this.block = Math.round((options.blockS ?? 1) * this.fs);
    this.windowBlocks = Math.max(1, Math.round((options.windowS ?? 2) / (options.blockS ?? 1)));
    this.flatMv = options.flatMv ?? 0.05;
    this.maxPtpMv = options.maxPtpMv ?? 10;
    this.minKurtosis = options.minKurtosis ?? 3.3;
    this.band = new SosFilter([highpassSection(0.5, this.fs)]);
    this.bMin = new Float64Array(this.windowBlocks);
    this.bMax = new Float64Array(this.windowBlocks);
    this.bBandMin = new Float64Array(this.windowBlocks);
    this.bBandMax = new Float64Array(this.windowBlocks);
    this.bSum = [1, 2, 3, 4].map(() => new Float64Array(this.windowBlocks));
    this.bCount = new Float64Array(this.windowBlocks);
    this.flags = new Uint8Array(this.block);
  }

  /** Feeds samples (mV) and their source flags; returns the blocks completed. */
  process(mv: ArrayLike<number>, flags?: ArrayLike<number>): QualityBlock[] {
    const blocks: QualityBlock[] = [];
    for (let i = 0; i < mv.length; i++) {
      const n = this.n;
      if (n === 0) this.band.prime(mv[i]);
      const blockIndex = Math.floor(n / this.block);
      const pos = n - blockIndex * this.block;
      const f = flags ? flags[i] : 0;
      this.flags[pos] = f;
      const y = this.band.step(mv[i]);
      if ((f & QualityFlag.GAP) === 0) {
        const x = mv[i];
        if (x < this.cMin) this.cMin = x;
        if (x > this.cMax) this.cMax = x;
        if (y < this.cBandMin) this.cBandMin = y;
        if (y > this.cBandMax) this.cBandMax = y;
        const y2 = y * y;
        this.c1 += y;
        this.c2 += y2;
        this.c3 += y2 * y;
        this.c4 += y2 * y2;
        this.cCount++;
      }
      this.n = n + 1;
      if (pos === this.block - 1) blocks.push(this.closeBlock(blockIndex, this.block));
    }
    return blocks;
  }

  /** End of stream: the partial block (maybe empty), carrying the span still open. */
  flush(): QualityBlock {
    const blockIndex = Math.floor(this.n / this.block);
    const length = this.n - blockIndex * this.block;
    const last = length > 0 ? this.closeBlock(blockIndex, length) : { start: this.n, flags: new Uint8Array(0), spans: [] };
    if (this.spanReason !== null) {
      last.spans.push({ kind: 'bad-signal', start: this.spanStart, end: this.n, fs: this.fs, reason: this.spanReason });
      this.spanReason = null;
    }
    return last;
  }

  private closeBlock(blockIndex: number, length: number): QualityBlock {
    const slot = blockIndex % this.windowBlocks;
    this.bMin[slot] = this.cMin; this.bMax[slot] = this.cMax;
    this.bBandMin[slot] = this.cBandMin; this.bBandMax[slot] = this.cBandMax;
    this.bSum[0][slot] = this.c1; this.bSum[1][slot] = this.c2; this.bSum[2][slot] = this.c3; this.bSum[3][slot] = this.c4;
    this.bCount[slot] = this.cCount;
    this.cMin = Infinity; this.cMax = -Infinity; this.cBandMin = Infinity; this.cBandMax = -Infinity;
    this.c1 = 0; this.c2 = 0; this.c3 = 0; this.c4 = 0; this.cCount = 0;
    let min = Infinity;
    let max = -Infinity;
    let bandMin = Infinity;
    let bandMax = -Infinity;
    let s1 = 0; let s2 = 0; let s3 = 0; let s4 = 0;
    let count = 0;
    for (let b = 0; b < this.windowBlocks; b++) {
      if (blockIndex - b < 0) break;
      const s = (blockIndex - b) % this.windowBlocks;
      min = Math.min(min, this.bMin[s]);
      max = Math.max(max, this.bMax[s]);
      bandMin = Math.min(bandMin, this.bBandMin[s]);
      bandMax = Math.max(bandMax, this.bBandMax[s]);
      s1 += this.bSum[0][s]; s2 += this.bSum[1][s]; s3 += this.bSum[2][s]; s4 += this.bSum[3][s];
      count += this.bCount[s];
    }
    let judged = 0;
    if (count > 0) {
      const m = s1 / count;
      const variance = s2 / count - m * m;
      const m4 = s4 / count - 4 * m * (s3 / count) + 6 * m * m * (s2 / count) - 3 * m ** 4;
      const kurtosis = variance > 0 ? m4 / (variance * variance) : 0;
      if (bandMax - bandMin < this.flatMv) judged = QualityFlag.FLAT;
      else if (max - min > this.maxPtpMv || kurtosis < this.minKurtosis) judged = QualityFlag.NOISY;
    }
    const out = this.flags.slice(0, length);
    let all = 0;
    for (let i = 0; i < length; i++) { out[i] |= judged; all |= out[i]; }
    const start = blockIndex * this.block;
    const spans: BadSignalSpan[] = [];
    const reason = worstReason(all);
    if (reason !== this.spanReason) {
      if (this.spanReason !== null) spans.push({ kind: 'bad-signal', start: this.spanStart, end: start, fs: this.fs, reason: this.spanReason });
      this.spanReason = reason;
      this.spanStart = start;
    }
    return { start, flags: out, spans };
  }

  reset(): void {
    Object.assign(this, new SignalQuality(this.options));
  }
}
