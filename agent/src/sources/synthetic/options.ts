/**
 * Options of the synthetic ECG source: the one place for their defaults, units
 * and allowed ranges. A bad option throws a RangeError naming it, what it got and
 * what is allowed.
 */
import { DEFAULT_PREMATURITY, type EctopicSpec, type PauseSpec } from './rhythm.ts';

/** A [startSec, startSec + durationSec) interval of the stream. */
export interface IntervalSpec {
  startSec: number;
  durationSec: number;
}

export interface NoiseOptions {
  /** Baseline wander (0.05-0.5 Hz), root-mean-square, mV. Default 0. */
  baselineMv?: number;
  /** Mains interference, peak amplitude, mV. Default 0. */
  mainsMv?: number;
  /** Mains frequency, Hz: 50 or 60. Default 50. */
  mainsHz?: 50 | 60;
  /** Muscle (EMG-like, 20-150 Hz) noise, root-mean-square, mV. Default 0. */
  muscleMv?: number;
}

export interface SyntheticOptions {
  /** Output sampling rate, Hz (e.g. 500, 360, 250). Default 500. */
  fs?: number;
  /** Seed of every random choice; same options, same samples. Default 1. */
  seed?: number;
  /** Mean heart rate, bpm. Default 60 (ECGSYN's default). */
  hrMeanBpm?: number;
  /** Standard deviation of the heart rate, bpm (ECGSYN's hrstd); 0 gives a fixed RR. Default 1. */
  hrStdBpm?: number;
  /** LF (0.1 Hz) to HF (0.25 Hz) power ratio of the RR tachogram. Default 0.5. */
  lfHfRatio?: number;
  /** Height of a sinus R wave at the mean heart rate, mV. Default 1.0. */
  rMv?: number;
  /** Respiratory baseline z0 of the model (McSharry's A), mV, at 0.25 Hz. Default 0.15. */
  respirationMv?: number;
  /** Additive noise; none by default. */
  noise?: NoiseOptions;
  /** Ectopic beats to inject. Default none. */
  ectopics?: readonly EctopicSpec[];
  /** Sinus pauses (arrests) to inject. Default none. */
  pauses?: readonly PauseSpec[];
  /** Intervals flagged LEAD_OFF (the electrodes off, as the ADS1292's LOFF_STAT reports it). Default none. */
  leadOff?: readonly IntervalSpec[];
  /** Intervals flagged SATURATED (the framed path sends full-scale codes there). Default none. */
  saturate?: readonly IntervalSpec[];
  /** Wall-clock time of sample 0, ms since the epoch; chunks carry wallMs when given. */
  startWallMs?: number;
}

export type ResolvedOptions = Required<Omit<SyntheticOptions, 'noise' | 'startWallMs'>> & {
  noise: Required<NoiseOptions>;
  startWallMs: number | undefined;
};

function check(ok: boolean, name: string, got: unknown, allowed: string): void {
  if (!ok) throw new RangeError(`synthetic ECG option "${name}" is ${JSON.stringify(got)}; allowed: ${allowed}`);
}

const finite = (v: number) => typeof v === 'number' && Number.isFinite(v);

