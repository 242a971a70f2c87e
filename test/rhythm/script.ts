/** Scripted beat sequences for the rhythm tests. */
import type { BeatLabel, RhythmEvent, RhythmInput } from '../../agent/src/rhythm/types.ts';
import { RhythmEngine } from '../../agent/src/rhythm/engine.ts';
import type { RhythmConfig } from '../../agent/src/rhythm/config.ts';

export const FS = 360;

/** One beat per label character, each `rrMs` after the previous (the first at `startMs`). */
export function beats(labels: string, rrMs: number | ((i: number, label: string) => number), startMs = 1000): RhythmInput[] {
  const out: RhythmInput[] = [];
  let tMs = startMs;
  [...labels].forEach((label, i) => {
    if (i > 0) tMs += typeof rrMs === 'number' ? rrMs : rrMs(i, label);
    out.push({ kind: 'beat', beat: { sample: Math.round((tMs * FS) / 1000), label: label as BeatLabel } });
  });
  return out;
}

/** Concatenates scripts, shifting each to start `gapMs` after the previous one's last beat. */
export function then(first: RhythmInput[], gapMs: number, next: RhythmInput[]): RhythmInput[] {
  const last = lastSample(first);
  const firstNext = next.find((i) => i.kind === 'beat');
  if (!firstNext || firstNext.kind !== 'beat') return [...first, ...next];
  const shift = last + Math.round((gapMs * FS) / 1000) - firstNext.beat.sample;
  return [...first, ...next.map((i) => shiftInput(i, shift))];
}

export function lastSample(inputs: RhythmInput[]): number {
  let s = 0;
  for (const i of inputs) s = Math.max(s, i.kind === 'beat' ? i.beat.sample : i.kind === 'clock' ? i.sample : i.state.sample);
  return s;
}

function shiftInput(i: RhythmInput, by: number): RhythmInput {
  if (i.kind === 'beat') return { kind: 'beat', beat: { ...i.beat, sample: i.beat.sample + by } };
  if (i.kind === 'clock') return { ...i, sample: i.sample + by };
  return { kind: 'signal', state: { ...i.state, sample: i.state.sample + by } };
}

/** Runs a script through a fresh engine, finishing it, and returns every event. */
export function runScript(inputs: RhythmInput[], config: Partial<RhythmConfig> = {}, finish = true): RhythmEvent[] {
  const engine = new RhythmEngine({ fs: FS, streamId: 'test', ...config });
  const events = inputs.flatMap((i) => engine.next(i));
  return finish ? [...events, ...engine.finish()] : events;
}

export function ofType(events: RhythmEvent[], type: string, phase?: string): RhythmEvent[] {
  return events.filter((e) => e.type === type && (phase === undefined || e.phase === phase));
}

export function msToSample(ms: number): number {
  return Math.round((ms * FS) / 1000);
}

export const labelsOf = (s: string): BeatLabel[] => [...s] as BeatLabel[];
