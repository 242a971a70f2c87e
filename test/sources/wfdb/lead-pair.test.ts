/**
 * Both leads of a MIT-BIH record as one stream (sources/wfdb/lead-pair.ts):
 * MLII primary even where it is signal 1 (114), the other signal second, the
 * second lead's samples equal to reading it alone; and the errors for a bad
 * choice.
 */
import { join } from 'node:path';
import { chooseSecondLead, choosePrimaryLead, readHeader, readLeads, readWholeSignal } from '../../../agent/src/sources/wfdb/index.ts';
import { recordBeats } from '../../../agent/src/pipeline/record-beats.ts';
import { mitdb, mitdbDir, testNeeding } from '../../helpers/requires.ts';

const dataTest = testNeeding(mitdb);

dataTest('MLII is primary and the other signal second, also in 114 where MLII is signal 1', async (t) => {
  for (const [record, primary, second] of [['118', 0, 1], ['114', 1, 0]] as const) {
    const header = await readHeader(join(mitdbDir, record));
    t.is(choosePrimaryLead(header), primary, record);
    t.is(chooseSecondLead(header, primary), second, record);
  }
  const h = await readHeader(join(mitdbDir, '118'));
  t.throws(() => chooseSecondLead(h, 0, 'MLII'), { message: /the second lead "MLII" is the primary lead/ });
  t.throws(() => chooseSecondLead(h, 0, 'V9'), { message: /no signal named "V9"; the record has 0: MLII, 1: V1/ });
});

dataTest('the stream carries the second lead sample for sample as read alone', async (t) => {
  const path = join(mitdbDir, '114');
  const header = await readHeader(path);
  const to = 20000;
  const alone = await readWholeSignal(path, { header, signal: 0, to });
  const primary = await readWholeSignal(path, { header, signal: 1, to });
  let n = 0;
  for await (const c of readLeads(path, { header, primary: 1, second: 0, chunkSamples: 3000, to })) {
    t.is(c.start, n);
    t.deepEqual(c.mv, primary.mv.subarray(n, n + c.mv.length));
    t.deepEqual(c.mv2, alone.mv.subarray(n, n + c.mv.length));
    n += c.mv.length;
  }
  t.is(n, to);
});

dataTest('recordBeats says which second lead the detector used; leads 1 uses none', async (t) => {
  const stop = (b: { index: number }) => b.index > 360 * 20;
  const two = await recordBeats(join(mitdbDir, '114'), { stopAfter: stop });
  t.is(two.signal, 1);
  t.is(two.signal2, 0);
  const one = await recordBeats(join(mitdbDir, '114'), { leads: 1, stopAfter: stop });
  t.is(one.signal2, null);
  t.true(two.beats.length > 15 && one.beats.length > 15);
});