export function resolveOptions(opts: SyntheticOptions = {}): ResolvedOptions {
  const r: ResolvedOptions = {
    fs: opts.fs ?? 500,
    seed: opts.seed ?? 1,
    hrMeanBpm: opts.hrMeanBpm ?? 60,
    hrStdBpm: opts.hrStdBpm ?? 1,
    lfHfRatio: opts.lfHfRatio ?? 0.5,
    rMv: opts.rMv ?? 1,
    respirationMv: opts.respirationMv ?? 0.15,
    noise: {
      baselineMv: opts.noise?.baselineMv ?? 0,
      mainsMv: opts.noise?.mainsMv ?? 0,
      mainsHz: opts.noise?.mainsHz ?? 50,
      muscleMv: opts.noise?.muscleMv ?? 0,
    },
    ectopics: opts.ectopics ?? [],
    pauses: opts.pauses ?? [],
    leadOff: opts.leadOff ?? [],
    saturate: opts.saturate ?? [],
    startWallMs: opts.startWallMs,
  };
  check(finite(r.fs) && r.fs >= 100 && r.fs <= 10000, 'fs', r.fs, 'a rate in Hz from 100 to 10000');
  check(Number.isInteger(r.seed), 'seed', r.seed, 'an integer');
  check(finite(r.hrMeanBpm) && r.hrMeanBpm >= 30 && r.hrMeanBpm <= 200, 'hrMeanBpm', r.hrMeanBpm, '30 to 200');
  check(finite(r.hrStdBpm) && r.hrStdBpm >= 0 && r.hrStdBpm <= r.hrMeanBpm / 10, 'hrStdBpm', r.hrStdBpm,
    `0 to a tenth of hrMeanBpm (${r.hrMeanBpm / 10})`);
  check(finite(r.lfHfRatio) && r.lfHfRatio > 0, 'lfHfRatio', r.lfHfRatio, 'a number > 0');
  check(finite(r.rMv) && r.rMv > 0, 'rMv', r.rMv, 'a height in mV > 0');
  check(finite(r.respirationMv) && r.respirationMv >= 0, 'respirationMv', r.respirationMv, 'mV >= 0');
  for (const key of ['baselineMv', 'mainsMv', 'muscleMv'] as const) {
    check(finite(r.noise[key]) && r.noise[key] >= 0, `noise.${key}`, r.noise[key], 'mV >= 0');
  }
  check(r.noise.mainsHz === 50 || r.noise.mainsHz === 60, 'noise.mainsHz', r.noise.mainsHz, '50 or 60');
  check(r.noise.mainsMv === 0 || r.fs > 2 * r.noise.mainsHz, 'fs', r.fs, `above twice noise.mainsHz (${2 * r.noise.mainsHz})`);
  check(r.startWallMs === undefined || finite(r.startWallMs), 'startWallMs', r.startWallMs, 'ms since the epoch');
  r.ectopics.forEach((e, i) => {
    const name = `ectopics[${i}]`;
    check(e.kind === 'V' || e.kind === 'A', `${name}.kind`, e.kind, '"V" or "A"');
    check((e.atBeat === undefined) !== (e.atSec === undefined), name, e, 'exactly one of atBeat or atSec');
    if (e.atBeat !== undefined) check(Number.isInteger(e.atBeat) && e.atBeat >= 1, `${name}.atBeat`, e.atBeat, 'an integer >= 1 (beat 0 has no beat before it)');
    if (e.atSec !== undefined) check(finite(e.atSec) && e.atSec >= 0, `${name}.atSec`, e.atSec, 'seconds >= 0');
    const p = e.prematurity ?? DEFAULT_PREMATURITY[e.kind];
    check(finite(p) && p > 0 && p <= 0.6, `${name}.prematurity`, p, 'a fraction of the RR interval in (0, 0.6]');
    if (e.couplingMs !== undefined) check(finite(e.couplingMs) && e.couplingMs >= 200 && e.couplingMs <= 3000, `${name}.couplingMs`, e.couplingMs, '200 to 3000 ms');
    if (e.count !== undefined) check(Number.isInteger(e.count) && e.count >= 1, `${name}.count`, e.count, 'an integer >= 1');
    if (e.rrMs !== undefined) check(finite(e.rrMs) && e.rrMs >= 200 && e.rrMs <= 3000, `${name}.rrMs`, e.rrMs, '200 to 3000 ms');
  });
  r.pauses.forEach((p, i) => {
    check(finite(p.atSec) && p.atSec >= 0, `pauses[${i}].atSec`, p.atSec, 'seconds >= 0');
    check(finite(p.durationSec) && p.durationSec > 0 && p.durationSec <= 60, `pauses[${i}].durationSec`, p.durationSec, 'seconds in (0, 60]');
  });
  for (const key of ['leadOff', 'saturate'] as const) {
    r[key].forEach((iv, i) => {
      check(finite(iv.startSec) && iv.startSec >= 0, `${key}[${i}].startSec`, iv.startSec, 'seconds >= 0');
      check(finite(iv.durationSec) && iv.durationSec > 0, `${key}[${i}].durationSec`, iv.durationSec, 'seconds > 0');
    });
  }
  return r;
}
