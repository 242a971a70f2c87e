/**
 * The JSON payloads of the five topic kinds, as TypeScript types, and builders
 * that make them from the pipeline's values. The JSON Schemas in docs/schemas/
 * are the contract; these types mirror them field for field, and the tests
 * validate every builder's output against the schemas (validate.ts).
 *
 * Every payload carries `v` (the schema version, bumped on incompatible change),
 * the gateway and channel ids, and wall-clock time both as ISO 8601 (for people
 * and dashboards) and as ms since the epoch (for arithmetic).
 */
import type { RegionsMs } from '../explain/regions.ts';
import type { BeatLabel, EventPhase, EventType, RhythmEvent } from '../rhythm/types.ts';
import { checkTopicLevel } from './topics.ts';

export const PAYLOAD_VERSION = 1 as const;
/** The model's classes in model order (models/spec.json). */
export const MODEL_CLASSES = ['N', 'L', 'R', 'A', 'V'] as const;
export type ModelClass = (typeof MODEL_CLASSES)[number];
export type ClassProbabilities = Record<ModelClass, number>;

interface Envelope {
  v: typeof PAYLOAD_VERSION;
  gateway: string;
  channel: string;
}

export interface BeatPayload extends Envelope {
  /** R peak, sample index from the stream start at `fs`. */
  sample: number;
  fs: number;
  time: string;
  wallMs: number;
  /** Q: detected but not classified (bad signal). */
  label: BeatLabel;
  /** Softmax output per class; null when the beat was not classified (Q). */
  probs: ClassProbabilities | null;
  rrMs: { prev: number | null; localMean: number | null };
  quality: { leadOff: boolean; saturated: boolean; gap: boolean; poor: boolean };
}

export interface EventPayload extends Envelope {
  id: string;
  type: EventType;
  phase: EventPhase;
  fs: number;
  startSample: number;
  endSample: number;
  beats: number;
  hrBpm?: number;
  startTime?: string;
  startWallMs?: number;
  endTime?: string;
  endWallMs?: number;
  detail?: string;
  /** When the agent made this message (not when the episode happened). */
  sentTime: string;
}

export interface ExplainPayload extends Envelope {
  method: 'gradcam';
  /**
   * The beat explained. Events name no beat: a subscriber joins the two on the
   * sample index (`event.startSample <= beat.sample <= event.endSample`), since
   * the explanation leaves with the beat, before the rules have seen the next one.
   */
  beat: { sample: number; time: string; wallMs: number };
  /** The class whose evidence the map shows (usually the predicted one). */
  label: ModelClass;
  probability: number;
  /** The model window around R: first bin starts at -beforeMs, last ends at +afterMs. */
  window: { beforeMs: number; afterMs: number };
  /** Map downsampled to a fixed number of bins over the window, normalised to max 1. */
  bins: number[];
  binMs: number;
  peakOffsetMs: number;
  /** Shares of the map's mass in the P, QRS and T regions and outside them; they sum to 1. */
  shares: { p: number; qrs: number; t: number; other: number };
  /** The P, QRS and T bounds the shares were summed over, ms from R, [from, to); they depend on the beat's RR. */
  regionsMs?: RegionsMs;
}

export interface VitalsPayload extends Envelope {
  time: string;
  wallMs: number;
  intervalS: number;
  /** Mean heart rate over the interval's classified beats; null with fewer than two. */
  hrBpm: number | null;
  counts: Record<BeatLabel, number>;
}

export interface StatusCounters {
  /** Source frames decoded good, rejected as corrupt, and lost (sequence gaps); 0 where the source has no frames. */
  frames: number;
  framesCorrupt?: number;
  framesLost?: number;
  samples: number;
  beats: number;
  events: number;
  /** Things dropped anywhere (beats shed while offline, explanations shed from the outbox, lost samples). */
  drops: number;
  publishLatencyMs: { p50: number | null; p99: number | null };
}

export interface StatusPayload extends Envelope {
  state: 'online' | 'offline';
  time: string;
  wallMs: number;
  versions: { agent: string; node: string; mqttProtocol?: 4 | 5 };
  model: { id: string; specVersion?: number } | null;
  uptimeS: number;
  counters?: StatusCounters;
}

export type PayloadOf = {
  beat: BeatPayload;
  event: EventPayload;
  explain: ExplainPayload;
  vitals: VitalsPayload;
  status: StatusPayload;
};

/** Who is speaking: every builder takes it. */
export interface Origin {
  gateway: string;
  channel: string;
}

