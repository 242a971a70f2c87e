/**
 * Lead-off and poor-signal episodes from the quality stage's state changes.
 * They are not beat rules: the engine feeds them every signal state and clock.
 * A poor-signal episode for noise (reason 'noisy') ends only once the signal
 * has been good again for as long as the episode had lasted, at most
 * `poorSignalClearMs` (hysteresis): noise such as electrode motion comes and
 * goes within seconds, and the beats of its short good-looking gaps are not
 * trusted, so no arrhythmia is read through them; a one-second flicker in a
 * clean record costs one second. The episode's end is the sample where it was
 * declared over. Lead-off, gaps,
 * saturation and flat line end at once: they are measured, not judged.
 */
import type { RhythmConfig } from './config.ts';
import { Episode, type EpisodePoint } from './episode.ts';
import type { RhythmEvent, SignalState } from './types.ts';

export class SignalEpisodes {
  private leadOff: Episode | null = null;
  private poor: Episode | null = null;
  private lastUpdateSample = 0;
  private readonly updateSamples: number;
  private readonly clearSamples: number;
  /** While the open poor episode waits to be cleared: the sample where it ends unless the signal turns poor again. */
  private clearAt: EpisodePoint | null = null;

  constructor(private readonly config: RhythmConfig) {
    this.updateSamples = (config.updateIntervalMs * config.fs) / 1000;
    this.clearSamples = Math.round((config.poorSignalClearMs * config.fs) / 1000);
  }

  /** True while either episode is open: beats are then not trusted. */
  get bad(): boolean {
    return this.leadOff !== null || this.poor !== null;
  }

  state(s: SignalState, out: RhythmEvent[]): void {
    const at: EpisodePoint = s.wallMs === undefined ? { sample: s.sample } : { sample: s.sample, wallMs: s.wallMs };
    // Lead-off explains poor signal; report the cause, not both.
    const poor = s.poor && !s.leadOff;
    if (s.leadOff && !this.leadOff) {
      this.leadOff = new Episode('lead-off', at, this.config);
      out.push(this.leadOff.event('start'));
      this.lastUpdateSample = at.sample;
    } else if (!s.leadOff && this.leadOff) {
      this.leadOff.extend(at);
      out.push(this.leadOff.event('end'));
      this.leadOff = null;
    }
    if (this.poor && poor && this.poor.detail === s.reason) this.clearAt = null;
    if (this.poor && poor && this.poor.detail !== s.reason) this.endPoor(at, out);
    if (this.poor && !poor && this.clearAt === null) {
      if (this.clearSamples === 0 || s.leadOff || this.poor.detail !== 'noisy') this.endPoor(at, out);
      else this.clearAt = { sample: at.sample + Math.min(this.clearSamples, at.sample - this.poor.startSample) };
    }
    if (poor && !this.poor) {
      this.poor = new Episode('poor-signal', at, this.config, s.reason);
      out.push(this.poor.event('start'));
      this.lastUpdateSample = at.sample;
    }
  }

  /** Ends a poor episode whose clearing time `at` has reached; call with every beat and clock. */
  settle(at: EpisodePoint, out: RhythmEvent[]): void {
    if (this.poor === null || this.clearAt === null || at.sample < this.clearAt.sample) return;
    const end = at.wallMs === undefined ? this.clearAt
      : { sample: this.clearAt.sample, wallMs: at.wallMs - ((at.sample - this.clearAt.sample) * 1000) / this.config.fs };
    this.endPoor(end, out);
  }

  private endPoor(at: EpisodePoint, out: RhythmEvent[]): void {
    this.poor!.extend(at);
    out.push(this.poor!.event('end'));
    this.poor = null;
    this.clearAt = null;
  }

  clock(at: EpisodePoint, out: RhythmEvent[]): void {
    this.settle(at, out);
    const open = [this.leadOff, this.poor].filter((e): e is Episode => e !== null);
    if (open.length === 0) return;
    for (const e of open) e.extend(at);
    if (at.sample - this.lastUpdateSample >= this.updateSamples) {
      this.lastUpdateSample = at.sample;
      for (const e of open) out.push(e.event('update'));
    }
  }

  /** Ends whatever is open (end of stream). */
  finish(at: EpisodePoint, out: RhythmEvent[]): void {
    this.settle(at, out);
    for (const e of [this.leadOff, this.poor]) {
      if (!e) continue;
      e.extend(at);
      out.push(e.event('end'));
    }
    this.leadOff = this.poor = null;
    this.clearAt = null;
  }
}
