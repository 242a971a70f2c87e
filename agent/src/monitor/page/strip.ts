/// <reference lib="dom" />
/**
 * The ECG strip drawn as a bedside monitor sweeps it: on the standard paper
 * grid (1 mm minor, 5 mm major lines; 25 mm/s, 10 mm/mV at CSS millimetres,
 * 96 px per inch), the trace written left to right and wrapping, with an
 * erase bar ahead of the write point, after the lead name and a 1-mV
 * standardisation pulse. Each beat's label sits above its QRS
 * (non-normal ones in colour), an optional Grad-CAM band shades where the
 * model looked, lead-off stretches are blanked and marked, other bad signal is
 * underlined in amber. The whole strip is redrawn each frame from the ring
 * buffers, decimated to one min/max pair per device pixel column.
 */
import type { BeatRing, ShownBeat } from './beat-ring.ts';
import type { SignalRing } from './signal-ring.ts';

export const PX_PER_MM = 96 / 25.4;
export const MM_PER_S = 25;
export const MM_PER_MV = 10;
/** SampleFlag.LEAD_OFF, and the other quality bits (gap, saturated, flat, noisy). */
const LEAD_OFF = 1;
const OTHER_BAD = 2 | 4 | 8 | 16;
/** Erase bar ahead of the write point, s. */
const GAP_S = 0.3;
/** Width left of the sweep for the lead name and the 1-mV calibration pulse, CSS px (9 mm). */
const CAL_W = 9 * PX_PER_MM;
/** Height of the label band at the top, CSS px. */
const LABEL_BAND = 24;

export const LABEL_COLOURS: Record<string, string> = { N: '#6fdc8c', L: '#4dd2ff', R: '#4dd2ff', A: '#ffd23f', V: '#ff5252', Q: '#9aa0a6' };
const TRACE = '#3dff7a';

export interface StripFrame {
  fs: number;
  /** Sample index the sweep has reached. */
  position: number;
  ring: SignalRing;
  beats: BeatRing;
  window: { before: number; after: number };
  showCam: boolean;
  nowMs: number;
  /** A beat's label was drawn for the first time. */
  onShown(b: ShownBeat): void;
}

