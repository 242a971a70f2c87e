/**
 * The verdict on one window of signal from its measures (signal-quality.ts
 * gathers them, streaming): flat, noisy, or good; and whether it is quiet.
 *
 * FLAT below `flatMv` peak-to-peak; NOISY when the raw peak-to-peak is out of
 * the ECG range, or, unless the window is quiet or periodic, when its kurtosis
 * is low (with high-frequency content) or its slow band outgrows its QRS band.
 *
 * Why the two exceptions for ventricular tachycardia (issue 8; measured
 * 2026-11-24 on all 48 MIT-BIH records, 2-s windows every 0.25 s): of the 672
 * windows holding >= 3 beats of a reference VT run (>= 3 V beats, > 100 bpm),
 * 282 were NOISY, 271 of them by kurtosis alone (median 2.8): wide, fast
 * complexes fill the window and make it near-sinusoidal (a sine's kurtosis is
 * 1.5), so the quality stage hid the very rhythm the alarm exists for, and
 * the rhythm rules dropped VT whose signal it then called poor.
 * - Low kurtosis counts only with high-frequency content: the peak-to-peak of
 *   the 20-35 Hz band at least `minHfToQrs` (0.25) of the QRS band's (5-15 Hz).
 *   Wide ventricular complexes are smooth (5th-95th percentile of that ratio
 *   in the VT windows NOISY by shape: 0.13-0.28, median 0.17); electrode
 *   motion less so (0.20-0.45, median 0.30 at 6 dB; 0.26-0.46 at 12 dB; NSTDB
 *   `em` on 118/119), muscle noise not at all (0.35-1.36). The idea is the
 *   spectral-distribution SQIs of Li, Mark & Clifford (Physiol Meas 29, 2008:
 *   pSQI, the QRS band's share of 5-40 Hz) and Clifford et al. (Physiol Meas
 *   33, 2012);
 *   the band edges keep 50/60 Hz mains out (this stage precedes the notch).
 * - A periodic window is not NOISY by kurtosis or band ratio: autocorrelation
 *   peak >= `periodicAcf` (0.5) at a cycle of 0.2-0.6 s (periodicity.ts). VT
 *   repeats itself, electrode motion does not (13 of 2682 NOISY `em` windows
 *   at 6 dB reach 0.5, none at 12 dB; 46 of the 282 VT windows do).
 * With both, 23 of the 282 VT windows stay NOISY; of the NOISY `em` windows
 * 2530 of 2682 at 6 dB (94%) and 617 of 627 at 12 dB still are, of `ma` at
 * 6 dB 879 of 914. The 0.25 was chosen on those windows (VT windows from all
 * 48 records, noise from 118/119 with `em`: the same data as the end-to-end
 * figures in docs/benchmarks.md, so those are not independent of it); at 0.3
 * the noise stress test's `em` 6 dB gave 2 false VT (runConfirmMs 750), at
 * 0.25 none; 0.5 for the periodicity was not tuned further. Cost: paced complexes are wide and smooth too, so
 * the paced records 107 and 217, which the old test called NOISY for much of
 * their length, are read more (their paced beats, which the model has no class
 * for, then raise false V events).
 * Limits: a window of a few wide beats whose slow band outgrows the QRS band
 * and that is not periodic stays NOISY (221's 3-beat run at 843 s: ratio
 * 1.5-1.74); so does polymorphic VT with some high-frequency content (203 at
 * 305 s: ratio 0.28, periodicity 0.3-0.46).
 */

/** What one window measured. Peak-to-peaks in mV. */
export interface WindowMeasures {
  /** Raw signal (baseline included) and high-passed (0.5 Hz) signal. */
  rawPtpMv: number;
  ptpMv: number;
  /** Kurtosis of the high-passed signal. */
  kurtosis: number;
  /** Slow (0.5-5 Hz), QRS (5-15 Hz) and high (20-35 Hz) bands. */
  slowPtpMv: number;
  qrsPtpMv: number;
  hfPtpMv: number;
  /** Median high-passed peak-to-peak of recent good windows (0 before any). */
  refPtpMv: number;
}

export interface VerdictThresholds {
  flatMv: number;
  maxPtpMv: number;
  minKurtosis: number;
  maxSlowToQrs: number;
  quietToQrs: number;
  periodicAcf: number;
  minHfToQrs: number;
}

/** The thresholds the quality stage ships with (signal-quality.ts documents each). */
export const DEFAULT_VERDICT_THRESHOLDS: Readonly<VerdictThresholds> = {
  flatMv: 0.05, maxPtpMv: 10, minKurtosis: 3.3, maxSlowToQrs: 1.5, quietToQrs: 0.4, periodicAcf: 0.5, minHfToQrs: 0.25,
};

export interface Verdict {
  verdict: 'good' | 'flat' | 'noisy';
  /** No QRS and no noise of a QRS's size (signal-quality.ts). */
  quiet: boolean;
  /** The autocorrelation peak, when it was needed (the window was otherwise NOISY by shape); else null. */
  periodicity: number | null;
}

/** Judges a window; `periodicity` is called only when the verdict depends on it (it costs a few thousand operations). */
export function judgeWindow(m: WindowMeasures, t: VerdictThresholds, periodicity: () => number): Verdict {
  const quiet = m.ptpMv < t.quietToQrs * m.refPtpMv;
  if (m.ptpMv < t.flatMv) return { verdict: 'flat', quiet, periodicity: null };
  if (m.rawPtpMv > t.maxPtpMv) return { verdict: 'noisy', quiet, periodicity: null };
  if (quiet) return { verdict: 'good', quiet, periodicity: null };
  const lowKurtosis = m.kurtosis < t.minKurtosis && m.hfPtpMv >= t.minHfToQrs * m.qrsPtpMv;
  const slowHeavy = m.slowPtpMv > t.maxSlowToQrs * m.qrsPtpMv;
  if (!lowKurtosis && !slowHeavy) return { verdict: 'good', quiet, periodicity: null };
  const r = periodicity();
  return { verdict: r >= t.periodicAcf ? 'good' : 'noisy', quiet, periodicity: r };
}
