/**
 * The agent's records -> the rhythm engine's inputs (rhythm/types.ts).
 * The pipeline reports a bad-signal span twice: when it begins (so a lead-off
 * is announced while the electrode is off, not after) and when it ends. The
 * start is a 'bad' state change; the end repeats it (the engine ignores a state
 * it is already in, which covers a stream whose start record came before it
 * subscribed) and then turns 'good'. 'lead-off' spans open a lead-off episode,
 * every other reason (gap, saturated, flat, noisy) a poor-signal episode with
 * the reason as detail. An unplugged device is a 'gap'.
 */
import type { RhythmInput } from '../rhythm/types.ts';
import type { AgentRecord } from './records.ts';

export function rhythmInputs(): (rec: AgentRecord) => RhythmInput[] {
  /** R peak of the last beat passed on; the engine requires increasing samples. */
  let lastBeat = -1;
  return (rec) => {
    switch (rec.kind) {
      case 'classified': {
        const b = rec.beat;
        if (b.index <= lastBeat) return [];
        lastBeat = b.index;
        return [{ kind: 'beat', beat: b.wallMs === undefined ? { sample: b.index, label: rec.label } : { sample: b.index, label: rec.label, wallMs: b.wallMs } }];
      }
      case 'clock':
        return [{ kind: 'clock', sample: rec.sample, ...(rec.wallMs === undefined ? {} : { wallMs: rec.wallMs }) }];
      case 'bad-signal-start': {
        const leadOff = rec.reason === 'lead-off';
        return [{ kind: 'signal', state: { sample: rec.start, leadOff, poor: !leadOff, reason: rec.reason } }];
      }
      case 'bad-signal': {
        const leadOff = rec.reason === 'lead-off';
        return [
          { kind: 'signal', state: { sample: rec.start, leadOff, poor: !leadOff, reason: rec.reason } },
          { kind: 'signal', state: { sample: rec.end, leadOff: false, poor: false } },
        ];
      }
    }
  };
}
