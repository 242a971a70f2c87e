/**
 * Model input from a beat window, as models/spec.json says: the amplitude
 * normalisation (window minus its mean, divided by the median peak-to-peak of
 * the stream's recent windows, at least minScaleMv), the running template
 * channel (per-sample median of the stream's earlier windows, scaled the
 * same way) when the spec has one, and the RR side input.
 *
 * The per-stream state (scale, template, RR intervals) is model-input.ts,
 * the one implementation that the agent uses too.
 *
 * Limits: the history is per stream as the caller keys it; a stream's first
 * beats are normalised by a short history, as in the agent. The RR history is
 * the rr.prevS of the stream's earlier messages, so every beat of the stream
 * should pass through (the agent counts every detected beat).
 */
import { AmplitudeScale, normaliseInto, RrHistory, TemplateHistory } from './model-input.ts';
import type { ModelSpec } from './spec.ts';

export { AmplitudeScale, TemplateHistory };

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

export function normalise(window: Float32Array, scaleMv: number): Float32Array {
  const out = new Float32Array(window.length);
  normaliseInto(out, 0, window, scaleMv);
  return out;
}

/**
 * The rr tensor, in spec.sideInputs.names order, from payload.rr ({prevS,
 * localS?} or [prevS, localS?], seconds) and the stream's RR history (which
 * gives localS when the payload does not, and the median of rrMedianRatio);
 * the spec's defaults when payload.rr is absent (assumed: true, nothing
 * remembered).
 */
export function rrFrom(payload: unknown, spec: NonNullable<ModelSpec['sideInputs']>, history: RrHistory = new RrHistory(spec)): { rr: Float32Array; assumed: boolean } {
  const r = (payload as { rr?: unknown } | null)?.rr;
  if (r === undefined) {
    const d = spec.defaultRrS;
    const assumedValues: Record<string, number> = { rrPrevS: d, rrLocalS: d, rrRatio: 1, rrMedianRatio: 1, rrIrregularity: 1 };
    return { rr: Float32Array.from(spec.names, (n) => assumedValues[n]), assumed: true };
  }
  let prev: unknown;
  let local: unknown;
  if (Array.isArray(r)) [prev, local] = r;
  else if (r && typeof r === 'object') ({ prevS: prev, localS: local } = r as { prevS?: unknown; localS?: unknown });
  if (typeof prev !== 'number' || !(prev > 0)) throw new Error(`msg.payload.rr.prevS is ${JSON.stringify(prev)}; expected seconds > 0`);
  if (local !== undefined && (typeof local !== 'number' || !(local > 0))) {
    throw new Error(`msg.payload.rr.localS is ${JSON.stringify(local)}; expected seconds > 0, or absent (then the mean of the stream's earlier intervals)`);
  }
  const f = history.next(prev, local as number | undefined);
  return { rr: Float32Array.from(spec.names, (n) => f[n as keyof typeof f]), assumed: false };
}

/** The window tensor's data, [channels, length] row-major: normalised window in channel 0, normalised template in `templateChannel`. */
export function stackChannels(channels: number, window: Float32Array, template?: { channel: number; values: Float32Array }): Float32Array {
  const out = new Float32Array(channels * window.length);
  out.set(window, 0);
  if (template) out.set(template.values, template.channel * window.length);
  return out;
}

/**
 * One stream's model input, beat after beat: keeps the amplitude, template
 * and RR histories the spec asks for. Without a normalisation in the spec the window
 * goes in as it is.
 */
export class StreamPreparer {
  readonly #scale: AmplitudeScale | null;
  readonly #template: TemplateHistory | null;
  /** This stream's RR intervals (rrFrom's history); null when the spec has no side input. */
  readonly rr: RrHistory | null;

  constructor(private readonly spec: ModelSpec) {
    const n = spec.normalisation;
    this.#scale = n ? new AmplitudeScale(n.historyBeats, n.minScaleMv) : null;
    this.#template = spec.template ? new TemplateHistory(spec.template.historyBeats) : null;
    this.rr = spec.sideInputs ? new RrHistory(spec.sideInputs) : null;
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
