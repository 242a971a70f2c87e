/**
 * Messages shaped like the agent's (DESIGN.md section 7; the payload types of
 * agent/src/publish), generated here for the node and flow tests: topic and
 * payload per kind, and scripted scenarios (PVCs, a run of V, lead-off).
 */
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';

export const FS = 360;
const iso = (ms: number) => new Date(ms).toISOString();
const topicOf = (gateway: string, channel: string, kind: string) => `arrhythminet/v1/${gateway}/${channel}/${kind}`;

export interface AgentMessage {
  topic: string;
  payload: Record<string, unknown>;
}

export function eventMessage(gateway: string, channel: string, e: RhythmEvent, nowMs = Date.now()): AgentMessage {
  const payload: Record<string, unknown> = {
    v: 1, gateway, channel, id: e.id, type: e.type, phase: e.phase, fs: FS,
    startSample: e.startSample, endSample: e.endSample, beats: e.beats, sentTime: iso(nowMs),
  };
  if (e.hrBpm !== undefined) payload.hrBpm = e.hrBpm;
  if (e.detail !== undefined) payload.detail = e.detail;
  return { topic: topicOf(gateway, channel, 'event'), payload };
}

export function statusMessage(gateway: string, channel: string, state: 'online' | 'offline', nowMs = Date.now()): AgentMessage {
  return {
    topic: topicOf(gateway, channel, 'status'),
    payload: {
      v: 1, gateway, channel, state, time: iso(nowMs), wallMs: nowMs,
      versions: { agent: '0.1.0', node: process.versions.node }, model: null, uptimeS: 12,
    },
  };
}

export function vitalsMessage(gateway: string, channel: string, hrBpm: number | null, nowMs = Date.now()): AgentMessage {
  return {
    topic: topicOf(gateway, channel, 'vitals'),
    payload: { v: 1, gateway, channel, time: iso(nowMs), wallMs: nowMs, intervalS: 10, hrBpm, counts: { N: 10, L: 0, R: 0, A: 0, V: 1, Q: 0 } },
  };
}

export function beatMessage(gateway: string, channel: string, sample: number, label: 'N' | 'V', nowMs = Date.now()): AgentMessage {
  const v = label === 'V' ? 0.9 : 0.02;
  return {
    topic: topicOf(gateway, channel, 'beat'),
    payload: {
      v: 1, gateway, channel, sample, fs: FS, time: iso(nowMs), wallMs: nowMs, label,
      probs: { N: 0.97 - v, L: 0.01, R: 0.01, A: 0.01, V: v },
      rrMs: { prev: 800, localMean: 810 }, quality: { leadOff: false, saturated: false, gap: false, poor: false },
    },
  };
}

export function explainMessage(gateway: string, channel: string, nowMs = Date.now()): AgentMessage {
  const bins = Array.from({ length: 32 }, (_, i) => Math.exp(-((i - 12) ** 2) / 8));
  return {
    topic: topicOf(gateway, channel, 'explain'),
    payload: {
      v: 1, gateway, channel, method: 'gradcam', beat: { sample: 1000, time: iso(nowMs), wallMs: nowMs },
      label: 'V', probability: 0.93, window: { beforeMs: 250, afterMs: 461.1 }, bins, binMs: 711.1 / 32,
      peakOffsetMs: 16, shares: { p: 0.1, qrs: 0.6, t: 0.2, other: 0.1 },
    },
  };
}

let nextId = 0;
/** An episode known whole at once (an isolated PVC): its start and end together, as the rhythm engine sends it. */
export function isolated(type: RhythmEvent['type'], sample: number, beats = 1): RhythmEvent[] {
  const id = `${type}-${sample}-${++nextId}`;
  const base = { id, type, startSample: sample, endSample: sample, beats };
  return [{ ...base, phase: 'start' }, { ...base, phase: 'end' }];
}

export function episode(type: RhythmEvent['type'], startSample: number, endSample: number, beats: number, hrBpm?: number): { start: RhythmEvent; end: RhythmEvent } {
  const id = `${type}-${startSample}-${++nextId}`;
  const base = { id, type, startSample, beats, ...(hrBpm === undefined ? {} : { hrBpm }) };
  return { start: { ...base, phase: 'start', endSample: startSample }, end: { ...base, phase: 'end', endSample } };
}
