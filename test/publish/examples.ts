/** Example payloads of every kind, made by the builders (tests and docs/mqtt.md use them). */
import { buildBeat, buildEvent, buildStatus, buildVitals, type Origin, type PayloadOf } from '../../agent/src/publish/payloads.ts';
import { buildExplain } from '../../agent/src/publish/explain-summary.ts';
import type { RhythmEvent } from '../../agent/src/rhythm/types.ts';

export const origin: Origin = { gateway: 'ward3-bed12', channel: 'ch0' };
export const T0 = Date.UTC(2026, 10, 24, 2, 0, 0);
export const GEOMETRY = { fs: 360, before: 90, after: 166 };

/** A Grad-CAM-like map: a bump centred `centreMs` from R, `widthMs` wide. */
export function bumpMap(centreMs: number, widthMs: number, geom = GEOMETRY): Float32Array {
  const map = new Float32Array(geom.before + geom.after);
  for (let i = 0; i < map.length; i++) {
    const ms = ((i - geom.before) * 1000) / geom.fs;
    map[i] = Math.exp(-0.5 * ((ms - centreMs) / widthMs) ** 2);
  }
  return map;
}

export function rhythmEvent(over: Partial<RhythmEvent> = {}): RhythmEvent {
  return { id: 'vt-000042', type: 'vt', phase: 'start', startSample: 360_000, endSample: 361_080, beats: 5, hrBpm: 166.7, startWallMs: T0 + 1_000_000, endWallMs: T0 + 1_003_000, ...over };
}

export function examples(): { [K in keyof PayloadOf]: PayloadOf[K] } {
  return {
    beat: buildBeat(origin, { sample: 360_540, fs: 360, wallMs: T0 + 1_001_500, label: 'V', probs: [0.02, 0.01, 0.01, 0.03, 0.93], rrPrevMs: 361.1, rrLocalMeanMs: 802.8 }),
    event: buildEvent(origin, rhythmEvent(), 360, T0 + 1_003_010),
    explain: buildExplain(origin, { beatSample: 360_540, wallMs: T0 + 1_001_500, label: 'V', probability: 0.93, rrPrevMs: 361.1, map: bumpMap(20, 40), geometry: GEOMETRY }),
    vitals: buildVitals(origin, { wallMs: T0 + 1_010_000, intervalS: 10, hrBpm: 74.2, counts: { N: 11, V: 1 } }),
    status: buildStatus(origin, {
      state: 'online', wallMs: T0, agentVersion: '0.1.0', mqttProtocol: 5, model: { id: 'arrhythminet-int8-ds1', specVersion: 1 }, uptimeS: 3600,
      counters: { frames: 1_800_000, samples: 1_800_000, beats: 4321, events: 17, drops: 0, publishLatencyMs: { p50: 3.1, p99: 12.4 } },
    }),
  };
}
