/**
 * Which detected beat `arrhythminet explain` explains: `--beat N`, the N-th
 * beat the pipeline detected (1 = the first), or `--time T`, the detected beat
 * whose R peak is nearest T (seconds, mm:ss or h:mm:ss from the record start,
 * decimals allowed). Out-of-range choices are usage errors naming the range.
 */
import { UsageError } from '../errors.ts';
import { parseTimeS } from '../eval/evaluate.ts';
import { nearestIndex } from './nearest.ts';

export type BeatSelector = { beat: number } | { timeS: number };

export function parseBeatSelector(beat: string | undefined, time: string | undefined): BeatSelector {
  if ((beat === undefined) === (time === undefined)) throw new UsageError('give exactly one of --beat N (the N-th detected beat, from 1) or --time T (seconds or mm:ss)');
  if (beat !== undefined) {
    if (!/^\d+$/.test(beat) || Number(beat) < 1) throw new UsageError(`--beat must be a whole number from 1 (the N-th detected beat), got '${beat}'`);
    return { beat: Number(beat) };
  }
  const s = parseTimeS(time!);
  if (s === null) throw new UsageError(`--time must be seconds (12.5) or mm:ss (1:02.5) or h:mm:ss from the record start, got '${time}'`);
  return { timeS: s };
}

/** `--time 1:05.250` style: m:ss.sss, with hours when needed. */
export function formatTimeS(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = (s % 60).toFixed(3).padStart(6, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/**
 * Index (0-based) into `rTimesS` (the detected beats' R times, s, ascending) of
 * the chosen beat; `durationS` is the record's length, `what` names it.
 */
export function selectBeat(rTimesS: readonly number[], selector: BeatSelector, durationS: number, what: string): number {
  if (rTimesS.length === 0) throw new UsageError(`${what}: the pipeline detected no beats`);
  if ('beat' in selector) {
    if (selector.beat > rTimesS.length) throw new UsageError(`--beat ${selector.beat}: ${what} has ${rTimesS.length} detected beats (1 to ${rTimesS.length})`);
    return selector.beat - 1;
  }
  if (selector.timeS > durationS) {
    throw new UsageError(`--time ${formatTimeS(selector.timeS)}: ${what} lasts ${formatTimeS(durationS)} (${durationS.toFixed(3)} s)`);
  }
  return nearestIndex(rTimesS, selector.timeS);
}
