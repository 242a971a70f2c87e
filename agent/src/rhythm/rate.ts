/**
 * Tachycardia and bradycardia from the mean of the last rateBeats RR intervals,
 * with hysteresis so a rate hovering at the threshold does not flap. Every beat
 * in good signal counts, whatever its label: the rate is the ventricular rate.
 */
import type { RhythmConfig } from './config.ts';
import { Episode, type EpisodePoint } from './episode.ts';
import { pointOf, type RhythmRule } from './rule.ts';
import type { LabelledBeat, RhythmEvent } from './types.ts';

export class RateRule implements RhythmRule {
  /** The last rateBeats RR intervals, ms (ring buffer) and their running sum. */
  private readonly rr: Float64Array;
  private rrCount = 0;
  private rrNext = 0;
  private rrSumMs = 0;
  /** R peaks of the beats in the ring, to start an episode at the window's first beat. */
  private readonly points: EpisodePoint[] = [];
  private tachy: Episode | null = null;
  private brady: Episode | null = null;
  /** Sample of the last 'update' sent for the open episode. */
  private lastUpdateSample = 0;

  constructor(private readonly config: RhythmConfig) {
    this.rr = new Float64Array(config.rateBeats);
  }

  /** Mean rate over the window, bpm; undefined until the window is full. */
  get hrBpm(): number | undefined {
    return this.rrCount < this.rr.length ? undefined : 60000 / (this.rrSumMs / this.rrCount);
  }

  beat(beat: LabelledBeat, rrMs: number | undefined, out: RhythmEvent[]): void {
    const at = pointOf(beat);
    this.points.push(at);
    if (this.points.length > this.rr.length + 1) this.points.shift();
    if (rrMs === undefined) return;
    if (this.rrCount === this.rr.length) this.rrSumMs -= this.rr[this.rrNext];
    else this.rrCount += 1;
    this.rr[this.rrNext] = rrMs;
    this.rrSumMs += rrMs;
    this.rrNext = (this.rrNext + 1) % this.rr.length;

    const hr = this.hrBpm;
    if (hr === undefined) return;
    const c = this.config;
    this.tachy = this.track(this.tachy, 'tachycardia', hr > c.tachyStartBpm, hr < c.tachyEndBpm, at, out);
    this.brady = this.track(this.brady, 'bradycardia', hr < c.bradyStartBpm, hr > c.bradyEndBpm, at, out);
  }

  clock(): void {}

  interrupt(_at: EpisodePoint, out: RhythmEvent[]): void {
    if (this.tachy) out.push(this.tachy.event('end'));
    if (this.brady) out.push(this.brady.event('end'));
    this.tachy = this.brady = null;
    this.rrCount = this.rrNext = 0;
    this.rrSumMs = 0;
    this.points.length = 0;
  }

  private track(open: Episode | null, type: 'tachycardia' | 'bradycardia', starts: boolean, ends: boolean,
    at: EpisodePoint, out: RhythmEvent[]): Episode | null {
    if (!open) {
      if (!starts) return null;
      const e = new Episode(type, this.points[0], this.config);
      for (const p of this.points) e.addBeat(p);
      this.lastUpdateSample = at.sample;
      out.push(e.event('start'));
      return e;
    }
    open.addBeat(at);
    if (ends) {
      out.push(open.event('end'));
      return null;
    }
    if ((at.sample - this.lastUpdateSample) * 1000 >= this.config.updateIntervalMs * this.config.fs) {
      this.lastUpdateSample = at.sample;
      out.push(open.event('update'));
    }
    return open;
  }
}
