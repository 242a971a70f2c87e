/**
 * Runs of ectopic beats of one origin: an isolated ectopic beat, a couplet, a run,
 * and a run fast enough to be a tachycardia. For ventricular beats these are PVC,
 * couplet, v-run and VT (>= runMinBeats at > runTachyBpm); for supraventricular
 * (A) beats APC, sv-couplet, sv-run and SVT.
 *
 * Single beats and couplets are only known once the next beat shows the run has
 * ended, so they are reported then; a run is reported as it reaches runMinBeats
 * and updated with every further beat. Its type is decided then: a tachycardia
 * when faster than runTachyBpm and regular (RRs within runTachyMaxRrRatio of
 * each other), else a run.
 */
import type { RhythmConfig } from './config.ts';
import { Episode, type EpisodePoint } from './episode.ts';
import { pointOf, type RhythmRule } from './rule.ts';
import type { BeatLabel, EventType, LabelledBeat, RhythmEvent } from './types.ts';

export interface EctopyTypes {
  single: EventType;
  couplet: EventType;
  run: EventType;
  tachy: EventType;
}

export class EctopyRule implements RhythmRule {
  /** Consecutive ectopic beats not yet long enough to be a run. */
  private pending: EpisodePoint[] = [];
  /** The run under way, once pending reached runMinBeats. */
  private run: Episode | null = null;

  constructor(private readonly label: BeatLabel, private readonly types: EctopyTypes,
    private readonly config: RhythmConfig) {}

  beat(beat: LabelledBeat, _rrMs: number | undefined, out: RhythmEvent[]): void {
    if (beat.label !== this.label) {
      this.close(out);
      return;
    }
    const at = pointOf(beat);
    if (this.run) {
      this.run.addBeat(at);
      out.push(this.run.event('update'));
      return;
    }
    this.pending.push(at);
    if (this.pending.length < this.config.runMinBeats) return;
    const probe = this.episode(this.types.run);
    const type = (probe.hrBpm ?? 0) > this.config.runTachyBpm && this.regular() ? this.types.tachy : this.types.run;
    this.run = type === probe.type ? probe : this.episode(type);
    this.pending = [];
    out.push(this.run.event('start'));
  }

  clock(): void {}

  interrupt(_at: EpisodePoint, out: RhythmEvent[]): void {
    this.close(out);
  }

  /** True when the pending beats' RR intervals are within runTachyMaxRrRatio of each other. */
  private regular(): boolean {
    let min = Infinity;
    let max = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const rr = this.pending[i].sample - this.pending[i - 1].sample;
      min = Math.min(min, rr);
      max = Math.max(max, rr);
    }
    return max <= this.config.runTachyMaxRrRatio * min;
  }

  private episode(type: EventType): Episode {
    const e = new Episode(type, this.pending[0], this.config);
    for (const p of this.pending) e.addBeat(p);
    return e;
  }

  private close(out: RhythmEvent[]): void {
    if (this.run) {
      out.push(this.run.event('end'));
      this.run = null;
    } else if (this.pending.length > 0) {
      const n = this.pending.length;
      // Three or more only when runMinBeats is set above 3: a short run, not a couplet.
      const e = this.episode(n === 1 ? this.types.single : n === 2 ? this.types.couplet : this.types.run);
      out.push(e.event('start'), e.event('end'));
    }
    this.pending = [];
  }
}
