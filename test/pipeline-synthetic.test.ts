/**
 * THE pipeline on the project's ECGSYN-based synthetic source (exact truth):
 * every beat found at its R peak, at 500 and 250 SPS, with mains, baseline
 * wander, muscle noise and ectopic beats, the mains notch on.
 */
import test from 'ava';
import { from, lastValueFrom, toArray } from 'rxjs';
import { syntheticChunks, type SyntheticOptions } from '../agent/src/sources/synthetic.ts';
import { beatPipeline, type Beat } from '../agent/src/pipeline.ts';
import { matchBeats } from './dsp/synthetic-ecg.ts';

const cases: [string, SyntheticOptions, 50 | 60 | null][] = [
  ['clean, 500 SPS', { fs: 500, seed: 1, hrMeanBpm: 75 }, null],
  ['60 Hz mains, wander and muscle noise, 500 SPS', { fs: 500, seed: 2, hrMeanBpm: 90,
    noise: { baselineMv: 0.2, mainsMv: 0.3, mainsHz: 60, muscleMv: 0.05 } }, 60],
  ['50 Hz mains, noise and 40 ectopic beats, 250 SPS', { fs: 250, seed: 3, hrMeanBpm: 60,
    noise: { baselineMv: 0.3, mainsMv: 0.2, mainsHz: 50, muscleMv: 0.03 },
    ectopics: Array.from({ length: 40 }, (_, i) => ({ kind: i % 2 ? 'A' as const : 'V' as const, atBeat: 10 + i * 7 })) }, 50],
];

for (const [name, options, mainsHz] of cases) {
  test(`synthetic ECG, ${name}: every beat, no false ones, at the R peak`, async (t) => {
    const fs = options.fs!;
    const chunks = [...syntheticChunks(options, 1000, fs * 300)];
    const truthBeats = chunks.flatMap((c) => c.beats);
    const truth = truthBeats.map((b) => b.rIndex);
    const out = await lastValueFrom(from(chunks).pipe(beatPipeline({ mainsHz }), toArray()));
    const beats = out.filter((r): r is Beat => r.kind === 'beat');
    const m = matchBeats(truth, beats.map((b) => b.sourceIndex), Math.round(0.15 * fs));
    t.deepEqual([m.fn, m.fp], [0, 0]);
    // Sinus beats within 10 ms of the model's R; an ectopic beat's largest
    // deflection (where the detector puts R) may be its S wave, up to 60 ms away.
    const found = beats.map((b) => b.sourceIndex);
    for (const b of truthBeats) {
      const nearest = found.reduce((best, f) => (Math.abs(f - b.rIndex) < Math.abs(best - b.rIndex) ? f : best), -Infinity);
      const limit = b.kind === 'N' ? 0.01 : 0.06;
      t.true(Math.abs(nearest - b.rIndex) <= Math.ceil(limit * fs), `${b.kind} beat at ${b.rIndex}: nearest detection ${nearest}`);
    }
  });
}