export class Strip {
  private w = 0;
  private h = 0;
  private dpr = 1;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly grid: HTMLCanvasElement) {}

  /** Seconds of signal across the strip. */
  get secondsShown(): number {
    return (this.w - CAL_W) / (MM_PER_S * PX_PER_MM);
  }

  /** Follows the element's size (and the screen's pixel ratio); redraws the grid when it changed. */
  resize(): void {
    const w = this.canvas.clientWidth;
    const h = this.canvas.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    if (w === this.w && h === this.h && dpr === this.dpr) return;
    this.w = w;
    this.h = h;
    this.dpr = dpr;
    for (const c of [this.canvas, this.grid]) {
      c.width = Math.round(w * dpr);
      c.height = Math.round(h * dpr);
    }
    this.drawGrid();
  }

  /** Draws one frame; returns whether the write point is in a lead-off stretch. */
  draw(f: StripFrame): { leadOff: boolean } {
    const ctx = this.canvas.getContext('2d')!;
    const { h, dpr } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, h);
    /** The sweep's width, right of the calibration pulse. */
    const w = this.w - CAL_W;
    if (w <= 0) return { leadOff: false };
    const pxPerSample = (MM_PER_S * PX_PER_MM) / f.fs;
    const p = Math.floor(f.position);
    const i0 = Math.max(f.ring.start, p - Math.floor(w / pxPerSample) + Math.round(GAP_S * f.fs));
    const xOf = (i: number) => CAL_W + ((i * pxPerSample) % w);
    const baseY = this.baseY;
    const yOf = (uv: number) => baseY - (uv / 1000) * MM_PER_MV * PX_PER_MM;
    /** Calls fill(x0, x1) for samples [a, b), split where the sweep wraps. */
    const spans = (a: number, b: number, fill: (x0: number, x1: number) => void) => {
      const x0 = xOf(a);
      const x1 = x0 + (b - a) * pxPerSample;
      if (x1 <= CAL_W + w) fill(x0, x1);
      else { fill(x0, CAL_W + w); fill(CAL_W, x1 - w); }
    };

    // Signal quality under the trace.
    let runStart = i0;
    let runBits = f.ring.flags(i0) & (LEAD_OFF | OTHER_BAD);
    const closeRun = (end: number) => {
      if (runBits === 0 || end <= runStart) return;
      if (runBits & LEAD_OFF) {
        ctx.fillStyle = 'rgba(160, 170, 180, 0.16)';
        spans(runStart, end, (x0, x1) => {
          ctx.fillRect(x0, LABEL_BAND, x1 - x0, h - LABEL_BAND);
          if (x1 - x0 > 90) {
            ctx.fillStyle = '#ff5252';
            ctx.font = 'bold 15px "DejaVu Sans", sans-serif';
            ctx.textAlign = 'center';
            ctx.fillText('LEADS OFF', (x0 + x1) / 2, baseY);
            ctx.fillStyle = 'rgba(160, 170, 180, 0.16)';
          }
        });
      } else {
        ctx.fillStyle = 'rgba(255, 176, 32, 0.8)';
        spans(runStart, end, (x0, x1) => ctx.fillRect(x0, h - 5, x1 - x0, 5));
      }
    };
    for (let i = i0; i < p; i++) {
      const bits = f.ring.flags(i) & (LEAD_OFF | OTHER_BAD);
      if (bits !== runBits) { closeRun(i); runStart = i; runBits = bits; }
    }
    closeRun(p);

    if (f.showCam) this.drawCam(ctx, f, i0, p, spans);
    this.drawTrace(ctx, f, i0, p, xOf, yOf);
    this.drawLabels(ctx, f, i0, p, xOf);
    return { leadOff: (f.ring.flags(p - 1) & LEAD_OFF) !== 0 };
  }

  /** Grad-CAM of non-normal beats: an orange band over the window, stronger where the map is. */
  private drawCam(ctx: CanvasRenderingContext2D, f: StripFrame, i0: number, p: number, spans: (a: number, b: number, fill: (x0: number, x1: number) => void) => void): void {
    const length = f.window.before + f.window.after;
    for (const b of f.beats.each()) {
      if (b.cam === undefined || b.i + f.window.after < i0 || b.i - f.window.before > p) continue;
      const seg = length / b.cam.length;
      b.cam.forEach((v, k) => {
        const a = Math.max(i0, Math.round(b.i - f.window.before + k * seg));
        const e = Math.min(p, Math.round(b.i - f.window.before + (k + 1) * seg));
        if (e <= a || v <= 0.05) return;
        ctx.fillStyle = `rgba(255, 140, 0, ${(0.45 * v).toFixed(3)})`;
        spans(a, e, (x0, x1) => ctx.fillRect(x0, LABEL_BAND, x1 - x0, this.h - LABEL_BAND - 6));
      });
    }
  }

  /** The trace, one min/max pair per device pixel column; no pen where there is no signal or leads are off. */
  private drawTrace(ctx: CanvasRenderingContext2D, f: StripFrame, i0: number, p: number, xOf: (i: number) => number, yOf: (uv: number) => number): void {
    const { dpr } = this;
    ctx.strokeStyle = TRACE;
    ctx.lineWidth = 1.6;
    ctx.lineJoin = 'round';
    ctx.beginPath();
    let col = -1;
    let first = 0, min = 0, max = 0, last = 0;
    let pen = false;
    let prevX = -1;
    let lastX = -1, lastY = 0;
    const flush = () => {
      if (col < 0) return;
      const x = (col + 0.5) / dpr;
      if (pen) ctx.lineTo(x, yOf(first)); else ctx.moveTo(x, yOf(first));
      ctx.lineTo(x, yOf(min));
      ctx.lineTo(x, yOf(max));
      ctx.lineTo(x, yOf(last));
      pen = true;
      lastX = x;
      lastY = yOf(last);
      col = -1;
    };
    for (let i = i0; i < p; i++) {
      const v = f.ring.value(i);
      if (Number.isNaN(v) || (f.ring.flags(i) & LEAD_OFF) !== 0) { flush(); pen = false; continue; }
      const x = xOf(i);
      const c = Math.floor(x * dpr);
      if (c !== col) {
        flush();
        if (x < prevX) pen = false; // wrapped to the left edge
        col = c;
        first = min = max = v;
      } else {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      last = v;
      prevX = x;
    }
    flush();
    ctx.stroke();
    if (lastX >= 0) {
      ctx.fillStyle = '#d8ffe4';
      ctx.beginPath();
      ctx.arc(lastX, lastY, 2.4, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  /** Each beat's label above its QRS; the first drawing of each is reported (label latency). */
  private drawLabels(ctx: CanvasRenderingContext2D, f: StripFrame, i0: number, p: number, xOf: (i: number) => number): void {
    ctx.textAlign = 'center';
    ctx.textBaseline = 'alphabetic';
    for (const b of f.beats.each()) {
      if (b.i < i0 || b.i >= p) continue;
      if (b.shownMs === undefined) {
        b.shownMs = f.nowMs;
        f.onShown(b);
      }
      if ((f.ring.flags(b.i) & LEAD_OFF) !== 0) continue; // no trace there, no label
      const x = xOf(b.i);
      const normal = b.label === 'N';
      ctx.fillStyle = LABEL_COLOURS[b.label] ?? '#ffffff';
      ctx.font = normal ? '12px "DejaVu Sans", sans-serif' : 'bold 16px "DejaVu Sans", sans-serif';
      ctx.fillText(b.label, x, normal ? 17 : 18);
      if (!normal) ctx.fillRect(x - 0.75, 21, 1.5, 5);
    }
  }

  /** The baseline (0 mV), CSS px from the top. */
  private get baseY(): number {
    return LABEL_BAND + (this.h - LABEL_BAND) * 0.55;
  }

  private drawGrid(): void {
    const ctx = this.grid.getContext('2d')!;
    const { w, h, dpr } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#07100b';
    ctx.fillRect(0, 0, this.grid.width, this.grid.height);
    const line = (k: number, vertical: boolean) => {
      const at = Math.round(k * PX_PER_MM * dpr) + 0.5;
      ctx.strokeStyle = k % 5 === 0 ? 'rgba(255, 96, 96, 0.36)' : 'rgba(255, 96, 96, 0.09)';
      ctx.beginPath();
      if (vertical) { ctx.moveTo(at, 0); ctx.lineTo(at, h * dpr); } else { ctx.moveTo(0, at); ctx.lineTo(w * dpr, at); }
      ctx.stroke();
    };
    ctx.lineWidth = 1;
    for (let k = 0; k * PX_PER_MM <= w; k++) line(k, true);
    for (let k = 0; k * PX_PER_MM <= h; k++) line(k, false);
    // The standardisation pulse: 1 mV, 10 mm high, 0.2 s (5 mm) wide, as on ECG paper.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const y0 = this.baseY;
    const y1 = y0 - MM_PER_MV * PX_PER_MM;
    const x = 2 * PX_PER_MM;
    ctx.strokeStyle = TRACE;
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    ctx.moveTo(x - 1.5 * PX_PER_MM, y0);
    ctx.lineTo(x, y0);
    ctx.lineTo(x, y1);
    ctx.lineTo(x + 5 * PX_PER_MM, y1);
    ctx.lineTo(x + 5 * PX_PER_MM, y0);
    ctx.lineTo(CAL_W - 2, y0);
    ctx.stroke();
    ctx.fillStyle = TRACE;
    ctx.font = 'bold 13px "DejaVu Sans", sans-serif';
    ctx.textAlign = 'left';
    ctx.fillText('II', 4, LABEL_BAND + 14);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.12)';
    ctx.fillRect(CAL_W - 1, 0, 1, h);
  }
}