function envelope(origin: Origin): Envelope {
  checkTopicLevel('gateway id', origin.gateway);
  checkTopicLevel('channel id', origin.channel);
  return { v: PAYLOAD_VERSION, gateway: origin.gateway, channel: origin.channel };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export interface BeatInput {
  sample: number;
  fs: number;
  wallMs: number;
  label: BeatLabel;
  probs?: ArrayLike<number> | ClassProbabilities | null;
  rrPrevMs?: number | null;
  rrLocalMeanMs?: number | null;
  quality?: Partial<BeatPayload['quality']>;
}

export function buildBeat(origin: Origin, b: BeatInput): BeatPayload {
  return {
    ...envelope(origin),
    sample: b.sample,
    fs: b.fs,
    time: iso(b.wallMs),
    wallMs: b.wallMs,
    label: b.label,
    probs: b.probs == null ? null : classProbabilities(b.probs),
    rrMs: { prev: b.rrPrevMs ?? null, localMean: b.rrLocalMeanMs ?? null },
    quality: { leadOff: false, saturated: false, gap: false, poor: false, ...b.quality },
  };
}

/** Model output (array in model order, or a record) to a record by class. */
export function classProbabilities(p: ArrayLike<number> | ClassProbabilities): ClassProbabilities {
  if ('N' in p) return { N: p.N, L: p.L, R: p.R, A: p.A, V: p.V };
  const arr = p as ArrayLike<number>;
  if (arr.length !== MODEL_CLASSES.length) {
    throw new RangeError(`probabilities: expected ${MODEL_CLASSES.length} values (${MODEL_CLASSES.join(', ')}), got ${arr.length}`);
  }
  return { N: arr[0], L: arr[1], R: arr[2], A: arr[3], V: arr[4] };
}

export function buildEvent(origin: Origin, e: RhythmEvent, fs: number, nowMs: number): EventPayload {
  const out: EventPayload = {
    ...envelope(origin),
    id: e.id,
    type: e.type,
    phase: e.phase,
    fs,
    startSample: e.startSample,
    endSample: e.endSample,
    beats: e.beats,
    sentTime: iso(nowMs),
  };
  if (e.hrBpm !== undefined) out.hrBpm = e.hrBpm;
  if (e.startWallMs !== undefined) Object.assign(out, { startTime: iso(e.startWallMs), startWallMs: e.startWallMs });
  if (e.endWallMs !== undefined) Object.assign(out, { endTime: iso(e.endWallMs), endWallMs: e.endWallMs });
  if (e.detail !== undefined) out.detail = e.detail;
  return out;
}

export interface VitalsInput {
  wallMs: number;
  intervalS: number;
  hrBpm: number | null;
  counts: Partial<Record<BeatLabel, number>>;
}

export function buildVitals(origin: Origin, v: VitalsInput): VitalsPayload {
  const c = v.counts;
  return {
    ...envelope(origin),
    time: iso(v.wallMs),
    wallMs: v.wallMs,
    intervalS: v.intervalS,
    hrBpm: v.hrBpm,
    counts: { N: c.N ?? 0, L: c.L ?? 0, R: c.R ?? 0, A: c.A ?? 0, V: c.V ?? 0, Q: c.Q ?? 0 },
  };
}

export interface StatusInput {
  state: 'online' | 'offline';
  wallMs: number;
  agentVersion: string;
  mqttProtocol?: 4 | 5;
  model?: { id: string; specVersion?: number } | null;
  uptimeS: number;
  counters?: StatusCounters;
}

export function buildStatus(origin: Origin, s: StatusInput): StatusPayload {
  const out: StatusPayload = {
    ...envelope(origin),
    state: s.state,
    time: iso(s.wallMs),
    wallMs: s.wallMs,
    versions: { agent: s.agentVersion, node: process.versions.node },
    model: s.model ?? null,
    uptimeS: s.uptimeS,
  };
  if (s.mqttProtocol !== undefined) out.versions.mqttProtocol = s.mqttProtocol;
  if (s.counters !== undefined) out.counters = s.counters;
  return out;
}

export interface ExplainPayloadInput {
  beat: { sample: number; wallMs: number };
  label: ModelClass;
  probability: number;
  summary: Pick<ExplainPayload, 'window' | 'bins' | 'binMs' | 'peakOffsetMs' | 'shares' | 'regionsMs'>;
}

/** From an already summarised map; explain-summary.ts's buildExplain starts from the raw map. */
export function buildExplainPayload(origin: Origin, e: ExplainPayloadInput): ExplainPayload {
  const beat: ExplainPayload['beat'] = { sample: e.beat.sample, time: iso(e.beat.wallMs), wallMs: e.beat.wallMs };
  return {
    ...envelope(origin),
    method: 'gradcam',
    beat,
    label: e.label,
    probability: e.probability,
    window: e.summary.window,
    bins: e.summary.bins,
    binMs: e.summary.binMs,
    peakOffsetMs: e.summary.peakOffsetMs,
    shares: e.summary.shares,
    ...(e.summary.regionsMs === undefined ? {} : { regionsMs: e.summary.regionsMs }),
  };
}
