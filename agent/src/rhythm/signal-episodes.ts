/**
 * Lead-off and poor-signal episodes from the quality stage's state changes.
 * They are not beat rules: the engine feeds them every signal state and clock.
 */
import type { RhythmConfig } from './config.ts';
import { Episode, type EpisodePoint } from './episode.ts';
import type { RhythmEvent, SignalState } from './types.ts';

export class SignalEpisodes {
  private leadOff: Episode | null = null;
  private poor: Episode | null = null;
  private lastUpdateSample = 0;
  private readonly updateSamples: number;

  constructor(private readonly config: RhythmConfig) {
    this.updateSamples = (config.updateIntervalMs * config.fs) / 1000;
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
    if (this.poor && (!poor || this.poor.detail !== s.reason)) {
      this.poor.extend(at);
      out.push(this.poor.event('end'));
      this.poor = null;
    }
    if (poor && !this.poor) {
      this.poor = new Episode('poor-signal', at, this.config, s.reason);
      out.push(this.poor.event('start'));
      this.lastUpdateSample = at.sample;
    }
  }

  clock(at: EpisodePoint, out: RhythmEvent[]): void {
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
    for (const e of [this.leadOff, this.poor]) {
      if (!e) continue;
      e.extend(at);
      out.push(e.event('end'));
    }
    this.leadOff = this.poor = null;
  }
}
