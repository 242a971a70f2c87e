/** Spectra for the synthetic source's tests: a plain radix-2 FFT and band powers. */

/** Power spectrum |X(k)|^2 of x (zero-padded to a power of two) by radix-2 FFT; bin k is k fs / N Hz. */
export function powerSpectrum(x: ArrayLike<number>): { power: Float64Array; n: number } {
  let n = 1;
  while (n < x.length) n *= 2;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  re.set(Array.from(x));
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) [re[i], re[j]] = [re[j], re[i]];
  }
  for (let len = 2; len <= n; len *= 2) {
    const ang = (-2 * Math.PI) / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = Math.cos(ang * k);
        const wi = Math.sin(ang * k);
        const a = i + k;
        const b = a + len / 2;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
    }
  }
  const power = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) power[k] = re[k] ** 2 + im[k] ** 2;
  return { power, n };
}

export function bandShare(x: ArrayLike<number>, fs: number, loHz: number, hiHz: number): number {
  const { power, n } = powerSpectrum(x);
  let inBand = 0;
  let total = 0;
  for (let k = 1; k < power.length; k++) {
    const f = (k * fs) / n;
    total += power[k];
    if (f >= loHz && f <= hiHz) inBand += power[k];
  }
  return inBand / total;
}

export function bandPower(x: ArrayLike<number>, fs: number, loHz: number, hiHz: number): number {
  const { power, n } = powerSpectrum(x);
  let sum = 0;
  for (let k = 1; k < power.length; k++) if ((k * fs) / n >= loHz && (k * fs) / n <= hiHz) sum += power[k];
  return sum;
}

