/**
 * The synthetic ECG for the simulator. Placeholder until the synthetic source
 * (agent/src/sources/synthetic.ts) lands on main: --synthetic reports that it
 * is not available yet.
 */
import { UsageError } from '../errors.ts';
import type { SignalSource } from './signal-source.ts';

export function syntheticSource(fsHz: number, seed: number, chunkSec: number): SignalSource {
  void fsHz; void seed; void chunkSec;
  throw new UsageError('--synthetic is not available yet (the synthetic ECG source has not landed); use --record R');
}
