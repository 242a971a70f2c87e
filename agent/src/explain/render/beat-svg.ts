/**
 * Draws one beat window as a standalone SVG, with no dependency: the ECG trace
 * in mV against time from the R peak in ms, an attribution map (Grad-CAM or
 * SHAP) as a coloured band behind it AND painted onto the trace itself, the P,
 * QRS and T regions marked above the plot, the label and the class
 * probabilities. The one beat renderer of the project: `arrhythminet explain`
 * uses it, and the Node-RED package bundles this file as its render node's
 * dist/render/svg.js (nodes/scripts/build.mjs).
 *
 * Colours: a heat map (Grad-CAM, values >= 0) runs from transparent through
 * yellow to red; a signed map (SHAP) is red where the evidence is for the
 * class and blue where it is against. Either map is scaled to its largest
 * magnitude, so the picture shows where, not how much. Limits: one lead; a
 * map of any length is spread evenly over the window.
 */

export interface BeatPicture {
  /** Samples of the window, mV. */
  window: ArrayLike<number>;
  /** Sample rate of the window, Hz. */
  fs: number;
  /** Index of the R peak in the window (spec window.before). */
  beforeSamples: number;
  /** Attribution over the window (bins or one value per sample); alias `gradcam` (heat) for the Node-RED payload. */
  attribution?: ArrayLike<number>;
  gradcam?: ArrayLike<number>;
  /** 'heat' (>= 0, Grad-CAM; default) or 'signed' (SHAP). */
  attributionKind?: 'heat' | 'signed';
  /** Legend name of the map, e.g. 'Grad-CAM' or 'SHAP'. */
  attributionName?: string;
  /** Regions to mark, ms from R, [fromMs, toMs). */
  regions?: { name: string; fromMs: number; toMs: number }[];
  label?: string;
  probabilities?: Record<string, number>;
  title?: string;
  /** A second line under the title (record, time, RR). */
  subtitle?: string;
}

export interface SvgOptions {
  /** Picture width, px. Default 640. */
  widthPx: number;
  /** Picture height, px. Default 300. */
  heightPx: number;
}

export const DEFAULT_SVG_OPTIONS: Readonly<SvgOptions> = Object.freeze({ widthPx: 640, heightPx: 300 });
/** DejaVu first: the font the PNG renderer is given (explain/render/png.ts). */
export const FONT_FAMILY = 'DejaVu Sans, sans-serif';

const MARGIN = { left: 56, right: 130, bottom: 44 };
/** Most bins of the background band; longer maps are averaged down to it. */
const MAX_BAND_BINS = 64;
/** Levels of the overlay painted on the trace (stroke width and opacity step with them). */
const OVERLAY_LEVELS = 5;

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

/** Colour of a signed value in [-1, 1]: red for, blue against, more opaque with the magnitude. */
export function signedColour(v: number): { fill: string; opacity: number } {
  const x = Math.min(1, Math.max(-1, v));
  return { fill: x >= 0 ? 'rgb(214,39,40)' : 'rgb(31,119,180)', opacity: Math.round(0.5 * Math.abs(x) * 1000) / 1000 };
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
  if (b.attribution !== undefined && !arrayLike(b.attribution)) throw new Error('msg.payload.attribution must be an array of numbers');
  return b as BeatPicture;
}

/** `map` scaled by its largest magnitude (all zero stays zero). */
function scaled(map: ArrayLike<number>, signed: boolean): number[] {
  const v = Array.from(map, (x) => (Number.isFinite(x) ? (signed ? x : Math.max(0, x)) : 0));
  const top = Math.max(0, ...v.map(Math.abs));
  return top > 0 ? v.map((x) => x / top) : v;
}

