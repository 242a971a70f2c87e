/**
 * EC57 beat-by-beat comparison of a test annotation list against a reference:
 * a port of the matching loop of PhysioNet's `bxb` (WFDB 10.7), which the
 * project's evaluation must reproduce count for count.
 *
 * Reference: ANSI/AAMI EC57:1998 section 4.1; G. Moody, `bxb.c` (main loop,
 * getref/gettest, rpann/tpann, pair), including its 2002 amendment for beats
 * closer together than twice the match window.
 *
 * The rules, as bxb applies them:
 * - Only beat annotations take part; a noise annotation whose subtype has bits 4
 *   and 5 set starts a shutdown, VF on/off ('[' ']') bracket ventricular
 *   flutter, whose annotations are skipped.
 * - Each step looks at the earlier of the current reference beat (T) and test
 *   beat (t). They pair when within the match window and no closer to each
 *   other than the later one is to the other list's next beat (or when the two
 *   next beats pair better with each other). Otherwise the earlier one is
 *   unmatched: a reference beat is paired with an O pseudo-beat (X inside a
 *   test shutdown); a test beat with O (X inside a reference shutdown, not
 *   counted at all inside reference VF).
 * - Start: reference beats before `start` are skipped; the last test beat before
 *   it may still pair with the first reference beat; a test beat in the first
 *   match window after `start` that better fits the next one is dropped uncounted.
 * - End: the loop runs while either current beat is at or before the end time
 *   (the record length); without one, until the reference list ends.
 * - RR error: each counted pair adds (RR - rr)^2 of the reference and test RR
 *   intervals current at that step, when both are valid (not across VF or a
 *   shutdown, not the first beat).
 *
 * Limits: times are sample numbers at one rate `fs` for both lists.
 */
import type { ClassOf, EvalClass } from './labels.ts';
import { bxbClassOf } from './labels.ts';
import { emptyMatrix, type ConfusionMatrix } from './confusion.ts';
import { BeatCursor, HUGE } from './beat-cursor.ts';

/** One annotation: its sample number and MIT mnemonic. */
export interface EvalAnnotation {
  sample: number;
  symbol: string;
  /** Annotation subtype; for noise ('~'), bits 4 and 5 set mean shutdown. */
  subtype?: number;
}

export interface MatchOptions {
  /** Sampling rate of both lists, Hz. */
  fs: number;
  /** Match window, seconds (EC57: 0.15). */
  matchWindowS?: number;
  /** Start of the comparison, seconds from the record start (EC57 and bxb default: 300). */
  startS?: number;
  /**
   * End of the comparison, sample number: the record length for bxb. Absent:
   * until the reference list ends (bxb when the record length is unknown).
   */
  endSample?: number;
  /** Class of each beat label; default bxb's (SVEB statistics on). */
  classOf?: ClassOf;
}

/** How one step of the comparison counted (for debugging and per-beat reports). */
export interface BeatPair {
  /** 'matched': a reference and a test beat; 'missed': a reference beat alone;
   *  'extra': a test beat alone; 'in-vf': a test beat inside reference VF, not counted. */
  kind: 'matched' | 'missed' | 'extra' | 'in-vf';
  refSample: number | null;
  testSample: number | null;
  ref: EvalClass | null;
  test: EvalClass | null;
}

export interface BeatComparison {
  matrix: ConfusionMatrix;
  pairs: BeatPair[];
  /** Sum of squared RR differences, samples^2, and how many pairs it holds. */
  rrSumSquares: number;
  rrCount: number;
  /** RMS RR interval error, ms; null when no pair had two valid RR intervals. */
  rrErrorMs: number | null;
  /** Test shutdown duration, whole seconds, as bxb reports it. */
  shutdownS: number;
  /** The resolved parameters, in samples. */
  matchWindowSamples: number;
  startSample: number;
  endSample: number | null;
}

/** WFDB strtim() of a number of seconds: the nearest sample. */
export const secondsToSamples = (s: number, fs: number): number => Math.round(s * fs);

function checkSorted(anns: readonly EvalAnnotation[], which: string): void {
  for (let i = 0; i < anns.length; i++) {
    const s = anns[i].sample;
    if (!Number.isInteger(s) || s < 0) {
      throw new RangeError(`${which} annotation ${i}: sample ${s} is not a non-negative integer`);
    }
    if (i > 0 && s < anns[i - 1].sample) {
      throw new RangeError(`${which} annotation ${i}: sample ${s} is before the previous one (${anns[i - 1].sample}); annotations must be in time order`);
    }
  }
}

