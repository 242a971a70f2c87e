/**
 * Pure conversions from the agent's records to the page's messages
 * (protocol.ts): the conditioned signal to integer microvolts with its flags
 * as runs, a beat with its Grad-CAM map pooled to CAM_POINTS, an event as is.
 */
import type { ConditionedChunk } from '../pipeline/chunks.ts';
import type { ClassifiedBeat } from '../agent/records.ts';
import type { RhythmEvent } from '../rhythm/types.ts';
import { CAM_POINTS, type BeatItem, type EventItem, type SignalPart } from './protocol.ts';

/** The conditioned signal of a chunk (µV, rounded) and its non-zero flags as [offset, length, bits] runs. */
export function signalPart(chunk: Pick<ConditionedChunk, 'start' | 'cond' | 'flags'>): SignalPart {
  const n = chunk.cond.length;
  const uv = new Array<number>(n);
  for (let k = 0; k < n; k++) uv[k] = Math.round(chunk.cond[k] * 1000);
  return { start: chunk.start, uv, flags: flagRuns(chunk.flags) };
}

/** Runs of equal non-zero values: [offset, length, value]. */
export function flagRuns(flags: Uint8Array): [number, number, number][] {
  const runs: [number, number, number][] = [];
  let k = 0;
  while (k < flags.length) {
    const bits = flags[k];
    let end = k + 1;
    while (end < flags.length && flags[end] === bits) end++;
    if (bits !== 0) runs.push([k, end - k, bits]);
    k = end;
  }
  return runs;
}

/** Max-pools a map to `points` values scaled to 0..1 by its largest value (all zero stays zero). */
export function poolCam(map: Float32Array, points = CAM_POINTS): number[] {
  const out = new Array<number>(points).fill(0);
  if (map.length === 0) return out;
  for (let p = 0; p < points; p++) {
    const from = Math.floor((p * map.length) / points);
    const to = Math.max(from + 1, Math.floor(((p + 1) * map.length) / points));
    let m = 0;
    for (let k = from; k < to; k++) if (map[k] > m) m = map[k];
    out[p] = m;
  }
  const top = Math.max(...out);
  return out.map((v) => (top > 0 ? Math.round((v / top) * 100) / 100 : 0));
}

/** A beat for the page; the Grad-CAM map only for non-normal labels (the page's overlay shows why a beat is not N). */
export function beatItem(b: ClassifiedBeat, pubMs: number): BeatItem {
  const item: BeatItem = { i: b.beat.index, label: b.label, rrMs: b.beat.rrPrevMs === null ? null : Math.round(b.beat.rrPrevMs), q: b.beat.quality, pubMs };
  if (b.probs !== null) item.p = Math.round(Math.max(...b.probs) * 100) / 100;
  if (b.gradcam !== undefined && b.label !== 'N' && b.label !== 'Q') item.cam = poolCam(b.gradcam);
  return item;
}

export function eventItem(e: RhythmEvent): EventItem {
  return { ...e };
}