/** `map` averaged down to at most `max` bins. */
function binned(map: number[], max: number): number[] {
  if (map.length <= max) return map;
  return Array.from({ length: max }, (_, k) => {
    const a = Math.floor((k * map.length) / max);
    const b = Math.floor(((k + 1) * map.length) / max);
    let s = 0;
    for (let i = a; i < b; i++) s += map[i];
    return s / (b - a);
  });
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
  const regions = (picture.regions ?? []).map((r) => ({ ...r, fromMs: Math.max(t0Ms, r.fromMs), toMs: Math.min(t1Ms, r.toMs) })).filter((r) => r.toMs > r.fromMs);
  const top = 30 + (picture.subtitle !== undefined ? 16 : 0) + (regions.length > 0 ? 18 : 0);
  const plotW = widthPx - MARGIN.left - MARGIN.right;
  const plotH = heightPx - top - MARGIN.bottom;
  const bottom = top + plotH;
  const x = (ms: number) => MARGIN.left + ((ms - t0Ms) / (t1Ms - t0Ms)) * plotW;
  const y = (mv: number) => top + ((hi - mv) / (hi - lo)) * plotH;
  const f = (v: number) => (Math.round(v * 10) / 10).toString();
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${widthPx}" height="${heightPx}" viewBox="0 0 ${widthPx} ${heightPx}" font-family="${FONT_FAMILY}" font-size="11">`);
  parts.push(`<rect width="${widthPx}" height="${heightPx}" fill="white"/>`);

  const signed = picture.attributionKind === 'signed';
  const colour = signed ? signedColour : camColour;
  const raw = picture.attribution ?? picture.gradcam;
  const map = raw !== undefined && raw.length > 0 ? scaled(raw, signed) : [];
  if (map.length > 0) {
    const band = binned(map, MAX_BAND_BINS);
    const binW = plotW / band.length;
    parts.push(`<g class="${signed ? 'attribution' : 'gradcam'}">`);
    band.forEach((v, i) => {
      const c = colour(v);
      parts.push(`<rect x="${f(MARGIN.left + i * binW)}" y="${top}" width="${f(binW + 0.05)}" height="${plotH}" fill="${c.fill}" fill-opacity="${c.opacity}"/>`);
    });
    parts.push('</g>');
  }

  // Regions: a labelled strip above the plot and faint bounds across it.
  if (regions.length > 0) {
    parts.push('<g class="regions">');
    regions.forEach((r, i) => {
      const x0 = x(r.fromMs);
      const x1 = x(r.toMs);
      parts.push(`<g class="region" data-region="${escapeXml(r.name)}" data-from-ms="${f(r.fromMs)}" data-to-ms="${f(r.toMs)}">`
        + `<rect x="${f(x0)}" y="${top - 16}" width="${f(x1 - x0)}" height="14" fill="${i % 2 === 0 ? '#dde3ea' : '#eef1f5'}" stroke="#8896a6" stroke-width="0.5"/>`
        + `<text x="${f((x0 + x1) / 2)}" y="${top - 5}" text-anchor="middle" font-size="10" fill="#223">${escapeXml(r.name)}</text>`
        + `<line x1="${f(x0)}" y1="${top}" x2="${f(x0)}" y2="${bottom}" stroke="#8896a6" stroke-width="0.6" stroke-dasharray="2 3"/>`
        + `<line x1="${f(x1)}" y1="${top}" x2="${f(x1)}" y2="${bottom}" stroke="#8896a6" stroke-width="0.6" stroke-dasharray="2 3"/></g>`);
    });
    parts.push('</g>');
  }

  // Axes with ticks: ms below, mV left.
  parts.push(`<g class="axes" stroke="#444" fill="none"><rect x="${MARGIN.left}" y="${top}" width="${plotW}" height="${plotH}"/></g>`);
  const ticks: string[] = [];
  const msStep = niceStep(t1Ms - t0Ms, 6);
  for (let ms = Math.ceil(t0Ms / msStep) * msStep; ms <= t1Ms + 1e-9; ms += msStep) {
    ticks.push(`<line x1="${f(x(ms))}" y1="${bottom}" x2="${f(x(ms))}" y2="${bottom + 4}" stroke="#444"/>`);
    ticks.push(`<text x="${f(x(ms))}" y="${bottom + 16}" text-anchor="middle">${Math.round(ms)}</text>`);
  }
  const mvStep = niceStep(hi - lo, 5);
  for (let mv = Math.ceil(lo / mvStep) * mvStep; mv <= hi + 1e-9; mv += mvStep) {
    ticks.push(`<line x1="${MARGIN.left - 4}" y1="${f(y(mv))}" x2="${MARGIN.left}" y2="${f(y(mv))}" stroke="#444"/>`);
    ticks.push(`<text x="${MARGIN.left - 6}" y="${f(y(mv) + 4)}" text-anchor="end">${Number(mv.toFixed(6))}</text>`);
  }
  parts.push(`<g class="ticks" fill="#222">${ticks.join('')}</g>`);
  parts.push(`<text class="xlabel" x="${MARGIN.left + plotW / 2}" y="${heightPx - 8}" text-anchor="middle">time from R peak (ms)</text>`);
  parts.push(`<text class="ylabel" transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">amplitude (mV)</text>`);

  // R peak and trace; then the map painted onto the trace, thicker where it is stronger.
  parts.push(`<line class="r-peak" x1="${f(x(0))}" y1="${top}" x2="${f(x(0))}" y2="${bottom}" stroke="#888" stroke-dasharray="3 3"/>`);
  const px = w.map((mv, i) => `${f(x(t0Ms + i * msPerSample))},${f(y(mv))}`);
  parts.push(`<polyline class="trace" points="${px.join(' ')}" fill="none" stroke="#0b3d91" stroke-width="1.5"/>`);
  if (map.length > 0) parts.push(overlay(map, n, px, colour));

  // Title, label, probabilities and the map's legend.
  const title = picture.title ?? (picture.label !== undefined ? `beat: ${picture.label}` : 'beat');
  parts.push(`<text class="title" x="${MARGIN.left}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  if (picture.subtitle !== undefined) parts.push(`<text class="subtitle" x="${MARGIN.left}" y="34" fill="#444">${escapeXml(picture.subtitle)}</text>`);
  const legendX = MARGIN.left + plotW + 16;
  const rows = Object.entries(picture.probabilities ?? {});
  rows.forEach(([cls, p], i) => {
    const yy = top + 14 + i * 18;
    const bold = cls === picture.label ? ' font-weight="bold"' : '';
    const barW = Math.max(0, Math.min(1, p)) * 50;
    parts.push(`<text class="prob" x="${legendX}" y="${yy}"${bold}>${escapeXml(cls)}</text>`);
    parts.push(`<rect x="${legendX + 16}" y="${yy - 9}" width="${f(barW)}" height="10" fill="#0b3d91" fill-opacity="0.7"/>`);
    // Right-aligned to the picture's edge, so "100.0%" is never clipped.
    parts.push(`<text x="${widthPx - 4}" y="${yy}" text-anchor="end"${bold}>${(p * 100).toFixed(1)}%</text>`);
  });
  if (map.length > 0 && picture.attributionName !== undefined) {
    const yy = top + 14 + rows.length * 18 + 14;
    const steps = signed ? [-1, -0.5, 0.5, 1] : [0.25, 0.5, 0.75, 1];
    const swatches = steps.map((v, i) => {
      const c = colour(v);
      return `<rect x="${legendX + i * 14}" y="${yy + 4}" width="14" height="10" fill="${c.fill}" fill-opacity="${Math.min(1, c.opacity * 1.6)}"/>`;
    }).join('');
    const ends = signed ? ['against', 'for'] : ['low', 'high'];
    parts.push(`<g class="legend"><text x="${legendX}" y="${yy}" font-weight="bold">${escapeXml(picture.attributionName)}</text>${swatches}`
      + `<text x="${legendX}" y="${yy + 26}" font-size="9">${ends[0]}</text><text x="${legendX + 56}" y="${yy + 26}" font-size="9" text-anchor="end">${ends[1]}</text>`
      + (picture.label !== undefined ? `<text x="${legendX}" y="${yy + 38}" font-size="9">evidence ${signed ? 'for / against' : 'for'} ${escapeXml(picture.label)}</text>` : '')
      + '</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/** Runs of trace segments whose map level and sign agree, each one polyline coloured and widened by the level. */
function overlay(map: number[], n: number, points: string[], colour: (v: number) => { fill: string; opacity: number }): string {
  const at = (i: number) => map[Math.min(map.length - 1, Math.floor((i * map.length) / n))];
  const level = (v: number) => Math.sign(v) * Math.round(Math.abs(v) * OVERLAY_LEVELS);
  // Segment j joins samples j and j+1 and takes the level of their mean.
  const seg = Array.from({ length: n - 1 }, (_, j) => level((at(j) + at(j + 1)) / 2));
  const out: string[] = ['<g class="overlay" fill="none" stroke-linecap="round" stroke-linejoin="round">'];
  for (let a = 0; a < seg.length;) {
    let b = a;
    while (b + 1 < seg.length && seg[b + 1] === seg[a]) b++;
    // The weakest level stays the plain trace: a faint colour over the trace's blue reads as mud, not as evidence.
    if (Math.abs(seg[a]) >= 2) {
      const c = colour(seg[a] / OVERLAY_LEVELS);
      const strength = Math.abs(seg[a]) / OVERLAY_LEVELS;
      out.push(`<polyline data-level="${seg[a]}" points="${points.slice(a, b + 2).join(' ')}" stroke="${c.fill}" `
        + `stroke-opacity="${(0.7 + 0.3 * strength).toFixed(2)}" stroke-width="${(1.5 + 3 * strength).toFixed(1)}"/>`);
    }
    a = b + 1;
  }
  out.push('</g>');
  return out.join('');
}
