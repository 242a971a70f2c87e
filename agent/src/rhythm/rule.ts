import type { EpisodePoint } from './episode.ts';
import type { LabelledBeat, RhythmEvent } from './types.ts';

/**
 * One rhythm rule. Rules are synchronous state machines driven by the engine;
 * they append the events they produce to `out`.
 */
export interface RhythmRule {
  /** A beat in good signal; `rrMs` is the interval from the previous beat in good signal. */
  beat(beat: LabelledBeat, rrMs: number | undefined, out: RhythmEvent[]): void;
  /** The stream reached `at` (sent for every chunk, beats or not). */
  clock(at: EpisodePoint, out: RhythmEvent[]): void;
  /** The beat sequence is broken (bad signal, end of stream): close open episodes at `at`, forget history. */
  interrupt(at: EpisodePoint, out: RhythmEvent[]): void;
}

export function pointOf(beat: LabelledBeat): EpisodePoint {
  return beat.wallMs === undefined ? { sample: beat.sample } : { sample: beat.sample, wallMs: beat.wallMs };
}
