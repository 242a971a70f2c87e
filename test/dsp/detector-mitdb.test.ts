/**
 * The detector on real MIT-BIH records, through THE pipeline and the project's
 * WFDB reader: sensitivity and positive predictivity (150 ms matching, whole
 * record, beats inside ventricular flutter episodes left out as bxb does)
 * above floors the measured values exceed. Records: 100 (clean), 105 (noisy),
 * 203 (multiform PVCs, noise), 208 (frequent PVCs and fusions).
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { mitdb, mitdbDir, testNeeding } from '../helpers/requires.ts';
import { beatPipeline, type Beat } from '../../agent/src/pipeline.ts';
import { AnnotationCode, isBeat, MITDB_PRIMARY_LEAD, readAnnotations, readSignal, recordPath } from '../../agent/src/sources/wfdb/index.ts';
import { matchBeats } from './synthetic-ecg.ts';

const test = testNeeding(mitdb);

const floors: Record<string, { se: number; pp: number }> = {
  100: { se: 99.9, pp: 99.9 },
  105: { se: 99.0, pp: 98.0 },
  203: { se: 98.0, pp: 97.5 },
  208: { se: 99.0, pp: 99.5 },
};

for (const [name, floor] of Object.entries(floors)) {
  test(`record ${name}: Se >= ${floor.se}% and +P >= ${floor.pp}%`, async (t) => {
    const path = recordPath(mitdbDir, name);
    const out = await lastValueFrom(from(readSignal(path, { signal: MITDB_PRIMARY_LEAD })).pipe(beatPipeline(), toArray()));
    const anns = await readAnnotations(path);
    const ref = anns.filter((a) => isBeat(a.code)).map((a) => a.sample);
    const vf: [number, number][] = [];
    for (const a of anns) {
      if (a.code === AnnotationCode.VFON) vf.push([a.sample, Infinity]);
      if (a.code === AnnotationCode.VFOFF && vf.length > 0) vf[vf.length - 1][1] = a.sample;
    }
    const found = out.filter((r): r is Beat => r.kind === 'beat').map((b) => b.sourceIndex)
      .filter((s) => !vf.some(([a, b]) => s >= a && s <= b));
    const m = matchBeats(ref, found, Math.round(0.15 * 360));
    const se = (100 * m.tp) / (m.tp + m.fn);
    const pp = (100 * m.tp) / (m.tp + m.fp);
    t.log(`${name}: ${ref.length} beats, TP ${m.tp}, FN ${m.fn}, FP ${m.fp}, Se ${se.toFixed(2)}%, +P ${pp.toFixed(2)}%`);
    t.true(se >= floor.se, `Se ${se.toFixed(2)}%`);
    t.true(pp >= floor.pp, `+P ${pp.toFixed(2)}%`);
    // Where it finds beats it places them at the annotated R peak: median offset within 10 ms.
    const sorted = [...m.offsets].sort((a, b) => a - b);
    t.true(Math.abs(sorted[Math.floor(sorted.length / 2)]) <= 4);
  });
}

test('record 208 (first 3 minutes): identical pipeline output for chunks of 1, 7, 360 and the whole', async (t) => {
  const { readWholeSignal } = await import('../../agent/src/sources/wfdb/index.ts');
  const whole = await readWholeSignal(recordPath(mitdbDir, '208'), { signal: MITDB_PRIMARY_LEAD, to: 360 * 180 });
  const runWith = (size: number) => {
    const chunks = [];
    for (let s = 0; s < whole.mv.length; s += size) chunks.push({ start: s, fs: whole.fs, mv: whole.mv.subarray(s, s + size), flags: whole.flags?.subarray(s, s + size) });
    return lastValueFrom(from(chunks).pipe(beatPipeline(), toArray()));
  };
  const reference = await runWith(whole.mv.length);
  t.true(reference.filter((r) => r.kind === 'beat').length > 150);
  for (const size of [1, 7, 360]) t.deepEqual(await runWith(size), reference, `chunks of ${size}`);
});
