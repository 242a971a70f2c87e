/**
 * The RR side inputs have two implementations, models/training/data.py
 * (rr_features, training) and nodes/src/classify/model-input.ts (RrHistory,
 * the agent and the Node-RED node). Every feature either can compute, spec'd
 * or not, must agree on a real rhythm: record 201 (atrial fibrillation,
 * flutter, ectopy and pauses) at its reference QRS times.
 */
import { RrHistory } from '../../nodes/src/classify/model-input.ts';
import { mitdb, pythonTorch, testNeeding } from '../helpers/requires.ts';
import { python } from './python.ts';

const test = testNeeding(mitdb, pythonTorch);
const NAMES = ['rrPrevS', 'rrLocalS', 'rrRatio', 'rrMedianRatio', 'rrIrregularity'] as const;

test('RrHistory equals data.rr_features for all five features on record 201', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
import data, wfdb
ann = wfdb.read_annotations(data.mitdb_dir() / '201.atr')
qrs = ann.sample[np.isin(ann.code, list(wfdb.QRS_CODES))]
f = data.rr_features(qrs, 360.0, 10, 0.8, 32, 16)
print(json.dumps({'names': list(data.RR_NAMES), 'qrs': qrs.tolist(), 'f': f.tolist()}))
`)) as { names: string[]; qrs: number[]; f: number[][] };
  t.deepEqual(out.names, [...NAMES], 'the same features in the same order');
  const h = new RrHistory({ localCount: 10, medianCount: 32, irregularityCount: 16, defaultRrS: 0.8 });
  let worst = 0;
  let irregular = 0;
  out.qrs.forEach((r, i) => {
    const f = h.next(i === 0 ? null : (r - out.qrs[i - 1]!) / 360);
    NAMES.forEach((n, k) => { worst = Math.max(worst, Math.abs(f[n] - out.f[i]![k]!) / Math.abs(out.f[i]![k]!)); });
    if (f.rrIrregularity > 1.2) irregular++;
  });
  t.true(out.qrs.length > 1900, `${out.qrs.length} QRS`);
  t.true(worst < 1e-12, `largest relative difference ${worst}`);
  t.true(irregular > 500, `201's atrial fibrillation shows: ${irregular} beats with rrIrregularity > 1.2`);
});

test('rrIrregularity: 1 + mean |successive difference| / mean over the irregularityCount intervals before rrPrevS', (t) => {
  const h = new RrHistory({ localCount: 2, medianCount: 2, irregularityCount: 3, defaultRrS: 0.8 });
  t.is(h.next(null).rrIrregularity, 1, 'first beat');
  t.is(h.next(1.0).rrIrregularity, 1, 'no interval before');
  t.is(h.next(0.8).rrIrregularity, 1, 'one interval before');
  t.true(Math.abs(h.next(1.2).rrIrregularity - (1 + 0.2 / 0.9)) < 1e-12, 'before: 1.0, 0.8');
  // irregularityCount 3: 1.0, 0.8, 1.2 -> |d| 0.2, 0.4 -> mean 0.3; mean interval 1.0
  t.true(Math.abs(h.next(0.5).rrIrregularity - 1.3) < 1e-12, 'before: 1.0, 0.8, 1.2');
  // the 1.0 has left: 0.8, 1.2, 0.5 -> |d| 0.4, 0.7 -> 0.55; mean 2.5 / 3
  t.true(Math.abs(h.next(1.0).rrIrregularity - (1 + 0.55 / (2.5 / 3))) < 1e-12, 'before: 0.8, 1.2, 0.5');
});
