/**
 * DS2 (test-set) beats for the explanation tests: model inputs at reference
 * annotation positions, `perRecord` beats spread evenly over each of the
 * sanity records (N, L, R, A and V between them), read from ../shared/data
 * at run time; and Pearson's r.
 */
import { mitdbDir } from '../helpers/requires.ts';
import type { ModelSpec } from '../../agent/src/model/spec.ts';
import { evenlySpacedBeats, type SanityBeat } from '../../agent/src/explain/sanity.ts';
import { SANITY_RECORDS } from '../../agent/src/explain/sanity-report.ts';

export function ds2Beats(spec: ModelSpec, perRecord: number): Promise<SanityBeat[]> {
  return evenlySpacedBeats(mitdbDir, SANITY_RECORDS, perRecord, spec);
}

