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
 * toward 3, the Gaussian value), or when the peak-to-peak amplitude of its
 * slow band (0.5-5 Hz) exceeds `maxSlowToQrs` times that of its QRS band
 * (5-15 Hz): electrode motion is large and slow, and its kurtosis can stay
 * ECG-like. Two exceptions keep ventricular tachycardia from reading as noise
 * (its wide complexes give low kurtosis and slow energy): low kurtosis counts
 * only in a window with high-frequency (20-35 Hz) content, and a periodic
 * window (autocorrelation peak at a cycle of 0.2-0.6 s) is not NOISY by shape;
 * why, and what it was measured on: quality-verdict.ts. GAP samples are left
 * out of the measures. Kurtosis and the band
 * ratio describe a window's shape relative to its QRS complexes, so both are
 * meaningless in a window with none (a sinus pause, asystole): there they read
 * any residual baseline or muscle noise as Gaussian-like and slow-heavy. A
 * window is therefore first tested for being QUIET: its high-passed
 * peak-to-peak below `quietToQrs` times the median peak-to-peak of the recent
 * good windows (the running QRS amplitude of recent beats, not this window's).
 * A quiet window holds neither a QRS nor noise of a QRS's size and is not
 * judged NOISY (FLAT still applies: a dead channel is flat whatever came before).
 * Reference: kSQI of Li, Mark & Clifford, "Robust heart rate estimation from
 * multiple asynchronous noisy sources", Physiol Meas 29 (2008), and the
 * flat-line / amplitude checks of Clifford et al., Physiol Meas 33 (2012).
 * Measured with the defaults (2-s window, kurtosis 3.3, slow/QRS ratio 1.5,
 * the ratio tuned on all 48 MIT-BIH records and the noise stress test of 118
 * and 119 with `em`): 2.9% of MIT-BIH's time is flagged NOISY (2.3% without
 * the ratio), most of it in the paced records 107 and 217 (wide paced QRS), in
 * 207's flutter and in 105's, 108's and 203's noise (5-6%); white Gaussian noise 99.5% of
 * the time; 43% of the noisy time of 118/119 with `em` at 6 dB (16% without
 * the ratio). Wide ventricular beats carry slow energy too: the ratio is set
 * where PVC-rich 208 stays at 3.8% of its time (at 1.35 it was 17%).
 * The quiet test (0.4, 0.25-s blocks; measured 2026-11-24): of the 2-s windows
 * of 232 (sinus pauses up to 5.9 s) holding no reference beat, 289 of 390 were
 * NOISY without it, 59 at 0.25, 2 at 0.4; NOISY time over all 48 records 3.08%
 * -> 2.96% (207's flutter 19.2% -> 18.3%); the noise stress test (118/119,
 * `em`) is unchanged at 6 dB (at 0 dB the clean segments' poor signal 10.1%
 * -> 9.9%). Quiet noise up to 0.4 of the QRS amplitude (fine VF included) is
 * not NOISY: the rhythm rules see no beats there, not bad signal.
 * (These figures predate the VT exceptions, which lower MIT-BIH's NOISY time;
 * docs/benchmarks.md has the poor-signal time measured with them.)
 * Limits: decisions are per block, so a block's flags are known (and its
 * samples released) only when the block is complete; muscle noise is caught
 * only when strong; thresholds are for adult surface ECG in mV.
 * A span is a maximal run of blocks with the same worst reason.
 */
import { SampleFlag } from '../signal.ts';
import { SosFilter } from './sos-filter.ts';
import { highpassSection, lowpassSection } from './biquad-design.ts';
import { peakAutocorrelation, type Periodicity } from './periodicity.ts';
import { DEFAULT_VERDICT_THRESHOLDS, judgeWindow, type VerdictThresholds, type WindowMeasures } from './quality-verdict.ts';

