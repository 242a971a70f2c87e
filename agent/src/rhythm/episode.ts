/**
 * One episode's lifecycle: 'start', any number of 'update', one 'end', under an
 * id that is stable (the stream id, the type and the start sample), so a
 * subscriber that sees the same event twice (at-least-once delivery) can tell.
 */
import type { RhythmConfig } from './config.ts';
import type { EventType, RhythmEvent } from './types.ts';

export interface EpisodePoint {
  sample: number;
  wallMs?: number;
}

export class Episode {
  readonly id: string;
  private readonly first: EpisodePoint;
  private last: EpisodePoint;
  /** Beats in the episode so far. */
  private beats = 0;
  /** Sample index of the first and last beat, for the mean rate. */
  private firstBeatSample = -1;
  private lastBeatSample = -1;

  constructor(readonly type: EventType, start: EpisodePoint, private readonly config: RhythmConfig,
    readonly detail?: string) {
    this.id = `${config.streamId}:${type}:${start.sample}`;
    this.first = start;
    this.last = start;
  }

  /** Adds a beat (its R peak) to the episode. */
  addBeat(at: EpisodePoint): void {
    if (this.beats === 0) this.firstBeatSample = at.sample;
    this.lastBeatSample = at.sample;
    this.beats += 1;
    this.last = at;
  }

  /** Moves the episode's end without adding a beat (signal episodes, pauses). */
  extend(to: EpisodePoint): void {
    this.last = to;
  }

  /** First sample of the episode. */
  get startSample(): number {
    return this.first.sample;
  }

  get beatCount(): number {
    return this.beats;
  }

  /** Mean rate over the episode's beats, bpm; undefined with fewer than two. */
  get hrBpm(): number | undefined {
    if (this.beats < 2) return undefined;
    const spanS = (this.lastBeatSample - this.firstBeatSample) / this.config.fs;
    return spanS > 0 ? (60 * (this.beats - 1)) / spanS : undefined;
  }

  event(phase: RhythmEvent['phase']): RhythmEvent {
    const e: RhythmEvent = {
      id: this.id, type: this.type, phase,
      startSample: this.first.sample, endSample: this.last.sample, beats: this.beats,
    };
    const hr = this.hrBpm;
    if (hr !== undefined) e.hrBpm = Math.round(hr * 10) / 10;
    if (this.first.wallMs !== undefined) e.startWallMs = this.first.wallMs;
    if (this.last.wallMs !== undefined) e.endWallMs = this.last.wallMs;
    if (this.detail !== undefined) e.detail = this.detail;
    return e;
  }
}
