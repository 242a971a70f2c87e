/**
 * DS2 (test-set) beats for the explanation tests: model inputs at reference
 * annotation positions (reference-beats.ts), `perRecord` beats spread evenly
 * over each record, read from ../shared/data at run time.
 */
import { join } from 'node:path';
import { mitdbDir } from '../helpers/requires.ts';
import { referenceBeats, type ReferenceBeat } from '../../agent/src/model/reference-beats.ts';
import type { ModelSpec } from '../../agent/src/model/spec.ts';

export interface TestBeat extends ReferenceBeat {
  record: string;
}

/** DS2 records with N, L, R, A and V beats between them (200, 233: V; 232: A; 214: L; 212: R). */
export const DS2_RECORDS = ['100', '200', '212', '214', '232', '233'];

export async function ds2Beats(spec: ModelSpec, perRecord: number, records = DS2_RECORDS): Promise<TestBeat[]> {
  const out: TestBeat[] = [];
  for (const record of records) {
    const all = await referenceBeats(join(mitdbDir, record), spec);
    const step = all.length / perRecord;
    for (let k = 0; k < perRecord; k++) out.push({ ...all[Math.floor((k + 0.5) * step)], record });
  }
  return out;
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
