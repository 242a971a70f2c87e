import test from 'ava';
import { DEFAULT_VERDICT_THRESHOLDS, judgeWindow, type VerdictThresholds, type WindowMeasures } from '../../agent/src/dsp/quality-verdict.ts';

/** The shipped thresholds: the cases below are judged as the agent judges them. */
const t0: VerdictThresholds = { ...DEFAULT_VERDICT_THRESHOLDS };
/** A window of wide ventricular complexes as measured on MIT-BIH VT (quality-verdict.ts): low kurtosis, smooth. */
const vt: WindowMeasures = { rawPtpMv: 2.7, ptpMv: 2.6, kurtosis: 2.6, slowPtpMv: 1.3, qrsPtpMv: 1.2, hfPtpMv: 0.2, refPtpMv: 2.3 };

test('low kurtosis without high-frequency content (wide, smooth complexes) is good; with it, noisy', (t) => {
  t.is(judgeWindow(vt, t0, () => 0).verdict, 'good');
  t.is(judgeWindow({ ...vt, hfPtpMv: 0.4 }, t0, () => 0).verdict, 'noisy');
  // The gate off (0): the old kurtosis test.
  t.is(judgeWindow(vt, { ...t0, minHfToQrs: 0 }, () => 0).verdict, 'noisy');
});

test('a periodic window is not noisy by shape; the periodicity is computed only when the verdict depends on it', (t) => {
  const slowHeavy = { ...vt, slowPtpMv: 2.4 };
  t.is(judgeWindow(slowHeavy, t0, () => 0.2).verdict, 'noisy');
  const v = judgeWindow(slowHeavy, t0, () => 0.8);
  t.deepEqual(v, { verdict: 'good', quiet: false, periodicity: 0.8 });
  t.is(judgeWindow(slowHeavy, { ...t0, periodicAcf: Infinity }, () => 1).verdict, 'noisy');
  let calls = 0;
  judgeWindow({ ...vt, kurtosis: 8 }, t0, () => { calls++; return 1; });
  t.is(calls, 0, 'a peaky window with no slow excess needs no autocorrelation');
});

test('out-of-range amplitude and flat line are judged whatever the shape or periodicity', (t) => {
  t.is(judgeWindow({ ...vt, rawPtpMv: 12 }, t0, () => 1).verdict, 'noisy');
  t.is(judgeWindow({ ...vt, ptpMv: 0.01, rawPtpMv: 0.01 }, t0, () => 1).verdict, 'flat');
  // Quiet (far below the recent beats): not noisy however Gaussian.
  t.deepEqual(judgeWindow({ ...vt, ptpMv: 0.5, kurtosis: 3, hfPtpMv: 1 }, t0, () => 0), { verdict: 'good', quiet: true, periodicity: null });
});