/** Quality bits: the source's SampleFlag bits plus the judged ones. */
export const QualityFlag = {
  ...SampleFlag,
  /** Peak-to-peak amplitude too small over the window. */
  FLAT: 8,
  /** Amplitude out of range, noise (low kurtosis) or slow artefacts outgrowing the QRS band over the window. */
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

/**
 * A run of bad signal has begun at `start` (its end is not known yet). Reported
 * with the block that starts it, so a lead-off is announced while it lasts;
 * the BadSignalSpan that closes it follows when the signal recovers.
 */
export interface BadSignalStart {
  kind: 'bad-signal-start';
  start: number;
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
  /**
   * NOISY above this ratio of the peak-to-peak amplitudes of the slow band
   * (0.5-5 Hz) and the QRS band (5-15 Hz) over the window (default 1.5).
   */
  maxSlowToQrs?: number;
  /**
   * A window is quiet (no QRS, no large noise; never NOISY) when its high-passed
   * peak-to-peak is below this fraction of the median of the last good windows'
   * (default 0.4; 0 turns the test off). No reference, no quiet test.
   */
  quietToQrs?: number;
  /**
   * A window whose autocorrelation peaks at or above this at a lag of 0.2-0.6 s
   * (100-300 bpm) is periodic: a fast regular rhythm such as VT, not noise; the
   * kurtosis and band-ratio tests are skipped (default 0.5; above 1 turns it off).
   */
  periodicAcf?: number;
  /**
   * Low kurtosis is NOISY only when the peak-to-peak of the high band (20-35
   * Hz) is at least this fraction of the QRS band's over the window (default
   * 0.25; 0 turns the gate off).
   */
  minHfToQrs?: number;
}

/** Cycle lengths the periodicity test looks at, s: 300 to 100 bpm, the rates of VT. */
const MIN_PERIOD_S = 0.2;
const MAX_PERIOD_S = 0.6;

/** Good windows the running QRS amplitude is the median of (one per block). */
const REFERENCE_WINDOWS = 32;

/** What the last complete window measured and its verdict (diagnostics and tests). */
export interface WindowFeatures extends WindowMeasures {
  /** Block that closed the window. */
  block: number;
  quiet: boolean;
  /** Autocorrelation peak at a cycle of 0.2-0.6 s, when the verdict needed it; else null. */
  periodicity: number | null;
  /** Judged bits (FLAT, NOISY). */
  judged: number;
}

/** One complete block: its samples' flags (source bits + judged bits), and the spans that ended or began with it, in order. */
export interface QualityBlock {
  start: number;
  flags: Uint8Array;
  spans: (BadSignalSpan | BadSignalStart)[];
}

export class SignalQuality {
  readonly fs: number;
  private readonly options: SignalQualityOptions;
  /** Block and window lengths, samples and blocks. */
  private readonly block: number;
  private readonly windowBlocks: number;
  private readonly thresholds: VerdictThresholds;
  /** High-passed peak-to-peak of the last good, complete windows (mV), a ring; and how many are held. */
  private readonly goodPtpMv = new Float64Array(REFERENCE_WINDOWS);
  private goodCount = 0;
  /** The held values of goodPtpMv in ascending order. */
  private readonly goodSorted = new Float64Array(REFERENCE_WINDOWS);
  private readonly band: SosFilter;
  /** Slow band (the high-passed signal low-passed at 5 Hz) and QRS band (5-15 Hz). */
  private readonly slow: SosFilter;
  private readonly qrs: SosFilter;
  /** High band, 20-35 Hz (the steep low-pass keeps 50/60 Hz mains out: the notch comes after this stage). */
  private readonly high: SosFilter;
  /** Samples seen (index of the next sample). */
  private n = 0;
  /** The window's high-passed samples, a ring indexed by sample number (GAP samples as 0), for the autocorrelation. */
  private readonly ring: Float64Array;
  /** The autocorrelation runs on the window averaged over this many samples (~90 Hz: VT's energy is below 20 Hz). */
  private readonly decim: number;
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
  /** Per-block min and max of the slow and QRS bands, mV. */
  private readonly bSlowMin: Float64Array;
  private readonly bSlowMax: Float64Array;
  private readonly bQrsMin: Float64Array;
  private readonly bQrsMax: Float64Array;
  /** Per-block min and max of the high band, mV. */
  private readonly bHfMin: Float64Array;
  private readonly bHfMax: Float64Array;
  /** Stats of the block being filled (same meanings and units as the per-block arrays). */
  private cMin = Infinity; private cMax = -Infinity; private cBandMin = Infinity; private cBandMax = -Infinity;
  private c1 = 0; private c2 = 0; private c3 = 0; private c4 = 0; private cCount = 0;
  private cSlowMin = Infinity; private cSlowMax = -Infinity; private cQrsMin = Infinity; private cQrsMax = -Infinity;
  private cHfMin = Infinity; private cHfMax = -Infinity;
  /** Flags of the block being filled. */
  private flags: Uint8Array;
  /** Span in progress: reason, start sample; null when the signal is good. */
  private spanReason: BadSignalReason | null = null;
  private spanStart = 0;
  /** The current piece high-passed, and its slow, QRS and high bands (mV): scratch for `process`. */
  private yBuf = new Float64Array(0);
  private slowBuf = new Float64Array(0);
  private qrsBuf = new Float64Array(0);
  private hfBuf = new Float64Array(0);
  /** Features of the last complete window; null before the first. */
  lastWindow: WindowFeatures | null = null;

  constructor(options: SignalQualityOptions) {
    this.fs = options.fs;
    this.options = { ...options };
    this.block = Math.round((options.blockS ?? 1) * this.fs);
    this.windowBlocks = Math.max(1, Math.round((options.windowS ?? 2) / (options.blockS ?? 1)));
    const d = DEFAULT_VERDICT_THRESHOLDS;
    this.thresholds = {
      flatMv: options.flatMv ?? d.flatMv, maxPtpMv: options.maxPtpMv ?? d.maxPtpMv, minKurtosis: options.minKurtosis ?? d.minKurtosis,
      maxSlowToQrs: options.maxSlowToQrs ?? d.maxSlowToQrs, quietToQrs: options.quietToQrs ?? d.quietToQrs,
      periodicAcf: options.periodicAcf ?? d.periodicAcf, minHfToQrs: options.minHfToQrs ?? d.minHfToQrs,
    };
    this.band = new SosFilter([highpassSection(0.5, this.fs)]);
    this.slow = new SosFilter([lowpassSection(5, this.fs)]);
    this.qrs = new SosFilter([lowpassSection(15, this.fs), highpassSection(5, this.fs)]);
    this.high = new SosFilter([highpassSection(20, this.fs), highpassSection(20, this.fs), lowpassSection(35, this.fs), lowpassSection(35, this.fs)]);
    this.bMin = new Float64Array(this.windowBlocks);
    this.bMax = new Float64Array(this.windowBlocks);
    this.bBandMin = new Float64Array(this.windowBlocks);
    this.bBandMax = new Float64Array(this.windowBlocks);
    this.bSum = [1, 2, 3, 4].map(() => new Float64Array(this.windowBlocks));
    this.bCount = new Float64Array(this.windowBlocks);
    this.bSlowMin = new Float64Array(this.windowBlocks);
    this.bSlowMax = new Float64Array(this.windowBlocks);
    this.bQrsMin = new Float64Array(this.windowBlocks);
    this.bQrsMax = new Float64Array(this.windowBlocks);
    this.bHfMin = new Float64Array(this.windowBlocks);
    this.bHfMax = new Float64Array(this.windowBlocks);
    this.flags = new Uint8Array(this.block);
    this.ring = new Float64Array(this.windowBlocks * this.block);
    this.decim = Math.max(1, Math.round(this.fs / 90));
  }

  /**
   * Feeds samples (mV) and their source flags, mv[from..to) and flags[from..to)
   * (default: all of mv); returns the blocks completed.
   */
  process(mv: ArrayLike<number>, flags?: ArrayLike<number>, from = 0, to = mv.length): QualityBlock[] {
    const blocks: QualityBlock[] = [];
    const len = to - from;
    if (len <= 0) return blocks;
    if (this.yBuf.length < len) this.grow(len);
    // The four band filters run over the whole piece first (filterInto: the
    // same arithmetic as sample by sample), then one pass gathers the stats.
    if (this.n === 0) this.band.prime(mv[from]);
    const yBuf = this.yBuf;
    const slowBuf = this.slowBuf;
    const qrsBuf = this.qrsBuf;
    const hfBuf = this.hfBuf;
    this.band.filterInto(mv, yBuf, len, from);
    this.slow.filterInto(yBuf, slowBuf, len);
    this.qrs.filterInto(yBuf, qrsBuf, len);
    this.high.filterInto(yBuf, hfBuf, len);
    const ring = this.ring;
    const ringLen = ring.length;
    const blockLen = this.block;
    const blockFlags = this.flags;
    let n = this.n;
    let pos = n % blockLen;
    let ri = n % ringLen;
    let cMin = this.cMin; let cMax = this.cMax; let cBandMin = this.cBandMin; let cBandMax = this.cBandMax;
    let cSlowMin = this.cSlowMin; let cSlowMax = this.cSlowMax; let cQrsMin = this.cQrsMin; let cQrsMax = this.cQrsMax;
    let cHfMin = this.cHfMin; let cHfMax = this.cHfMax;
    let c1 = this.c1; let c2 = this.c2; let c3 = this.c3; let c4 = this.c4; let cCount = this.cCount;
    for (let i = 0; i < len; i++) {
      const f = flags ? flags[from + i] : 0;
      blockFlags[pos] = f;
      const y = yBuf[i];
      if ((f & QualityFlag.GAP) === 0) {
        ring[ri] = y;
        const hf = hfBuf[i];
        if (hf < cHfMin) cHfMin = hf;
        if (hf > cHfMax) cHfMax = hf;
        const x = mv[from + i];
        if (x < cMin) cMin = x;
        if (x > cMax) cMax = x;
        if (y < cBandMin) cBandMin = y;
        if (y > cBandMax) cBandMax = y;
        const slow = slowBuf[i];
        if (slow < cSlowMin) cSlowMin = slow;
        if (slow > cSlowMax) cSlowMax = slow;
        const qrs = qrsBuf[i];
        if (qrs < cQrsMin) cQrsMin = qrs;
        if (qrs > cQrsMax) cQrsMax = qrs;
        const y2 = y * y;
        c1 += y;
        c2 += y2;
        c3 += y2 * y;
        c4 += y2 * y2;
        cCount++;
      } else {
        ring[ri] = 0;
      }
      n++;
      if (++ri === ringLen) ri = 0;
      if (++pos === blockLen) {
        this.n = n;
        this.cMin = cMin; this.cMax = cMax; this.cBandMin = cBandMin; this.cBandMax = cBandMax;
        this.cSlowMin = cSlowMin; this.cSlowMax = cSlowMax; this.cQrsMin = cQrsMin; this.cQrsMax = cQrsMax;
        this.cHfMin = cHfMin; this.cHfMax = cHfMax;
        this.c1 = c1; this.c2 = c2; this.c3 = c3; this.c4 = c4; this.cCount = cCount;
        blocks.push(this.closeBlock((n - blockLen) / blockLen, blockLen));
        pos = 0;
        cMin = Infinity; cMax = -Infinity; cBandMin = Infinity; cBandMax = -Infinity;
        cSlowMin = Infinity; cSlowMax = -Infinity; cQrsMin = Infinity; cQrsMax = -Infinity;
        cHfMin = Infinity; cHfMax = -Infinity;
        c1 = 0; c2 = 0; c3 = 0; c4 = 0; cCount = 0;
      }
    }
    this.n = n;
    this.cMin = cMin; this.cMax = cMax; this.cBandMin = cBandMin; this.cBandMax = cBandMax;
    this.cSlowMin = cSlowMin; this.cSlowMax = cSlowMax; this.cQrsMin = cQrsMin; this.cQrsMax = cQrsMax;
    this.cHfMin = cHfMin; this.cHfMax = cHfMax;
    this.c1 = c1; this.c2 = c2; this.c3 = c3; this.c4 = c4; this.cCount = cCount;
    return blocks;
  }

  /** Scratch for the band-filtered piece, grown to the longest piece fed. */
  private grow(len: number): void {
    this.yBuf = new Float64Array(len);
    this.slowBuf = new Float64Array(len);
    this.qrsBuf = new Float64Array(len);
    this.hfBuf = new Float64Array(len);
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
    this.bSlowMin[slot] = this.cSlowMin; this.bSlowMax[slot] = this.cSlowMax;
    this.bQrsMin[slot] = this.cQrsMin; this.bQrsMax[slot] = this.cQrsMax;
    this.bHfMin[slot] = this.cHfMin; this.bHfMax[slot] = this.cHfMax;
    this.cSlowMin = Infinity; this.cSlowMax = -Infinity; this.cQrsMin = Infinity; this.cQrsMax = -Infinity;
    this.cHfMin = Infinity; this.cHfMax = -Infinity;
    this.cMin = Infinity; this.cMax = -Infinity; this.cBandMin = Infinity; this.cBandMax = -Infinity;
    this.c1 = 0; this.c2 = 0; this.c3 = 0; this.c4 = 0; this.cCount = 0;
    let min = Infinity;
    let max = -Infinity;
    let bandMin = Infinity;
    let bandMax = -Infinity;
    let slowMin = Infinity; let slowMax = -Infinity; let qrsMin = Infinity; let qrsMax = -Infinity;
    let hfMin = Infinity; let hfMax = -Infinity;
    let s1 = 0; let s2 = 0; let s3 = 0; let s4 = 0;
    let count = 0;
    for (let b = 0; b < this.windowBlocks; b++) {
      if (blockIndex - b < 0) break;
      const s = (blockIndex - b) % this.windowBlocks;
      min = Math.min(min, this.bMin[s]);
      max = Math.max(max, this.bMax[s]);
      bandMin = Math.min(bandMin, this.bBandMin[s]);
      bandMax = Math.max(bandMax, this.bBandMax[s]);
      slowMin = Math.min(slowMin, this.bSlowMin[s]); slowMax = Math.max(slowMax, this.bSlowMax[s]);
      qrsMin = Math.min(qrsMin, this.bQrsMin[s]); qrsMax = Math.max(qrsMax, this.bQrsMax[s]);
      hfMin = Math.min(hfMin, this.bHfMin[s]); hfMax = Math.max(hfMax, this.bHfMax[s]);
      s1 += this.bSum[0][s]; s2 += this.bSum[1][s]; s3 += this.bSum[2][s]; s4 += this.bSum[3][s];
      count += this.bCount[s];
    }
    let judged = 0;
    if (count > 0) {
      const m = s1 / count;
      const variance = s2 / count - m * m;
      const m4 = s4 / count - 4 * m * (s3 / count) + 6 * m * m * (s2 / count) - 3 * m ** 4;
      const w: WindowFeatures = {
        rawPtpMv: max - min, ptpMv: bandMax - bandMin, kurtosis: variance > 0 ? m4 / (variance * variance) : 0,
        slowPtpMv: slowMax - slowMin, qrsPtpMv: qrsMax - qrsMin, hfPtpMv: hfMax - hfMin, refPtpMv: this.recentQrsPtpMv(),
        block: blockIndex, quiet: false, periodicity: null, judged: 0,
      };
      const v = judgeWindow(w, this.thresholds, this.periodicityR);
      judged = v.verdict === 'flat' ? QualityFlag.FLAT : v.verdict === 'noisy' ? QualityFlag.NOISY : 0;
      // Only whole windows of good signal with beats in them set the reference:
      // noise would inflate it, and a pause would drag it down toward its own level.
      if (judged === 0 && !v.quiet && blockIndex + 1 >= this.windowBlocks) this.addGoodPtp(w.ptpMv);
      w.quiet = v.quiet;
      w.periodicity = v.periodicity;
      w.judged = judged;
      this.lastWindow = w;
    }
    const out = this.flags.slice(0, length);
    let all = 0;
    for (let i = 0; i < length; i++) { out[i] |= judged; all |= out[i]; }
    const start = blockIndex * this.block;
    const spans: QualityBlock['spans'] = [];
    const reason = worstReason(all);
    if (reason !== this.spanReason) {
      if (this.spanReason !== null) spans.push({ kind: 'bad-signal', start: this.spanStart, end: start, fs: this.fs, reason: this.spanReason });
      if (reason !== null) spans.push({ kind: 'bad-signal-start', start, fs: this.fs, reason });
      this.spanReason = reason;
      this.spanStart = start;
    }
    return { start, flags: out, spans };
  }

  /** Autocorrelation peak of the window (high-passed, averaged over `decim` samples) at lags of 0.2-0.6 s. */
  private periodicity(): Periodicity {
    const ring = this.ring;
    const len = Math.min(this.n, ring.length);
    const m = Math.floor(len / this.decim);
    const x = new Float64Array(m);
    const first = this.n - m * this.decim;
    for (let k = 0; k < m; k++) {
      let sum = 0;
      for (let j = 0; j < this.decim; j++) sum += ring[(first + k * this.decim + j) % ring.length];
      x[k] = sum / this.decim;
    }
    const perS = this.fs / this.decim;
    return peakAutocorrelation(x, MIN_PERIOD_S * perS, MAX_PERIOD_S * perS);
  }

  /** The periodicity test's value, for judgeWindow (one closure, not one per block). */
  private readonly periodicityR = (): number => this.periodicity().r;

  /**
   * Adds a good window's peak-to-peak to the ring and to its sorted copy (the
   * oldest leaves both once the ring is full): the median is then read, not
   * sorted, every block. Insertion keeps the same multiset as sorting the ring.
   */
  private addGoodPtp(ptpMv: number): void {
    const sorted = this.goodSorted;
    let held = Math.min(this.goodCount, REFERENCE_WINDOWS);
    const slot = this.goodCount % REFERENCE_WINDOWS;
    if (held === REFERENCE_WINDOWS) {
      const old = this.goodPtpMv[slot];
      let k = 0;
      while (k < held - 1 && sorted[k] !== old) k++;
      for (; k < held - 1; k++) sorted[k] = sorted[k + 1];
      held--;
    }
    let k = held;
    while (k > 0 && sorted[k - 1] > ptpMv) { sorted[k] = sorted[k - 1]; k--; }
    sorted[k] = ptpMv;
    this.goodPtpMv[slot] = ptpMv;
    this.goodCount++;
  }

  /** Median high-passed peak-to-peak of the recent good windows, mV; 0 before there is any. */
  private recentQrsPtpMv(): number {
    const held = Math.min(this.goodCount, REFERENCE_WINDOWS);
    if (held === 0) return 0;
    const sorted = this.goodSorted;
    return held % 2 === 1 ? sorted[(held - 1) / 2] : (sorted[held / 2 - 1] + sorted[held / 2]) / 2;
  }

  reset(): void {
    Object.assign(this, new SignalQuality(this.options));
  }
}
