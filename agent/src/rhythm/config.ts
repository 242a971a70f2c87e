/**
 * Thresholds of the rhythm rules, each with its default and unit. Defaults follow
 * common bedside-monitor practice (ventricular tachycardia: >= 3 consecutive
 * ventricular beats above 100 bpm; pause: no beat for 2 s); every one is
 * configurable because units set their own alarm policies.
 */
export interface RhythmConfig {
  /** Sampling rate of the sample indices the engine receives, Hz. Default 360. */
  fs: number;
  /** Prefix of every event id, unique per stream (e.g. gateway, channel and stream start). */
  streamId: string;
  /** Consecutive ectopic beats that make a run (v-run / sv-run / vt / svt). Default 3. */
  runMinBeats: number;
  /** Rate above which a run is a tachycardia (vt / svt), bpm. Default 100. */
  runTachyBpm: number;
  /**
   * A run is a tachycardia only if its RR intervals so far differ by at most
   * this factor (longest / shortest). Default 2: every run of >= 3 V or S beats
   * above 100 bpm in the MIT-BIH reference annotations is within 1.83; runs
   * read through noise (artefact beats between real ones) are not. Such a run
   * is still reported, as a v-run / sv-run.
   */
  runTachyMaxRrRatio: number;
  /** Repetitions of the pattern (N V) or (N N V) before bigeminy / trigeminy starts. Default 3. */
  patternMinCycles: number;
  /** Beats in the heart-rate average. Default 8. */
  rateBeats: number;
  /** Tachycardia starts above this rate, bpm. Default 100. */
  tachyStartBpm: number;
  /** Tachycardia ends below this rate, bpm (hysteresis). Default 95. */
  tachyEndBpm: number;
  /** Bradycardia starts below this rate, bpm. Default 50. */
  bradyStartBpm: number;
  /** Bradycardia ends above this rate, bpm (hysteresis). Default 55. */
  bradyEndBpm: number;
  /** No beat for this long is a pause, ms. Default 2000. */
  pauseMs: number;
  /** Open episodes that last (tachycardia, pause, lead-off, poor signal) send an 'update' this often, ms. Default 5000. */
  updateIntervalMs: number;
  /**
   * Poor signal from noise ends only after the signal has stayed good as long
   * as the noise lasted, at most this long, ms (default 10000): noise comes and
   * goes in seconds, and the beats read in its short clean-looking gaps are
   * where false runs come from. 0: at once.
   */
  poorSignalClearMs: number;
  /**
   * A v-run or VT is dropped when poor signal starts within this of its last
   * beat (the quality verdict covering that beat's window), and announced once
   * that verdict is known, ms (default 750; run-confirm.ts): at noise onset the
   * verdict lags the beats. 0: at once.
   */
  runConfirmMs: number;
}

export const defaultRhythmConfig: RhythmConfig = {
  fs: 360,
  streamId: 'stream',
  runMinBeats: 3,
  runTachyBpm: 100,
  runTachyMaxRrRatio: 2,
  patternMinCycles: 3,
  rateBeats: 8,
  tachyStartBpm: 100,
  tachyEndBpm: 95,
  bradyStartBpm: 50,
  bradyEndBpm: 55,
  pauseMs: 2000,
  updateIntervalMs: 5000,
  poorSignalClearMs: 10000,
  runConfirmMs: 750,
};

/** Merges `partial` over the defaults and checks the result; throws naming the bad field. */
export function rhythmConfig(partial: Partial<RhythmConfig> = {}): RhythmConfig {
  const c = { ...defaultRhythmConfig, ...partial };
  const positive: (keyof RhythmConfig)[] = ['fs', 'runTachyBpm', 'runTachyMaxRrRatio', 'tachyStartBpm', 'tachyEndBpm',
    'bradyStartBpm', 'bradyEndBpm', 'pauseMs', 'updateIntervalMs'];
  for (const key of positive) {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
      throw new RangeError(`rhythm.${key} must be a number > 0, got ${JSON.stringify(v)}`);
    }
  }
  const counts: [keyof RhythmConfig, number][] = [['runMinBeats', 3], ['patternMinCycles', 2], ['rateBeats', 2]];
  for (const [key, min] of counts) {
    const v = c[key];
    if (!Number.isInteger(v) || (v as number) < min) {
      throw new RangeError(`rhythm.${key} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
  }
  if (typeof c.poorSignalClearMs !== 'number' || !Number.isFinite(c.poorSignalClearMs) || c.poorSignalClearMs < 0) {
    throw new RangeError(`rhythm.poorSignalClearMs must be a number >= 0, got ${JSON.stringify(c.poorSignalClearMs)}`);
  }
  if (typeof c.runConfirmMs !== 'number' || !Number.isFinite(c.runConfirmMs) || c.runConfirmMs < 0) {
    throw new RangeError(`rhythm.runConfirmMs must be a number >= 0, got ${JSON.stringify(c.runConfirmMs)}`);
  }
  if (c.tachyEndBpm > c.tachyStartBpm) {
    throw new RangeError(`rhythm.tachyEndBpm (${c.tachyEndBpm}) must not exceed rhythm.tachyStartBpm (${c.tachyStartBpm})`);
  }
  if (c.bradyEndBpm < c.bradyStartBpm) {
    throw new RangeError(`rhythm.bradyEndBpm (${c.bradyEndBpm}) must not be below rhythm.bradyStartBpm (${c.bradyStartBpm})`);
  }
  if (typeof c.streamId !== 'string' || c.streamId.length === 0) {
    throw new RangeError(`rhythm.streamId must be a non-empty string, got ${JSON.stringify(c.streamId)}`);
  }
  return c;
}
