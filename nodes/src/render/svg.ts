/**
 * Draws one beat window as a standalone SVG (no dependency): the ECG trace in
 * mV against time from the R peak in ms, the Grad-CAM map as a coloured band
 * behind it, the R peak, the label and the class probabilities. For
 * dashboards, e-mails and reports.
 *
 * The map's colour runs from transparent through yellow to red (value 0 to 1),
 * the usual heat-map reading. Limits: one lead; the map is drawn as bins
 * spread evenly over the window, whatever its resolution.
 */

export interface BeatPicture {
  /** Samples of the window, mV. */
  window: ArrayLike<number>;
  /** Sample rate of the window, Hz. */
  fs: number;
  /** Index of the R peak in the window (spec window.before). */
  beforeSamples: number;
  /** Grad-CAM over the window, 0 to 1 per bin. */
  gradcam?: ArrayLike<number>;
  label?: string;
  probabilities?: Record<string, number>;
  title?: string;
}

export interface SvgOptions {
  /** Picture width, px. Default 640. */
  widthPx: number;
  /** Picture height, px. Default 300. */
  heightPx: number;
}

export const DEFAULT_SVG_OPTIONS: Readonly<SvgOptions> = Object.freeze({ widthPx: 640, heightPx: 300 });

const MARGIN = { left: 56, right: 130, top: 30, bottom: 44 };

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A tick step of 1, 2 or 5 times a power of ten giving about `count` ticks over `span` (nearest on a log scale). */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** Heat-map colour of a Grad-CAM value in [0, 1]: yellow to red, more opaque with the value. */
export function camColour(v: number): { fill: string; opacity: number } {
  const x = Math.min(1, Math.max(0, v));
  const green = Math.round(220 * (1 - x));
  return { fill: `rgb(255,${green},0)`, opacity: Math.round(0.6 * x * 1000) / 1000 };
}

export function checkPicture(p: unknown): BeatPicture {
  const b = p as Partial<BeatPicture> | null;
  const arrayLike = (v: unknown) => Array.isArray(v) || ArrayBuffer.isView(v);
  if (!b || typeof b !== 'object') throw new Error(`msg.payload must be an object {window, fs, beforeSamples, gradcam?, label?, probabilities?}; got ${b === null ? 'null' : typeof b}`);
  if (!arrayLike(b.window) || (b.window as ArrayLike<number>).length < 2) throw new Error('msg.payload.window must be an array of at least 2 samples (mV)');
  const w = b.window as ArrayLike<number>;
  for (let i = 0; i < w.length; i++) if (!Number.isFinite(w[i])) throw new Error(`msg.payload.window[${i}] is ${String(w[i])}; samples must be finite numbers (mV)`);
  if (typeof b.fs !== 'number' || !(b.fs > 0)) throw new Error(`msg.payload.fs is ${JSON.stringify(b.fs)}; expected the sample rate in Hz, > 0`);
  if (!Number.isInteger(b.beforeSamples) || (b.beforeSamples as number) < 0 || (b.beforeSamples as number) >= w.length) {
    throw new Error(`msg.payload.beforeSamples is ${JSON.stringify(b.beforeSamples)}; expected the R peak's index, 0 to ${w.length - 1}`);
  }
  if (b.gradcam !== undefined && !arrayLike(b.gradcam)) throw new Error('msg.payload.gradcam must be an array of values 0 to 1');
  return b as BeatPicture;
}

