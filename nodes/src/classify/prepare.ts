/**
 * Model input from a beat window, as models/spec.json says: the amplitude
 * normalisation (window minus its mean, divided by the median peak-to-peak of
 * the stream's recent windows, at least minScaleMv), the running template
 * channel (per-sample median of the stream's earlier windows, scaled the
 * same way) when the spec has one, and the RR side input.
 *
 * Limits: the history is per stream as the caller keys it; a stream's first
 * beats are normalised by a short history, as in the agent.
 */
import type { ModelSpec } from './spec.ts';

export function windowFrom(payload: unknown, length: number): Float32Array {
  const raw = payload instanceof Float32Array || Array.isArray(payload) ? payload
    : (payload as { window?: unknown } | null)?.window;
  if (!(raw instanceof Float32Array) && !Array.isArray(raw)) {
    throw new Error(`msg.payload must be a window (Float32Array or number[] of ${length} samples, mV) or {window, rr}; got ${describe(payload)}`);
  }
  if (raw.length !== length) {
    throw new Error(`the window has ${raw.length} samples; the model takes ${length} (spec window before + after)`);
  }
  const w = Float32Array.from(raw as ArrayLike<number>);
  const bad = w.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new Error(`window sample ${bad} is ${String(raw[bad])}; samples must be finite numbers (mV)`);
  return w;
}

const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? `an array of ${v.length}` : typeof v);

/** Keeps the last peak-to-peak amplitudes of one stream and gives the normalisation scale. */
export class AmplitudeScale {
  readonly #ptpMv: number[] = [];
  constructor(private readonly historyBeats: number, private readonly minScaleMv: number) {}

  /** Adds this window's peak-to-peak and returns the scale for it, mV. */
  next(window: Float32Array): number {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of window) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    this.#ptpMv.push(hi - lo);
    if (this.#ptpMv.length > this.historyBeats) this.#ptpMv.shift();
    const sorted = [...this.#ptpMv].sort((a, b) => a - b);
    const m = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    return Math.max(this.minScaleMv, median);
  }
}

export function normalise(window: Float32Array, scaleMv: number): Float32Array {
  let mean = 0;
  for (const v of window) mean += v;
  mean /= window.length;
  return window.map((v) => (v - mean) / scaleMv);
}

/** [rrPrevS, rrLocalS, rrRatio] from payload.rr ({prevS, localS} or [prevS, localS]); the spec's default when absent. */
export function rrFrom(payload: unknown, spec: NonNullable<ModelSpec['sideInputs']>): { rr: Float32Array; assumed: boolean } {
  const r = (payload as { rr?: unknown } | null)?.rr;
  let prev: unknown;
  let local: unknown;
  if (Array.isArray(r)) [prev, local] = r;
  else if (r && typeof r === 'object') ({ prevS: prev, localS: local } = r as { prevS?: unknown; localS?: unknown });
  if (r === undefined) {
    const d = spec.defaultRrS;
    return { rr: Float32Array.of(d, d, 1), assumed: true };
  }
  for (const [name, v] of [['prevS', prev], ['localS', local]] as const) {
    if (typeof v !== 'number' || !(v > 0)) throw new Error(`msg.payload.rr.${name} is ${JSON.stringify(v)}; expected seconds > 0`);
  }
  return { rr: Float32Array.of(prev as number, local as number, (prev as number) / (local as number)), assumed: false };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

/** The running template of one stream: per-sample median of its last `historyBeats` windows. */
export class TemplateHistory {
  readonly #windows: Float32Array[] = [];
  constructor(private readonly historyBeats: number) {}

  /** The template for `window` from the windows before it (the window itself when there are none), then remembers it. */
  next(window: Float32Array): Float32Array {
    const before = this.#windows.length === 0 ? [window] : this.#windows;
    const template = window.map((_, t) => median(before.map((w) => w[t])));
    this.#windows.push(window);
    if (this.#windows.length > this.historyBeats) this.#windows.shift();
    return template;
  }
}

/** The window tensor's data, [channels, length] row-major: normalised window in channel 0, normalised template in `templateChannel`. */
export function stackChannels(channels: number, window: Float32Array, template?: { channel: number; values: Float32Array }): Float32Array {
  const out = new Float32Array(channels * window.length);
  out.set(window, 0);
  if (template) out.set(template.values, template.channel * window.length);
  return out;
}

/**
 * One stream's model input, beat after beat: keeps the amplitude and template
 * histories the spec asks for. Without a normalisation in the spec the window
 * goes in as it is.
 */
export class StreamPreparer {
  readonly #scale: AmplitudeScale | null;
  readonly #template: TemplateHistory | null;

  constructor(private readonly spec: ModelSpec) {
    const n = spec.normalisation;
    this.#scale = n ? new AmplitudeScale(n.historyBeats, n.minScaleMv) : null;
    this.#template = spec.template ? new TemplateHistory(spec.template.historyBeats) : null;
  }

  /** `scaleMv` given by the caller replaces the stream's own (the history still takes this window). */
  next(window: Float32Array, scaleMv?: number): { input: Float32Array; scaleMv?: number } {
    if (!this.#scale) return { input: window };
    const own = this.#scale.next(window);
    const scale = scaleMv !== undefined && scaleMv > 0 ? scaleMv : own;
    const templateMv = this.#template?.next(window);
    const template = templateMv && this.spec.template ? { channel: this.spec.template.channel, values: normalise(templateMv, scale) } : undefined;
    return { input: stackChannels(this.spec.channels, normalise(window, scale), template), scaleMv: scale };
  }
}
