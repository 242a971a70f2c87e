/**
 * When the beats of the synthetic ECG happen: an RR tachogram with heart rate
 * variability, and the sequence of beats with injected ectopics.
 *
 * The tachogram follows McSharry et al. 2003 (section II.B): RR intervals whose
 * power spectrum is the sum of two Gaussians, Mayer waves at 0.1 Hz and
 * respiratory sinus arrhythmia at 0.25 Hz (widths 0.01 Hz), with a chosen LF/HF
 * power ratio and standard deviation. ECGSYN draws it by inverse FFT over a fixed
 * length; to stream without end we draw it as a sum of sinusoids whose
 * frequencies are sampled from those two Gaussians, with random phases. Its
 * spectrum has the same expected shape and it never repeats.
 *
 * Ectopics (ours, from the textbook definitions): a premature ventricular beat
 * comes `prematurity` x RR early and the sinus beat it displaces is not
 * conducted, so the pause after it is compensatory (coupling + pause = 2 RR); a
 * premature atrial beat comes early and resets the sinus node, so the next sinus
 * beat follows one RR after it (non-compensatory).
 * Runs: `count` ectopics in a row, the first at its coupling, the rest `rrMs`
 * apart; after a V run the sinus clock (which ran on, dissociated) conducts
 * its first beat at least half an RR after the last V; after an A run it
 * restarts one RR after the last A. Pauses (sinus arrest): the first sinus beat
 * due at or after `atSec` comes `durationSec` after the beat before it.
 */
import type { BeatKind } from './morphology.ts';
import { gaussian, type Uniform } from './prng.ts';

export interface TachogramOptions {
  /** Mean heart rate, bpm. */
  hrMeanBpm: number;
  /** Standard deviation of the heart rate, bpm (ECGSYN's hrstd). */
  hrStdBpm: number;
  /** Ratio of the power at 0.1 Hz (Mayer) to that at 0.25 Hz (RSA). */
  lfHfRatio: number;
}

const LF_HZ = 0.1;
const HF_HZ = 0.25;
const PEAK_WIDTH_HZ = 0.01;
/** Sinusoids per spectral peak: enough for a Gaussian-looking process. */
const COMPONENTS_PER_PEAK = 32;

/** RR interval as a function of time. */
export interface Tachogram {
  /** Mean RR interval, s. */
  readonly rrMeanSec: number;
  /** The RR interval of the rhythm at time tSec, s. */
  rrSec(tSec: number): number;
}

export function createTachogram(opts: TachogramOptions, uniform: Uniform): Tachogram {
  const rrMeanSec = 60 / opts.hrMeanBpm;
  // A heart rate std of s bpm is an RR std of 60 s / hr^2 (first order), as in ECGSYN.
  const rrStdSec = (60 * opts.hrStdBpm) / (opts.hrMeanBpm * opts.hrMeanBpm);
  const variance = rrStdSec * rrStdSec;
  const normal = gaussian(uniform);
  const freqHz: number[] = [];
  const ampSec: number[] = [];
  const phaseRad: number[] = [];
  const peaks = [
    { centreHz: LF_HZ, variance: (variance * opts.lfHfRatio) / (1 + opts.lfHfRatio) },
    { centreHz: HF_HZ, variance: variance / (1 + opts.lfHfRatio) },
  ];
  for (const peak of peaks) {
    // Each of n sinusoids of amplitude A has variance A^2 / 2.
    const amp = Math.sqrt((2 * peak.variance) / COMPONENTS_PER_PEAK);
    for (let i = 0; i < COMPONENTS_PER_PEAK; i++) {
      freqHz.push(Math.max(0.001, peak.centreHz + PEAK_WIDTH_HZ * normal()));
      ampSec.push(amp);
      phaseRad.push(2 * Math.PI * uniform());
    }
  }
  return {
    rrMeanSec,
    rrSec(tSec: number): number {
      let rr = rrMeanSec;
      if (variance === 0) return rr;
      for (let i = 0; i < freqHz.length; i++) rr += ampSec[i] * Math.cos(2 * Math.PI * freqHz[i] * tSec + phaseRad[i]);
      return rr;
    },
  };
}

/** An ectopic beat to inject, by beat index or by time. */
export interface EctopicSpec {
  kind: 'V' | 'A';
  /** Index of the beat (0 = first beat of the stream) that is to be this ectopic. */
  atBeat?: number;
  /** Or: the first beat whose (premature) R peak falls at or after this time, s. */
  atSec?: number;
  /** How early it comes, as a fraction of the sinus RR interval (0.3 = 70% coupling). */
  prematurity?: number;
  /** Or: the interval from the previous R peak, ms (overrides prematurity). */
  couplingMs?: number;
  /** Ectopics in a row (a run); default 1. */
  count?: number;
  /** RR interval inside a run, ms; default the coupling interval. */
  rrMs?: number;
}

/** A sinus arrest: the first sinus beat due at or after atSec comes durationSec after the previous beat. */
export interface PauseSpec {
  atSec: number;
  durationSec: number;
}

