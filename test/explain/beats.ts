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

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
  return sab / Math.sqrt(saa * sbb);
}
