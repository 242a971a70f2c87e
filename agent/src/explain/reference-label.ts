/**
 * The reference label of a detected beat: the record's reference beat
 * annotation (.atr) nearest its R peak within the EC57 match window (150 ms),
 * as a beat-by-beat comparison would pair them. Lets the explain pictures say
 * what the cardiologists called the beat, and the global means group beats by
 * their true class. Limits: nearest-within-window, not bxb's full pairing.
 */
import { existsSync } from 'node:fs';
import { annotationPath, isBeat, readAnnotations } from '../sources/wfdb/index.ts';
import { nearestIndex } from './nearest.ts';

export const MATCH_WINDOW_S = 0.15;

export interface ReferenceLabels {
  /** Reference beat annotation samples at the record's rate, ascending, and their mnemonics. */
  samples: number[];
  symbols: string[];
  fs: number;
}

/** The record's reference beats, or null when it has no `annotator` file. */
export async function readReferenceLabels(record: string, fs: number, annotator = 'atr'): Promise<ReferenceLabels | null> {
  if (!existsSync(annotationPath(record, annotator))) return null;
  const beats = (await readAnnotations(record, annotator)).filter((a) => isBeat(a.code));
  return { samples: beats.map((a) => a.sample), symbols: beats.map((a) => a.symbol), fs };
}

/** The mnemonic of the reference beat nearest `sample` (record rate) within 150 ms, or null. */
export function referenceLabelAt(ref: ReferenceLabels, sample: number): string | null {
  if (ref.samples.length === 0) return null;
  const best = nearestIndex(ref.samples, sample);
  return Math.abs(ref.samples[best] - sample) <= MATCH_WINDOW_S * ref.fs ? ref.symbols[best] : null;
}
