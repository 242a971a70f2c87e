/**
 * `arrhythminet run`, for now a demonstration: until the agent exists (issue 5)
 * it streams the synthetic ECG source in real time, with a few premature
 * ventricular and atrial beats, and prints one line per beat from the source's
 * ground truth (not from any detector). Stops cleanly on SIGINT or SIGTERM.
 */
import type { Subscription } from 'rxjs';
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import { syntheticEcg$, type EctopicSpec, type TruthBeat } from '../../sources/synthetic.ts';

const usage = `usage: arrhythminet run [--config FILE] [--duration SECONDS] [--fast] [--seed N] [--hr BPM]

  --config FILE       agent configuration (not built yet: issue 5)
  --duration SECONDS  stop after this much signal (default: run until Ctrl-C)
  --fast              generate as fast as possible instead of in real time
  --seed N            seed of the synthetic ECG (default 1)
  --hr BPM            mean heart rate of the synthetic ECG (default 70)

Until the agent is built this streams the synthetic ECG (500 Hz) and prints the
beats it generated: ground truth from the source, not detections.`;

const FS = 500;
const KIND_NAMES: Record<TruthBeat['kind'], string> = {
  N: 'normal',
  V: 'premature ventricular (PVC)',
  A: 'premature atrial (APC)',
};

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a number > 0; got '${text}'`);
  return value;
}

/** A PVC and an APC every 15 beats, enough beats' worth for `beats` beats. */
function demoEctopics(beats: number): EctopicSpec[] {
  const list: EctopicSpec[] = [];
  for (let k = 0; k * 15 < beats; k++) {
    list.push({ kind: 'V', atBeat: 6 + 15 * k }, { kind: 'A', atBeat: 13 + 15 * k, prematurity: 0.3 });
  }
  return list;
}

export function formatBeat(beat: TruthBeat, fs: number): string {
  const tSec = (beat.rIndex / fs).toFixed(3).padStart(9);
  const rr = beat.rrMs.toFixed(0).padStart(5);
  const hr = (60000 / beat.rrMs).toFixed(0).padStart(4);
  return `t=${tSec} s  RR ${rr} ms  HR ${hr} bpm  ${beat.kind}  ${KIND_NAMES[beat.kind]}`;
}

export const runCommand: Command = {
  name: 'run',
  summary: 'the gateway agent (for now: synthetic ECG demo printing ground-truth beats)',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, {
      config: { type: 'string' },
      duration: { type: 'string' },
      fast: { type: 'boolean' },
      seed: { type: 'string' },
      hr: { type: 'string' },
    }, false);
    if (values.config !== undefined) {
      throw new UsageError(`--config is not built yet (the agent and its configuration are tracked in issue 5); run without it for the synthetic demo`);
    }
    const durationSec = values.duration === undefined ? undefined : positiveNumber('duration', values.duration, 0);
    const hrMeanBpm = positiveNumber('hr', values.hr, 70);
    if (hrMeanBpm < 30 || hrMeanBpm > 200) throw new UsageError(`--hr must be from 30 to 200 bpm; got '${values.hr}'`);
    const seed = Number(values.seed ?? 1);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer; got '${values.seed}'`);
    // A day's worth of ectopics when unbounded: the list is cheap and the demo stays varied.
    const beatsNeeded = Math.ceil(((durationSec ?? 86400) * 200) / 60);

    process.stderr.write(`arrhythminet run: the agent is not built yet (issue 5). Streaming the synthetic ECG source `
      + `(${FS} Hz, ${values.fast ? 'as fast as possible' : 'real time'}); the beats below are the source's ground truth, `
      + `not detections.${durationSec === undefined ? ' Ctrl-C stops.' : ''}\n`);

    const counts: Record<TruthBeat['kind'], number> = { N: 0, V: 0, A: 0 };
    let lastSample = 0;
    const stream = syntheticEcg$(
      { fs: FS, seed, hrMeanBpm, ectopics: demoEctopics(beatsNeeded), noise: { baselineMv: 0.05, muscleMv: 0.01 } },
      { pace: values.fast ? 'fast' : 'realtime', durationSec },
    );
    return new Promise<number>((resolve, reject) => {
      const finish = (why: string) => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        subscription?.unsubscribe();
        const total = counts.N + counts.V + counts.A;
        process.stderr.write(`arrhythminet run: ${why} after ${(lastSample / FS).toFixed(1)} s of signal: `
          + `${total} beats (N ${counts.N}, V ${counts.V}, A ${counts.A})\n`);
        resolve(EXIT_OK);
      };
      const onSignal = (signal: NodeJS.Signals) => finish(`stopped by ${signal}`);
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      let subscription: Subscription | undefined;
      subscription = stream.subscribe({
        next: (chunk) => {
          lastSample = chunk.start + chunk.mv.length;
          for (const beat of chunk.beats) {
            counts[beat.kind]++;
            process.stdout.write(formatBeat(beat, chunk.fs) + '\n');
          }
        },
        error: (err) => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          reject(err);
        },
        complete: () => finish('done'),
      });
    });
  },
};
