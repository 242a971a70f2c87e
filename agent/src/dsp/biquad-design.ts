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
