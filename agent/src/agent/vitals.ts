/**
 * Vitals on the sample clock: heart rate and beat counts per label over each
 * interval of `intervalS` seconds of signal (not of wall time, so a replay at
 * full speed gives the same vitals as one in real time).
 */
import type { BeatLabel } from '../rhythm/types.ts';
import type { AgentRecord } from './records.ts';

export interface Vitals {
  /** Wall-clock time of the interval's end, ms since the epoch (when the source gives time). */
  wallMs: number;
  intervalS: number;
  /** Mean heart rate over the interval's beats in good signal, bpm; null with fewer than two. */
  hrBpm: number | null;
  counts: Record<BeatLabel, number>;
}

const zeroCounts = (): Record<BeatLabel, number> => ({ N: 0, L: 0, R: 0, A: 0, V: 0, Q: 0 });

export class VitalsAccumulator {
  private readonly intervalSamples: number;
  private nextAt: number;
  private counts = zeroCounts();
  private rrSumMs = 0;
  private rrCount = 0;
  private goodBeats = 0;

  constructor(private readonly intervalS: number, fs: number) {
    if (!(intervalS > 0)) throw new RangeError(`vitals interval is ${intervalS} s; allowed: > 0`);
    this.intervalSamples = Math.round(intervalS * fs);
    this.nextAt = this.intervalSamples;
  }

  /** Takes one record; returns the vitals of an interval it completed, if any. */
  push(rec: AgentRecord): Vitals | null {
    if (rec.kind === 'classified') {
      this.counts[rec.label]++;
      if (rec.beat.quality === 'good') {
        this.goodBeats++;
        if (rec.beat.rrPrevMs !== null) { this.rrSumMs += rec.beat.rrPrevMs; this.rrCount++; }
      }
      return this.close(rec.beat.index, rec.beat.wallMs);
    }
    if (rec.kind === 'clock') return this.close(rec.sample, rec.wallMs);
    return null;
  }

  private close(sample: number, wallMs: number | undefined): Vitals | null {
    if (sample < this.nextAt) return null;
    const v: Vitals = {
      wallMs: wallMs ?? Date.now(),
      intervalS: this.intervalS,
      hrBpm: this.goodBeats >= 2 && this.rrCount > 0 ? Math.round((60000 / (this.rrSumMs / this.rrCount)) * 10) / 10 : null,
      counts: this.counts,
    };
    this.counts = zeroCounts();
    this.rrSumMs = this.rrCount = this.goodBeats = 0;
    // After a long hole, start counting again from here rather than emitting empty intervals.
    this.nextAt = Math.max(this.nextAt + this.intervalSamples, sample + 1);
    return v;
  }
}
