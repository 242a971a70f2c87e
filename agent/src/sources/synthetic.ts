/**
 * Synthetic ECG source: the default source of `arrhythminet run` and the
 * generator of test fixtures with exact ground truth.
 *
 * Model: McSharry PE, Clifford GD, Tarassenko L, Smith LA. A dynamical model for
 * generating synthetic electrocardiogram signals. IEEE Trans Biomed Eng
 * 50(3):289-294, 2003 (ECGSYN): a trajectory on a limit cycle whose height is
 * pushed by Gaussian P, Q, R, S, T events, an RR tachogram with Mayer (0.1 Hz)
 * and respiratory (0.25 Hz) heart rate variability, respiratory baseline z0.
 * Added here: premature ventricular and atrial beats (isolated or in runs), sinus
 * pauses, lead-off and saturation flags (synthetic/scenario.ts), baseline wander, mains and
 * muscle noise (see synthetic/ for each part and its limits).
 *
 * The core is synchronous (SyntheticEcg, syntheticChunks, synthesize); the
 * Observable only paces it. Same options, same samples, whatever the chunking.
 */
import { asyncScheduler, Observable, type SchedulerLike } from 'rxjs';
import { SyntheticEcg, type SyntheticChunk, type TruthBeat } from './synthetic/engine.ts';
import type { SyntheticOptions } from './synthetic/options.ts';

export { SyntheticEcg, type SyntheticChunk, type TruthBeat } from './synthetic/engine.ts';
export type { IntervalSpec, NoiseOptions, SyntheticOptions } from './synthetic/options.ts';
export type { EctopicSpec, PauseSpec } from './synthetic/rhythm.ts';
export type { BeatKind } from './synthetic/morphology.ts';

/**
 * Chunks of `chunkSize` samples; endless unless totalSamples is given (the last
 * chunk is then shorter if need be).
 */
export function* syntheticChunks(options: SyntheticOptions, chunkSize: number, totalSamples = Infinity): Generator<SyntheticChunk> {
  const ecg = new SyntheticEcg(options);
  while (ecg.samplesProduced < totalSamples) {
    yield ecg.next(Math.min(chunkSize, totalSamples - ecg.samplesProduced));
  }
}

/** `durationSec` of synthetic ECG in one chunk, with its beats: for fixtures. */
export function synthesize(options: SyntheticOptions, durationSec: number): { chunk: SyntheticChunk; beats: TruthBeat[] } {
  if (!(durationSec > 0)) throw new RangeError(`synthetic ECG duration must be > 0 s; got ${durationSec}`);
  const ecg = new SyntheticEcg(options);
  const chunk = ecg.next(Math.max(1, Math.round(durationSec * ecg.fs)));
  return { chunk, beats: chunk.beats };
}

export interface StreamOptions {
  /** Samples per chunk. Default fs / 10 (100 ms). */
  chunkSize?: number;
  /** 'realtime': each chunk when its last sample is due; 'fast': as fast as the event loop allows. Default 'realtime'. */
  pace?: 'realtime' | 'fast';
  /** Stop after this many seconds of signal; endless when absent. */
  durationSec?: number;
  /** Scheduler for time (tests use a virtual-time one). Default asyncScheduler. Its clock gives sample 0's wall time. */
  scheduler?: SchedulerLike;
  /**
   * Monotonic clock, ms, that paces 'realtime'. Default performance.now, or the
   * scheduler's clock when a scheduler is given (virtual time). Not the wall clock:
   * a step of it (NTP, `date -s`) would stall the stream or release the skipped signal at once.
   */
  elapsedNow?: () => number;
}

/**
 * The synthetic ECG as an Observable of chunks. Real-time pacing follows a
 * monotonic clock (catching up after a late timer, never drifting); chunks carry
 * wallMs from the scheduler's clock at subscription plus their sample time,
 * unless options.startWallMs is set. 'fast' yields to the event loop between
 * chunks so signals and timers still run.
 */
export function syntheticEcg$(options: SyntheticOptions, stream: StreamOptions = {}): Observable<SyntheticChunk> {
  const scheduler = stream.scheduler ?? asyncScheduler;
  const pace = stream.pace ?? 'realtime';
  const elapsedNow = stream.elapsedNow ?? (stream.scheduler ? () => scheduler.now() : () => performance.now());
  return new Observable<SyntheticChunk>((subscriber) => {
    const ecg = new SyntheticEcg({ ...options, startWallMs: options.startWallMs ?? scheduler.now() });
    const t0 = elapsedNow();
    const chunkSize = stream.chunkSize ?? Math.max(1, Math.round(ecg.fs / 10));
    const total = stream.durationSec === undefined ? Infinity : Math.round(stream.durationSec * ecg.fs);
    const periodMs = (chunkSize * 1000) / ecg.fs;
    const emitDue = (dueSamples: number): boolean => {
      while (ecg.samplesProduced < total) {
        const size = Math.min(chunkSize, total - ecg.samplesProduced);
        if (ecg.samplesProduced + size > dueSamples) break;
        subscriber.next(ecg.next(size));
        if (subscriber.closed) return false;
      }
      if (ecg.samplesProduced >= total) {
        subscriber.complete();
        return false;
      }
      return true;
    };
    return scheduler.schedule(function tick() {
      const due = pace === 'fast' ? ecg.samplesProduced + chunkSize : Math.floor(((elapsedNow() - t0) * ecg.fs) / 1000);
      if (!emitDue(due)) return;
      const nextChunkEndMs = (Math.min(ecg.samplesProduced + chunkSize, total) * 1000) / ecg.fs;
      this.schedule(undefined, pace === 'fast' ? 0 : Math.max(0, Math.min(periodMs, t0 + nextChunkEndMs - elapsedNow())));
    }, pace === 'fast' ? 0 : periodMs);
  });
}
