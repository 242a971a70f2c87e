/**
 * The agent's own messages for the node and flow tests: topics and payloads
 * made by the agent's builders (agent/src/publish), so the nodes are tested
 * against exactly what the agent publishes; plus scripted episodes (PVCs, a run
 * of V, lead-off) as the rhythm engine emits them.
 */
import { buildBeat, buildEvent, buildExplainPayload, buildStatus, buildVitals } from '../../agent/src/publish/payloads.ts';
import { buildTopic } from '../../agent/src/publish/topics.ts';
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';

export const FS = 360;

export interface AgentMessage {
  topic: string;
  payload: Record<string, unknown>;
}

const message = (gateway: string, channel: string, kind: 'status' | 'beat' | 'event' | 'explain' | 'vitals', payload: object): AgentMessage =>
  ({ topic: buildTopic({ gateway, channel, kind }), payload: payload as Record<string, unknown> });

export function eventMessage(gateway: string, channel: string, e: RhythmEvent, nowMs = Date.now()): AgentMessage {
  return message(gateway, channel, 'event', buildEvent({ gateway, channel }, e, FS, nowMs));
}

export function statusMessage(gateway: string, channel: string, state: 'online' | 'offline', nowMs = Date.now(), uptimeS = 12): AgentMessage {
  return message(gateway, channel, 'status', buildStatus({ gateway, channel }, { state, wallMs: nowMs, agentVersion: '0.1.0', model: null, uptimeS }));
}

/** Vitals of a 10 s interval with N 10 and V 1 beats. */
export function vitalsMessage(gateway: string, channel: string, hrBpm: number | null, nowMs = Date.now()): AgentMessage {
  return message(gateway, channel, 'vitals', buildVitals({ gateway, channel }, { wallMs: nowMs, intervalS: 10, hrBpm, counts: { N: 10, V: 1 } }));
}

export function beatMessage(gateway: string, channel: string, sample: number, label: 'N' | 'V', nowMs = Date.now()): AgentMessage {
  const v = label === 'V' ? 0.9 : 0.02;
  return message(gateway, channel, 'beat', buildBeat({ gateway, channel }, {
    sample, fs: FS, wallMs: nowMs, label, probs: [0.97 - v, 0.01, 0.01, 0.01, v], rrPrevMs: 800, rrLocalMeanMs: 810,
  }));
}

export function explainMessage(gateway: string, channel: string, nowMs = Date.now()): AgentMessage {
  const bins = Array.from({ length: 32 }, (_, i) => Math.exp(-((i - 12) ** 2) / 8));
  return message(gateway, channel, 'explain', buildExplainPayload({ gateway, channel }, {
    beat: { sample: 1000, wallMs: nowMs }, label: 'V', probability: 0.93,
    summary: { window: { beforeMs: 250, afterMs: 461.1 }, bins, binMs: 711.1 / 32, peakOffsetMs: 16, shares: { p: 0.1, qrs: 0.6, t: 0.2, other: 0.1 } },
  }));
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
