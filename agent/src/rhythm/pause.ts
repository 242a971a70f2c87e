/**
 * A pause: no beat for pauseMs. Seen from the clock while it lasts (so a
 * subscriber hears of asystole while it is happening, not after) and closed by
 * the next beat. A pause inside bad signal is not a pause: the engine interrupts
 * this rule when the signal goes bad, and lead-off or poor signal is reported
 * instead.
 */
import type { RhythmConfig } from './config.ts';
import { Episode, type EpisodePoint } from './episode.ts';
import { pointOf, type RhythmRule } from './rule.ts';
import type { LabelledBeat, RhythmEvent } from './types.ts';

export class PauseRule implements RhythmRule {
  /** The last beat in good signal; none after an interruption. */
  private last: EpisodePoint | null = null;
  private pause: Episode | null = null;
  private lastUpdateSample = 0;
  /** pauseMs and updateIntervalMs in samples. */
  private readonly pauseSamples: number;
  private readonly updateSamples: number;

  constructor(private readonly config: RhythmConfig) {
    this.pauseSamples = (config.pauseMs * config.fs) / 1000;
    this.updateSamples = (config.updateIntervalMs * config.fs) / 1000;
  }

  beat(beat: LabelledBeat, _rrMs: number | undefined, out: RhythmEvent[]): void {
    const at = pointOf(beat);
    if (!this.pause && this.last && at.sample - this.last.sample > this.pauseSamples) {
      // The clock did not reach the threshold before this beat came (large chunks).
      this.pause = new Episode('pause', this.last, this.config);
      out.push(this.pause.event('start'));
    }
    if (this.pause) {
      this.pause.extend(at);
      out.push(this.pause.event('end'));
      this.pause = null;
    }
    this.last = at;
  }

  clock(at: EpisodePoint, out: RhythmEvent[]): void {
    if (!this.last) return;
    if (!this.pause) {
      if (at.sample - this.last.sample <= this.pauseSamples) return;
      this.pause = new Episode('pause', this.last, this.config);
      this.pause.extend(at);
      this.lastUpdateSample = at.sample;
      out.push(this.pause.event('start'));
      return;
    }
    this.pause.extend(at);
    if (at.sample - this.lastUpdateSample >= this.updateSamples) {
      this.lastUpdateSample = at.sample;
      out.push(this.pause.event('update'));
    }
  }

  interrupt(at: EpisodePoint, out: RhythmEvent[]): void {
    if (this.pause) {
      this.pause.extend(at);
      out.push(this.pause.event('end'));
    }
    this.pause = null;
    this.last = null;
  }
}