export const DEFAULT_PREMATURITY: Record<'V' | 'A', number> = { V: 0.3, A: 0.25 };

/** A beat as scheduled: time of its R peak, kind, the interval before it. */
export interface ScheduledBeat {
  /** Index in the stream, from 0. */
  index: number;
  /** R peak time from the stream start, s. */
  tSec: number;
  kind: BeatKind;
  /** Interval from the previous R peak, s (the first beat: the rhythm's RR there). */
  rrSec: number;
  /** Sinus RR of the underlying rhythm at this beat, s; sets the beat's angular speed. */
  sinusRrSec: number;
}

/**
 * Produces beats one after another. Ectopics asked for by index or time are
 * consumed in order; time-based ones fire at the first beat that can honour them.
 */
export class BeatScheduler {
  private index = 0;
  private lastRSec = Number.NaN;
  private nextSinusSec: number;
  private readonly byIndex = new Map<number, EctopicSpec>();
  private readonly byTime: EctopicSpec[];
  private readonly pauses: PauseSpec[];
  /** The run in progress: its spec and the beats still to come. */
  private run: { spec: EctopicSpec; left: number } | null = null;

  constructor(private readonly tachogram: Tachogram, ectopics: readonly EctopicSpec[], firstRSec: number, pauses: readonly PauseSpec[] = []) {
    this.nextSinusSec = firstRSec;
    for (const e of ectopics) if (e.atBeat !== undefined) this.byIndex.set(e.atBeat, e);
    this.byTime = ectopics.filter((e) => e.atBeat === undefined).sort((x, y) => (x.atSec ?? 0) - (y.atSec ?? 0));
    this.pauses = [...pauses].sort((x, y) => x.atSec - y.atSec);
  }

  next(): ScheduledBeat {
    const index = this.index++;
    const sinus = this.nextSinusSec;
    if (index > 0) {
      const rrSec = this.tachogram.rrSec(this.lastRSec);
      if (this.run) {
        const { spec } = this.run;
        const tSec = this.lastRSec + (spec.rrMs ?? spec.couplingMs ?? (1 - this.prematurity(spec)) * rrSec * 1000) / 1000;
        if (--this.run.left === 0) this.run = null;
        return this.ectopic(index, tSec, spec.kind, sinus);
      }
      const ectopic = this.byIndex.get(index) ?? this.dueByTime(this.lastRSec + this.couplingSec(this.byTime[0], rrSec));
      if (ectopic) {
        const tSec = this.lastRSec + this.couplingSec(ectopic, rrSec);
        if ((ectopic.count ?? 1) > 1) this.run = { spec: ectopic, left: (ectopic.count ?? 1) - 1 };
        // V: the displaced sinus beat is not conducted; the sinus clock runs on.
        // A: the sinus node is reset by the early atrial depolarisation.
        return this.ectopic(index, tSec, ectopic.kind, ectopic.kind === 'V' ? sinus + this.tachogram.rrSec(sinus) : sinus);
      }
      const pause = this.pauses[0];
      if (pause !== undefined && sinus >= pause.atSec) {
        this.pauses.shift();
        const tSec = this.lastRSec + pause.durationSec;
        this.nextSinusSec = tSec + this.tachogram.rrSec(tSec);
        return this.emit(index, tSec, 'N');
      }
    }
    this.nextSinusSec = sinus + this.tachogram.rrSec(sinus);
    return this.emit(index, sinus, 'N');
  }

  /** An ectopic at tSec; `sinus` is the sinus clock's next beat (V: runs on, at least half an RR after the V). */
  private ectopic(index: number, tSec: number, kind: 'V' | 'A', sinus: number): ScheduledBeat {
    if (kind === 'A') {
      this.nextSinusSec = tSec + this.tachogram.rrSec(tSec);
    } else {
      let next = sinus;
      while (next < tSec + 0.5 * this.tachogram.rrSec(next)) next += this.tachogram.rrSec(next);
      this.nextSinusSec = next;
    }
    return this.emit(index, tSec, kind);
  }

  private couplingSec(e: EctopicSpec | undefined, rrSec: number): number {
    if (e?.couplingMs !== undefined) return e.couplingMs / 1000;
    return (1 - this.prematurity(e)) * rrSec;
  }

  private prematurity(e: EctopicSpec | undefined): number {
    return e ? (e.prematurity ?? DEFAULT_PREMATURITY[e.kind]) : 0;
  }

  private dueByTime(candidateSec: number): EctopicSpec | undefined {
    const first = this.byTime[0];
    if (first === undefined || candidateSec < (first.atSec ?? 0)) return undefined;
    return this.byTime.shift();
  }

  private emit(index: number, tSec: number, kind: BeatKind): ScheduledBeat {
    const sinusRrSec = this.tachogram.rrSec(tSec);
    const rrSec = index === 0 ? sinusRrSec : tSec - this.lastRSec;
    this.lastRSec = tSec;
    return { index, tSec, kind, rrSec, sinusRrSec };
  }
}
