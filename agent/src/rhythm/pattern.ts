/**
 * Ventricular bigeminy and trigeminy: a PVC after every one (bigeminy) or every
 * two (trigeminy) non-ventricular beats, repeated patternMinCycles times. The
 * episode starts with the first beat of the first complete cycle, is updated
 * at every further cycle, and ends at the first beat that breaks the pattern.
 * An unclassified beat (Q) breaks it: nothing is known about its origin.
 */
import type { RhythmConfig } from './config.ts';
import { Episode, type EpisodePoint } from './episode.ts';
import { pointOf, type RhythmRule } from './rule.ts';
import type { EventType, LabelledBeat, RhythmEvent } from './types.ts';

export class PatternRule implements RhythmRule {
  /** Non-ventricular beats since the last V, Q or break in the signal. */
  private sinceV = 0;
  /** Complete cycles in a row, the current one included. */
  private cycles = 0;
  /** The last `period` beats, oldest first: the first beat of the latest cycle is recent[0]. */
  private recent: EpisodePoint[] = [];
  /** Beats of the cycles counted so far, for the episode once it starts. */
  private cycleBeats: EpisodePoint[] = [];
  private episode: Episode | null = null;

  /** @param period 2 for bigeminy (N V), 3 for trigeminy (N N V). */
  constructor(private readonly type: EventType, private readonly period: number,
    private readonly config: RhythmConfig) {}

  beat(beat: LabelledBeat, _rrMs: number | undefined, out: RhythmEvent[]): void {
    const at = pointOf(beat);
    this.recent.push(at);
    if (this.recent.length > this.period) this.recent.shift();
    const need = this.period - 1;

    if (beat.label === 'Q') {
      this.breakPattern(at, out);
      this.sinceV = 0;
      return;
    }
    if (beat.label !== 'V') {
      this.sinceV += 1;
      if (this.sinceV > need) this.breakPattern(at, out);
      return;
    }
    // A ventricular beat closes a cycle when exactly `need` other beats preceded it
    // (or at least `need` for the first cycle of a sequence).
    const closes = this.sinceV === need || (this.cycles === 0 && this.sinceV > need);
    this.sinceV = 0;
    if (!closes) {
      this.breakPattern(at, out);
      return;
    }
    if (this.cycles === 0) this.cycleBeats = [];
    this.cycles += 1;
    const cycle = this.recent.slice(-this.period);
    if (this.episode) {
      for (const p of cycle) this.episode.addBeat(p);
      out.push(this.episode.event('update'));
      return;
    }
    this.cycleBeats.push(...cycle);
    if (this.cycles >= this.config.patternMinCycles) {
      this.episode = new Episode(this.type, this.cycleBeats[0], this.config);
      for (const p of this.cycleBeats) this.episode.addBeat(p);
      this.cycleBeats = [];
      out.push(this.episode.event('start'));
    }
  }

  clock(): void {}

  interrupt(at: EpisodePoint, out: RhythmEvent[]): void {
    this.breakPattern(at, out);
    this.sinceV = 0;
    this.recent = [];
  }

  private breakPattern(_at: EpisodePoint, out: RhythmEvent[]): void {
    if (this.episode) out.push(this.episode.event('end'));
    this.episode = null;
    this.cycles = 0;
    this.cycleBeats = [];
  }
}
