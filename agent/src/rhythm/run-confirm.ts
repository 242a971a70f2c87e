/**
 * Holds ventricular-run and VT episodes back until the quality verdict that
 * covers their last beat is known. A beat is released with the verdict of the
 * last complete 0.25-s block before its window ends (pipeline/
 * assess-quality.ts), so at noise onset the first noisy beats pass as good and
 * three of them read as V make a false VT (noise stress, record 118, em 6 dB:
 * at 607 s and 1262 s). The verdict covering a beat is that of the first block
 * ending at or after its window (0.46 s after R): within `runConfirmMs`
 * (default 750 ms) of the beat. A NOISY verdict reaches the rules as a
 * poor-signal state starting at that block's end, announced one block
 * (SIGNAL_LAG_MS) later.
 * So an episode of a held type is announced once the stream is runConfirmMs +
 * SIGNAL_LAG_MS past the last beat it has so far; if poor signal starting within
 * runConfirmMs of that beat comes first, the episode is dropped whole (start,
 * updates, end): its beats were in signal judged bad, which the quality stage
 * would have labelled Q had it waited. Poor signal starting later does not drop
 * it. Beats are not delayed, only these events (by up to 1 s).
 * Limits: a true VT whose own complexes the quality test judges NOISY is
 * dropped the same way. That was 4 of the MIT-BIH VT runs (203 x2, 205, 221)
 * until the quality stage stopped reading smooth or periodic wide complexes
 * as noise (dsp/quality-verdict.ts); now 2 of 53 reference runs of >= 3 V
 * beats above 100 bpm, found with 0 and lost with 750 (203 at 304 s, 221 at
 * 842 s), which is why this is on by default (docs/benchmarks.md).
 */
import type { EventType, RhythmEvent } from './types.ts';

export const HELD_EVENTS: readonly EventType[] = ['v-run', 'vt'];
/** From the start of a bad-signal span to the rules hearing of it: one quality block, ms. */
export const SIGNAL_LAG_MS = 250;

interface Held {
  /** R peak of its last beat so far. */
  lastBeat: number;
  events: RhythmEvent[];
}

export class RunConfirm {
  private readonly held = new Map<string, Held>();
  /** Poor signal starting within this of the last beat drops the episode, samples. */
  private readonly coverSamples: number;
  /** The episode is announced this long after its last beat, samples. */
  private readonly holdSamples: number;

  constructor(confirmMs: number, fs: number) {
    this.coverSamples = Math.round((confirmMs * fs) / 1000);
    this.holdSamples = confirmMs === 0 ? 0 : Math.round(((confirmMs + SIGNAL_LAG_MS) * fs) / 1000);
  }

  /** Passes `events` on to `out`, holding those of unconfirmed held episodes; `beatSample` is the beat that made them, if any. */
  pass(events: readonly RhythmEvent[], out: RhythmEvent[], beatSample?: number): void {
    for (const e of events) {
      const h = this.held.get(e.id);
      if (h !== undefined) {
        h.events.push(e);
        if (beatSample !== undefined && e.phase !== 'end') h.lastBeat = Math.max(h.lastBeat, beatSample);
      } else if (this.holdSamples > 0 && e.phase === 'start' && HELD_EVENTS.includes(e.type) && beatSample !== undefined) {
        this.held.set(e.id, { lastBeat: beatSample, events: [e] });
      } else {
        out.push(e);
      }
    }
  }

  /** Announces the held episodes whose signal has been good up to `sample`. */
  confirm(sample: number, out: RhythmEvent[]): void {
    for (const [id, h] of this.held) {
      if (sample < h.lastBeat + this.holdSamples) continue;
      out.push(...h.events);
      this.held.delete(id);
    }
  }

  /** The signal turned bad from `sample` on: held episodes whose last beat it covers are dropped, the others announced. */
  signalBad(sample: number, out: RhythmEvent[]): void {
    for (const h of this.held.values()) if (sample > h.lastBeat + this.coverSamples) out.push(...h.events);
    this.held.clear();
  }

  /** End of stream: nothing judged them bad; announce what is held. */
  flush(out: RhythmEvent[]): void {
    for (const h of this.held.values()) out.push(...h.events);
    this.held.clear();
  }
}
