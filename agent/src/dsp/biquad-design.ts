/**
 * Second-order section designs for the detector and the mains notch, by the
 * bilinear transform with frequency pre-warping.
 *
 * Reference: R. Bristow-Johnson, "Cookbook formulae for audio EQ biquad filter
 * coefficients" (low-pass, high-pass, notch); a low-pass or high-pass section
 * with Q = 1/sqrt(2) is a 2nd-order Butterworth. Frequencies in Hz, `fs` in Hz.
 * Limits: 0 < f < fs/2; higher orders are cascades of these sections, which is
 * Butterworth only for order 2.
 */
import type { SosSection } from './sos-filter.ts';

const BUTTERWORTH_Q = Math.SQRT1_2;

function checkFrequency(what: string, fHz: number, fs: number): void {
  if (!(fHz > 0 && fHz < fs / 2)) {
    throw new RangeError(`${what}: frequency ${fHz} Hz must be in (0, ${fs / 2}) for fs = ${fs} Hz`);
  }
}

function warp(fHz: number, fs: number, q: number): { cosw: number; alpha: number } {
  const w0 = (2 * Math.PI * fHz) / fs;
  return { cosw: Math.cos(w0), alpha: Math.sin(w0) / (2 * q) };
}

/** 2nd-order low-pass, cut-off `fHz` (-3 dB for the Butterworth Q). */
export function lowpassSection(fHz: number, fs: number, q = BUTTERWORTH_Q): SosSection {
  checkFrequency('low-pass', fHz, fs);
  const { cosw, alpha } = warp(fHz, fs, q);
  const b1 = 1 - cosw;
  return [b1 / 2, b1, b1 / 2, 1 + alpha, -2 * cosw, 1 - alpha];
}

/** 2nd-order high-pass, cut-off `fHz`. */
export function highpassSection(fHz: number, fs: number, q = BUTTERWORTH_Q): SosSection {
  checkFrequency('high-pass', fHz, fs);
  const { cosw, alpha } = warp(fHz, fs, q);
  const b1 = 1 + cosw;
  return [b1 / 2, -b1, b1 / 2, 1 + alpha, -2 * cosw, 1 - alpha];
}

/**
 * Notch at `fHz` with quality `q` (centre / -3 dB bandwidth); q = 30 at 60 Hz
 * removes 58-62 Hz and leaves the QRS band alone.
 */
export function notchSection(fHz: number, fs: number, q = 30): SosSection {
  checkFrequency('notch', fHz, fs);
  const { cosw, alpha } = warp(fHz, fs, q);
  return [1, -2 * cosw, 1, 1 + alpha, -2 * cosw, 1 - alpha];
}

/** Gain |H(f)| of a cascade at `fHz`, for tests and documentation. */
export function sosGainAt(sos: readonly (readonly number[])[], fHz: number, fs: number): number {
  const w = (2 * Math.PI * fHz) / fs;
  let g = 1;
  for (const [b0, b1, b2, a0, a1, a2] of sos) {
    const nr = b0 + b1 * Math.cos(-w) + b2 * Math.cos(-2 * w);
    const ni = b1 * Math.sin(-w) + b2 * Math.sin(-2 * w);
    const dr = a0 + a1 * Math.cos(-w) + a2 * Math.cos(-2 * w);
    const di = a1 * Math.sin(-w) + a2 * Math.sin(-2 * w);
    g *= Math.hypot(nr, ni) / Math.hypot(dr, di);
  }
  return g;
}

/** Group delay of a cascade at `fHz`, in samples (numerical phase derivative). */
export function sosGroupDelayAt(sos: readonly (readonly number[])[], fHz: number, fs: number): number {
  const phase = (f: number): number => {
    const w = (2 * Math.PI * f) / fs;
    let p = 0;
    for (const [b0, b1, b2, a0, a1, a2] of sos) {
      p += Math.atan2(-b1 * Math.sin(w) - b2 * Math.sin(2 * w), b0 + b1 * Math.cos(w) + b2 * Math.cos(2 * w));
      p -= Math.atan2(-a1 * Math.sin(w) - a2 * Math.sin(2 * w), a0 + a1 * Math.cos(w) + a2 * Math.cos(2 * w));
    }
    return p;
  };
  const df = 0.01;
  let dp = phase(fHz + df) - phase(fHz - df);
  while (dp > Math.PI) dp -= 2 * Math.PI;
  while (dp < -Math.PI) dp += 2 * Math.PI;
  return (-dp / (2 * Math.PI * 2 * df)) * fs;
}

/** Butterworth low-pass of even order as a cascade of 2nd-order sections. */
export function butterworthLowpass(order: number, fHz: number, fs: number): SosSection[] {
  if (!(Number.isInteger(order) && order >= 2 && order % 2 === 0)) throw new RangeError(`Butterworth low-pass: order must be even and >= 2, got ${order}`);
  const sections: SosSection[] = [];
  for (let k = 0; k < order / 2; k++) {
    const q = 1 / (2 * Math.cos((Math.PI * (2 * k + 1)) / (2 * order)));
    sections.push(lowpassSection(fHz, fs, q));
  }
  return sections;
}
