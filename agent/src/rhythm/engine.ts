/**
 * The rhythm rules together: labelled beats, clock ticks and signal-state
 * changes in, episode events out. Pure and synchronous; the RxJS operator in
 * operator.ts is its only wiring.
 *
 * Beats that arrive while the signal is bad (lead-off, poor signal) are not
 * used: the quality stage already withholds their classification, and a rhythm
 * read through noise is how monitors raise false alarms. When the signal turns
 * bad every beat rule is interrupted, so no run, pattern or pause spans a hole.
 */
import { rhythmConfig, type RhythmConfig } from './config.ts';
import { EctopyRule } from './ectopy.ts';
import type { EpisodePoint } from './episode.ts';
import { PatternRule } from './pattern.ts';
import { PauseRule } from './pause.ts';
import { RateRule } from './rate.ts';
import type { RhythmRule } from './rule.ts';
import { RunConfirm } from './run-confirm.ts';
import { SignalEpisodes } from './signal-episodes.ts';
import type { RhythmEvent, RhythmInput } from './types.ts';

export class RhythmEngine {
  readonly config: RhythmConfig;
  private readonly rules: RhythmRule[];
  private readonly signal: SignalEpisodes;
  /** V-run and VT episodes wait here until the signal under them is judged good. */
  private readonly confirm: RunConfirm;
  /** R peak of the previous beat in good signal, samples; undefined after a break. */
  private lastBeatSample: number | undefined;
  /** The furthest sample seen, for closing episodes at the end. */
  private now: EpisodePoint = { sample: 0 };

  constructor(config: Partial<RhythmConfig> = {}) {
    this.config = rhythmConfig(config);
    const c = this.config;
    this.rules = [
      new EctopyRule('V', { single: 'pvc', couplet: 'couplet', run: 'v-run', tachy: 'vt' }, c),
      new EctopyRule('A', { single: 'apc', couplet: 'sv-couplet', run: 'sv-run', tachy: 'svt' }, c),
      new PatternRule('bigeminy', 2, c),
      new PatternRule('trigeminy', 3, c),
      new RateRule(c),
      new PauseRule(c),
    ];
    this.signal = new SignalEpisodes(c);
    this.confirm = new RunConfirm(c.runConfirmMs, c.fs);
  }

  next(input: RhythmInput): RhythmEvent[] {
    const out: RhythmEvent[] = [];
    switch (input.kind) {
      case 'beat': {
        const b = input.beat;
        if (this.lastBeatSample !== undefined && b.sample <= this.lastBeatSample) {
          throw new RangeError(`beats must arrive in sample order: beat at ${b.sample} after ${this.lastBeatSample}`);
        }
        this.advance({ sample: b.sample, wallMs: b.wallMs });
        this.signal.settle({ sample: b.sample, wallMs: b.wallMs }, out);
        if (this.signal.bad) break;
        this.confirm.confirm(b.sample, out);
        const rrMs = this.lastBeatSample === undefined
          ? undefined : ((b.sample - this.lastBeatSample) * 1000) / this.config.fs;
        const made: RhythmEvent[] = [];
        for (const r of this.rules) r.beat(b, rrMs, made);
        this.confirm.pass(made, out, b.sample);
        this.lastBeatSample = b.sample;
        break;
      }
      case 'clock': {
        const at = { sample: input.sample, wallMs: input.wallMs };
        this.advance(at);
        this.signal.clock(at, out);
        if (this.signal.bad) break;
        this.confirm.confirm(at.sample, out);
        const made: RhythmEvent[] = [];
        for (const r of this.rules) r.clock(at, made);
        this.confirm.pass(made, out);
        break;
      }
      case 'signal': {
        const wasBad = this.signal.bad;
        this.advance({ sample: input.state.sample, wallMs: input.state.wallMs });
        this.signal.state(input.state, out);
        if (!wasBad && this.signal.bad) {
          this.interruptRules({ sample: input.state.sample, wallMs: input.state.wallMs }, out);
          this.confirm.signalBad(input.state.sample, out);
        }
        break;
      }
    }
    return out;
  }

  /** Closes every open episode at the last sample seen (end of stream, shutdown). */
  finish(): RhythmEvent[] {
    const out: RhythmEvent[] = [];
    this.interruptRules(this.now, out);
    this.confirm.flush(out);
    this.signal.finish(this.now, out);
    return out;
  }

  private interruptRules(at: EpisodePoint, out: RhythmEvent[]): void {
    const made: RhythmEvent[] = [];
    for (const r of this.rules) r.interrupt(at, made);
    this.confirm.pass(made, out);
    this.lastBeatSample = undefined;
  }

  private advance(at: { sample: number; wallMs?: number }): void {
    if (at.sample >= this.now.sample) this.now = at.wallMs === undefined ? { sample: at.sample } : { sample: at.sample, wallMs: at.wallMs };
  }
}
