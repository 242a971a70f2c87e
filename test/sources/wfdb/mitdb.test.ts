/**
 * The WFDB readers and writer against the real MIT-BIH Arrhythmia Database:
 * every record's header, both signals (sample count, first value and the
 * header's 16-bit checksum), its reference annotations (counts as in
 * REFERENCE.tsv, made with PhysioNet's rdann) and byte-exact re-writing.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mitdb, mitdbDir, testNeeding } from '../../helpers/requires.ts';
import {
  encodeAnnotations, findSignal, isBeat, MITDB_PRIMARY_LEAD, listRecords, readAnnotations, readFrames, readHeader, readSignal,
  readSignalAdc, recordPath,
} from '../../../agent/src/sources/wfdb/index.ts';

const test = testNeeding(mitdb);

interface Reference { annotations: number; beats: number; N: number; L: number; R: number; A: number; V: number; other_beats: number }

async function reference(): Promise<Map<string, Reference>> {
  const [head, ...rows] = (await readFile(join(mitdbDir, 'REFERENCE.tsv'), 'utf8')).trim().split('\n').map((l) => l.split('\t'));
  return new Map(rows.map((r) => [r[0], Object.fromEntries(head.slice(1).map((h, i) => [h, Number(r[i + 1])])) as unknown as Reference]));
}

test('the 48 records: annotation and beat counts equal REFERENCE.tsv, and re-writing gives identical bytes', async (t) => {
  const records = await listRecords(mitdbDir);
  const ref = await reference();
  t.is(records.length, 48);
  t.deepEqual([...records].sort(), [...ref.keys()].sort());
  let total = 0;
  for (const name of records) {
    const anns = await readAnnotations(recordPath(mitdbDir, name));
    const beats = anns.filter((a) => isBeat(a.code));
    const count = (s: string) => beats.filter((a) => a.symbol === s).length;
    const counted: Reference = {
      annotations: anns.length, beats: beats.length, N: count('N'), L: count('L'), R: count('R'), A: count('A'), V: count('V'),
      other_beats: beats.filter((a) => !'NLRAV'.includes(a.symbol)).length,
    };
    t.deepEqual(counted, ref.get(name), `record ${name}`);
    // Annotations are in time order, as the database promises.
    t.true(anns.every((a, i) => i === 0 || a.sample >= anns[i - 1].sample), `record ${name} order`);
    const original = await readFile(`${recordPath(mitdbDir, name)}.atr`);
    t.true(Buffer.from(encodeAnnotations(anns)).equals(original), `record ${name}: re-written .atr differs`);
    total += anns.length;
  }
  t.is(total, 112647);
});

test('every signal of the 48 records: full length, first value and checksum as the header says', async (t) => {
  for (const name of await listRecords(mitdbDir)) {
    const path = recordPath(mitdbDir, name);
    const header = await readHeader(path);
    t.is(header.fs, 360);
    for (const spec of header.signals) {
      let n = 0;
      let sum = 0;
      let first: number | undefined;
      for await (const c of readSignalAdc(path, { header, signal: spec.index, chunkSamples: 65536 })) {
        first ??= c.adc[0];
        for (let i = 0; i < c.adc.length; i++) sum += c.adc[i];
        n += c.adc.length;
      }
      t.is(n as number | undefined, header.nsamp, `${name} signal ${spec.index}`);
      t.is(first, spec.initialValue, `${name} signal ${spec.index} first value`);
      // WFDB's checksum: the sum of all samples as a signed 16-bit number.
      t.is(((sum << 16) >> 16) as number | undefined, spec.checksum, `${name} signal ${spec.index} checksum`);
    }
  }
});

test('records 100 and 114: MLII chosen by name (signal 1 in 114), first samples equal the header', async (t) => {
  const h100 = await readHeader(recordPath(mitdbDir, '100'));
  const h114 = await readHeader(recordPath(mitdbDir, '114'));
  t.is(findSignal(h100, 'MLII'), 0);
  t.is(findSignal(h114, 'MLII'), 1);
  t.is(h114.signals[0].description, 'V5');
  // 102 and 104 have no MLII: the MIT-BIH lead preference falls back to V5 (signal 0).
  for (const name of await listRecords(mitdbDir)) {
    const h = await readHeader(recordPath(mitdbDir, name));
    const lead = h.signals[findSignal(h, MITDB_PRIMARY_LEAD)].description;
    t.is(lead, name === '102' || name === '104' ? 'V5' : 'MLII', name);
  }
  for (const [name, h] of [['100', h100], ['114', h114]] as const) {
    for (const spec of h.signals) {
      for await (const chunk of readSignalAdc(recordPath(mitdbDir, name), { signal: spec.description, to: 3 })) {
        t.is(chunk.adc[0], spec.initialValue, `${name} ${spec.description}`);
        break; // leaving a for-await early closes the reader's file
      }
    }
    const mlii = h.signals[findSignal(h, 'MLII')];
    for await (const chunk of readSignal(recordPath(mitdbDir, name), { signal: 'MLII', to: 1 })) {
      t.is(chunk.mv[0], Math.fround((mlii.initialValue - mlii.baseline) / mlii.adcGain));
    }
  }
});

test('real data: chunk sizes 1, 7, 360 and 100000 give the same millivolts as one whole-record read', async (t) => {
  const path = recordPath(mitdbDir, '208'); // many PVCs and some noise
  const whole: number[] = [];
  for await (const c of readSignal(path, { signal: 'MLII', chunkSamples: 100000 })) whole.push(...c.mv);
  t.is(whole.length, 650000);
  const [from, to] = [300007, 302527];
  for (const chunkSamples of [1, 7, 360, 100000]) {
    const got: number[] = [];
    let next = from;
    for await (const c of readSignal(path, { signal: 'MLII', chunkSamples, from, to })) {
      t.is(c.start, next);
      next += c.mv.length;
      got.push(...c.mv);
    }
    t.deepEqual(got, whole.slice(from, to), `chunkSamples ${chunkSamples}`);
  }
  const frames: number[][] = [[], []];
  for await (const f of readFrames(path, { from, to, chunkFrames: 500 })) f.signals.forEach((s, i) => frames[i].push(...s.adc));
  const mlii: number[] = [];
  for await (const c of readSignalAdc(path, { signal: 'MLII', from, to })) mlii.push(...c.adc);
  t.deepEqual(frames[0], mlii);
  t.is(frames[1].length, to - from);
});