export function renderBeatSvg(picture: BeatPicture, options: Partial<SvgOptions> = {}): string {
  const { widthPx, heightPx } = { ...DEFAULT_SVG_OPTIONS, ...options };
  const w = Array.from(picture.window);
  const n = w.length;
  const msPerSample = 1000 / picture.fs;
  const t0Ms = -picture.beforeSamples * msPerSample;
  const t1Ms = (n - 1 - picture.beforeSamples) * msPerSample;
  let lo = Math.min(...w);
  let hi = Math.max(...w);
  if (hi - lo < 0.1) { lo -= 0.05; hi += 0.05; }
  const pad = (hi - lo) * 0.05;
  lo -= pad;
  hi += pad;
  const plotW = widthPx - MARGIN.left - MARGIN.right;
  const plotH = heightPx - MARGIN.top - MARGIN.bottom;
  const x = (ms: number) => MARGIN.left + ((ms - t0Ms) / (t1Ms - t0Ms)) * plotW;
  const y = (mv: number) => MARGIN.top + ((hi - mv) / (hi - lo)) * plotH;
  const f = (v: number) => (Math.round(v * 10) / 10).toString();
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" font-family="sans-serif" font-size="11">`);
  parts.push(`<rect width="${widthPx}" height="${heightPx}" fill="white"/>`);

  const cam = picture.gradcam ? Array.from(picture.gradcam) : [];
  if (cam.length > 0) {
    const binW = plotW / cam.length;
    parts.push('<g class="gradcam">');
    cam.forEach((v, i) => {
      const c = camColour(v);
      parts.push(`<rect x="${f(MARGIN.left + i * binW)}" y="${MARGIN.top}" width="${f(binW + 0.05)}" height="${plotH}" fill="${c.fill}" fill-opacity="${c.opacity}"/>`);
    });
    parts.push('</g>');
  }

  // Axes with ticks: ms below, mV left.
  parts.push(`<g class="axes" stroke="#444" fill="none"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}"/></g>`);
  const ticks: string[] = [];
  const msStep = niceStep(t1Ms - t0Ms, 6);
  for (let ms = Math.ceil(t0Ms / msStep) * msStep; ms <= t1Ms + 1e-9; ms += msStep) {
    ticks.push(`<line x1="${f(x(ms))}" y1="${MARGIN.top + plotH}" x2="${f(x(ms))}" y2="${MARGIN.top + plotH + 4}" stroke="#444"/>`);
    ticks.push(`<text x="${f(x(ms))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${Math.round(ms)}</text>`);
  }
  const mvStep = niceStep(hi - lo, 5);
  for (let mv = Math.ceil(lo / mvStep) * mvStep; mv <= hi + 1e-9; mv += mvStep) {
    ticks.push(`<line x1="${MARGIN.left - 4}" y1="${f(y(mv))}" x2="${MARGIN.left}" y2="${f(y(mv))}" stroke="#444"/>`);
    ticks.push(`<text x="${MARGIN.left - 6}" y="${f(y(mv) + 4)}" text-anchor="end">${Number(mv.toFixed(6))}</text>`);
  }
  parts.push(`<g class="ticks" fill="#222">${ticks.join('')}</g>`);
  parts.push(`<text class="xlabel" x="${MARGIN.left + plotW / 2}" y="${heightPx - 8}" text-anchor="middle">time from R peak (ms)</text>`);
  parts.push(`<text class="ylabel" transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">amplitude (mV)</text>`);

  // R peak and trace.
  parts.push(`<line class="r-peak" x1="${f(x(0))}" y1="${MARGIN.top}" x2="${f(x(0))}" y2="${MARGIN.top + plotH}" stroke="#888" stroke-dasharray="3 3"/>`);
  const points = w.map((mv, i) => `${f(x(t0Ms + i * msPerSample))},${f(y(mv))}`).join(' ');
  parts.push(`<polyline class="trace" points="${points}" fill="none" stroke="#0b3d91" stroke-width="1.5"/>`);

  // Title, label and probabilities.
  const title = picture.title ?? (picture.label !== undefined ? `beat: ${picture.label}` : 'beat');
  parts.push(`<text class="title" x="${MARGIN.left}" y="${MARGIN.top - 10}" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  if (picture.probabilities) {
    const legendX = MARGIN.left + plotW + 16;
    const rows = Object.entries(picture.probabilities);
    rows.forEach(([cls, p], i) => {
      const yy = MARGIN.top + 14 + i * 18;
      const bold = cls === picture.label ? ' font-weight="bold"' : '';
      const barW = Math.max(0, Math.min(1, p)) * 50;
      parts.push(`<text class="prob" x="${legendX}" y="${yy}"${bold}>${escapeXml(cls)}</text>`);
      parts.push(`<rect x="${legendX + 16}" y="${yy - 9}" width="${f(barW)}" height="10" fill="#0b3d91" fill-opacity="0.7"/>`);
      // Right-aligned to the picture's edge, so "100.0%" is never clipped.
      parts.push(`<text x="${widthPx - 4}" y="${yy}" text-anchor="end"${bold}>${(p * 100).toFixed(1)}%</text>`);
    });
  }
  parts.push('</svg>');
  return parts.join('\n');
}
