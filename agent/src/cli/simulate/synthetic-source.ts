/**
 * The synthetic ECG (agent/src/sources/synthetic.ts, McSharry 2003 model) for
 * the simulator, generated directly at the device rate: no resampling. Endless;
 * the simulator stops it at --duration or Ctrl-C.
 */
import { SyntheticEcg } from '../../sources/synthetic.ts';
import type { SignalSource } from './signal-source.ts';

export function syntheticSource(fsHz: number, seed: number, chunkSec: number): SignalSource {
  const ecg = new SyntheticEcg({ fs: fsHz, seed });
  const chunkSamples = Math.max(1, Math.round(fsHz * chunkSec));
  async function* chunks(): AsyncGenerator<Float32Array> {
    for (;;) yield ecg.next(chunkSamples).mv;
  }
  return { label: `synthetic ECG (seed ${seed}, ${ecg.options.hrMeanBpm} bpm)`, fs: fsHz, chunks: chunks() };
}
