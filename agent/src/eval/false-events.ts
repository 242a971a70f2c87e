/**
 * Which rhythm events (rhythm/types.ts) a reference annotation list does not
 * back, and how much of a stretch of signal the agent called poor: the noise
 * stress test's "false arrhythmia" count (noise-stress-agent.ts).
 *
 * Definitions (samples at one rate `fs`; tolerance `toleranceS`, the EC57
 * match window of 0.15 s, on both sides of an episode):
 * - V events: pvc, couplet, v-run, vt, bigeminy, trigeminy. One is FALSE when
 *   no reference beat of class V (bxb: V, r, E) lies in
 *   [start - tolerance, end + tolerance].
 * - A events: apc, sv-couplet, sv-run, svt. FALSE when no reference beat of
 *   class S (bxb: A, a, J, S, j, e, n) lies in that interval.
 * - VT events (also counted among the V events): FALSE unless a reference run
 *   of at least `runMinBeats` (3) consecutive V-class beats (consecutive among
 *   the reference beats) has a beat in that interval. The rate is not checked:
 *   it is the rules' threshold, not a property of the reference.
 * - An episode is counted once (its 'start'); its span is from the start's
 *   startSample to its 'end' endSample (the last one seen if it never ended).
 *   It is in the segment (noisy or clean) that holds its start.
 * - Poor signal: the samples of a segment covered by poor-signal or lead-off
 *   episodes.
 * Limits: "backed" is generous: a couplet over one reference V, or a bigeminy
 * over one V, counts as true; so the false counts are a floor.
 */
import type { EventType, RhythmEvent } from '../rhythm/types.ts';
import type { EvalAnnotation } from './beat-match.ts';
import { bxbClassOf } from './labels.ts';
import type { NoiseSegment } from './noise-stress.ts';

export const V_EVENTS: readonly EventType[] = ['pvc', 'couplet', 'v-run', 'vt', 'bigeminy', 'trigeminy'];
export const A_EVENTS: readonly EventType[] = ['apc', 'sv-couplet', 'sv-run', 'svt'];

/** One episode, from its messages. */
export interface EpisodeSpan {
  id: string;
  type: EventType;
  startSample: number;
  endSample: number;
}

/** Episodes from a stream of event messages (start / update / end), in order of start. */
export function episodesOf(events: readonly RhythmEvent[]): EpisodeSpan[] {
  const byId = new Map<string, EpisodeSpan>();
  for (const e of events) {
    const ep = byId.get(e.id);
    if (ep === undefined) byId.set(e.id, { id: e.id, type: e.type, startSample: e.startSample, endSample: e.endSample });
    else ep.endSample = Math.max(ep.endSample, e.endSample);
  }
  return [...byId.values()].sort((a, b) => a.startSample - b.startSample);
}

/** Counts for one kind of segment (noisy or clean). */
export interface SegmentEventCounts {
  /** Length of the segments, s. */
  seconds: number;
  vEvents: number;
  falseV: number;
  aEvents: number;
  falseA: number;
  vtEvents: number;
  falseVt: number;
  /** Seconds covered by poor-signal or lead-off episodes. */
  poorS: number;
}

export interface FalseEventCounts {
  noisy: SegmentEventCounts;
  clean: SegmentEventCounts;
}

const zero = (): SegmentEventCounts => ({ seconds: 0, vEvents: 0, falseV: 0, aEvents: 0, falseA: 0, vtEvents: 0, falseVt: 0, poorS: 0 });

/** Sorted samples; true when one lies in [lo, hi]. */
function anyIn(sorted: readonly number[], lo: number, hi: number): boolean {
  let a = 0;
  let b = sorted.length;
  while (a < b) {
    const m = (a + b) >> 1;
    if (sorted[m] < lo) a = m + 1; else b = m;
  }
  return a < sorted.length && sorted[a] <= hi;
}

/** Reference beats of V class that belong to a run of >= minBeats consecutive V-class beats. */
function ventricularRunBeats(reference: readonly EvalAnnotation[], minBeats: number): number[] {
  const out: number[] = [];
  let run: number[] = [];
  const close = () => { if (run.length >= minBeats) out.push(...run); run = []; };
  for (const a of reference) {
    const c = bxbClassOf(a.symbol);
    if (c === null || c === 'O') continue;
    if (c === 'V') run.push(a.sample); else close();
  }
  close();
  return out;
}

export interface FalseEventOptions {
  fs: number;
  /** Only segments (and their parts) from this sample on count. */
  fromSample: number;
  toleranceS?: number;
  runMinBeats?: number;
}

export function countFalseEvents(events: readonly RhythmEvent[], reference: readonly EvalAnnotation[],
  schedule: readonly NoiseSegment[], o: FalseEventOptions): FalseEventCounts {
  const tol = Math.round((o.toleranceS ?? 0.15) * o.fs);
  const vBeats = reference.filter((a) => bxbClassOf(a.symbol) === 'V').map((a) => a.sample).sort((x, y) => x - y);
  const sBeats = reference.filter((a) => bxbClassOf(a.symbol) === 'S').map((a) => a.sample).sort((x, y) => x - y);
  const runBeats = ventricularRunBeats(reference, o.runMinBeats ?? 3).sort((x, y) => x - y);
  const segs = schedule.map((s) => ({ ...s, start: Math.max(s.start, o.fromSample) })).filter((s) => s.end > s.start);
  const out: FalseEventCounts = { noisy: zero(), clean: zero() };
  for (const s of segs) (s.noisy ? out.noisy : out.clean).seconds += (s.end - s.start) / o.fs;
  const episodes = episodesOf(events);
  for (const ep of episodes) {
    if (ep.type === 'poor-signal' || ep.type === 'lead-off') {
      for (const s of segs) {
        const overlap = Math.min(ep.endSample, s.end) - Math.max(ep.startSample, s.start);
        if (overlap > 0) (s.noisy ? out.noisy : out.clean).poorS += overlap / o.fs;
      }
      continue;
    }
    const seg = segs.find((s) => ep.startSample >= s.start && ep.startSample < s.end);
    if (seg === undefined) continue;
    const c = seg.noisy ? out.noisy : out.clean;
    const lo = ep.startSample - tol;
    const hi = ep.endSample + tol;
    if (V_EVENTS.includes(ep.type)) {
      c.vEvents++;
      if (!anyIn(vBeats, lo, hi)) c.falseV++;
    }
    if (ep.type === 'vt') {
      c.vtEvents++;
      if (!anyIn(runBeats, lo, hi)) c.falseVt++;
    }
    if (A_EVENTS.includes(ep.type)) {
      c.aEvents++;
      if (!anyIn(sBeats, lo, hi)) c.falseA++;
    }
  }
  return out;
}

/** Adds segment counts (pooling records). */
export function addCounts(a: SegmentEventCounts, b: SegmentEventCounts): SegmentEventCounts {
  const out = zero();
  for (const k of Object.keys(out) as (keyof SegmentEventCounts)[]) out[k] = a[k] + b[k];
  return out;
}