/** Compares `test` with `reference` beat by beat as bxb does. */
export function compareBeats(
  reference: readonly EvalAnnotation[], test: readonly EvalAnnotation[], options: MatchOptions,
): BeatComparison {
  const { fs } = options;
  if (!(fs > 0)) throw new RangeError(`fs must be a positive number of Hz, got ${fs}`);
  checkSorted(reference, 'reference');
  checkSorted(test, 'test');
  const classOf = options.classOf ?? bxbClassOf;
  const matchWindow = secondsToSamples(options.matchWindowS ?? 0.15, fs);
  const start = secondsToSamples(options.startS ?? 300, fs);
  const end = options.endSample ?? null;
  if (end !== null && end < start) throw new RangeError(`end sample ${end} is before the start (${start})`);
  const half = secondsToSamples(0.5, fs);
  const ref = new BeatCursor(reference, classOf, false, matchWindow, end, half);
  const tst = new BeatCursor(test, classOf, true, matchWindow, end, half);

  const matrix = emptyMatrix();
  const pairs: BeatPair[] = [];
  let rrSumSquares = 0;
  let rrCount = 0;
  const pair = (r: EvalClass | '*' | null, t: EvalClass | '*' | null, kind: BeatPair['kind']) => {
    const counted = r !== null && r !== '*' && t !== null && t !== '*' &&
      !((r === 'O' || r === 'X') && (t === 'O' || t === 'X'));
    if (counted) matrix[r][t]++;
    pairs.push({
      kind: counted ? kind : 'in-vf',
      refSample: kind === 'extra' ? null : ref.time,
      testSample: kind === 'missed' ? null : tst.time,
      ref: r === '*' ? null : r,
      test: t === '*' ? null : t,
    });
    // bxb tallies the RR error on every call, counted or not.
    if (ref.rrSamples > 0 && tst.rrSamples > 0) {
      const d = ref.rrSamples - tst.rrSamples;
      rrSumSquares += d * d;
      rrCount++;
    }
  };

  do ref.advance(); while (ref.time < start);
  do tst.advance(); while (tst.nextTime < start);

  const abs = Math.abs;
  let T = ref.time;
  let t = tst.time;
  if (T - t < abs(T - tst.nextTime) && T - t <= matchWindow) {
    // The last test beat before the start matches the first reference beat.
    if (ref.cls !== null || tst.cls !== null) pair(ref.cls, tst.cls, 'matched');
    ref.advance();
    tst.advance();
  } else {
    tst.advance();
    if (tst.time - start <= matchWindow && abs(ref.time - tst.nextTime) < abs(ref.time - tst.time)) tst.advance();
  }

  for (;;) {
    T = ref.time;
    t = tst.time;
    const going = end !== null ? T <= end || t <= end : T !== HUGE;
    if (!going) break;
    const Tn = ref.nextTime;
    const tn = tst.nextTime;
    if (t < T) {
      if (T - t <= matchWindow && (T - t < abs(T - tn) || abs(Tn - tn) < abs(T - tn))) {
        pair(ref.cls, tst.cls, 'matched');
        ref.advance();
        tst.advance();
      } else {
        pair(ref.pseudoBeatAt(t), tst.cls, 'extra');
        tst.advance();
      }
    } else if (t - T <= matchWindow && (t - T < abs(t - Tn) || abs(tn - Tn) < abs(t - Tn))) {
      pair(ref.cls, tst.cls, 'matched');
      tst.advance();
      ref.advance();
    } else {
      pair(ref.cls, tst.pseudoBeatAt(T), 'missed');
      ref.advance();
    }
  }

  const second = secondsToSamples(1, fs);
  return {
    matrix,
    pairs,
    rrSumSquares,
    rrCount,
    rrErrorMs: rrCount > 0 ? (Math.sqrt(rrSumSquares / rrCount) * 1000) / second : null,
    shutdownS: Math.trunc(tst.shutdownSamples / second),
    matchWindowSamples: matchWindow,
    startSample: start,
    endSample: end,
  };
}
