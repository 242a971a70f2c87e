/**
 * data.EXPERIMENTAL_RR rrP90Ratio (train.py --experimental-rr, a side input
 * under trial): on a synthetic rhythm generated here, 1.0 s sinus intervals then
 * a run of 20 ectopic beats at 0.6 s, the spec's rrRatio (against the mean of
 * the last 10 intervals) drifts back to 1 within the run while rrP90Ratio
 * (against the 90th percentile of the last 32) keeps calling the run premature.
 */
import { pythonTorch, testNeeding } from '../helpers/requires.ts';
import { python } from './python.ts';

const test = testNeeding(pythonTorch);

test('rrP90Ratio keeps a long ectopic run premature where rrRatio forgets it', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
import data
rr = [1.0] * 40 + [0.6] * 20 + [1.0] * 5
qrs = np.round(np.concatenate([[0.5], 0.5 + np.cumsum(rr)]) * 360).astype(np.int64)
p90 = data.experimental_rr(qrs, 360.0, 'rrP90Ratio')
every = data.rr_features(qrs, 360.0, 10, 0.8, 10)
print(json.dumps({'p90': p90.tolist(), 'rrRatio': every[:, 2].tolist()}))
`)) as { p90: number[]; rrRatio: number[] };
  // beat i ends interval i-1: beats 41..60 end the 0.6 s intervals
  t.true(Math.abs(out.p90[0]! - 1) < 1e-12 && Math.abs(out.p90[1]! - 1) < 1e-12, 'no history: 1');
  t.true(Math.abs(out.p90[30]! - 1) < 0.01, `sinus: ${out.p90[30]}`);
  for (const i of [41, 50, 60]) t.true(Math.abs(out.p90[i]! - 0.6) < 0.01, `beat ${i} in the run: rrP90Ratio ${out.p90[i]}`);
  t.true(out.rrRatio[41]! < 0.65, `first ectopic beat: rrRatio ${out.rrRatio[41]}`);
  t.true(out.rrRatio[60]! > 0.95, `last ectopic beat: rrRatio ${out.rrRatio[60]} (the local mean is the run's)`);
});

test('rrNextRatio is the next interval over the local mean: a PVC\'s compensatory pause', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
import data
rr = [1.0] * 12 + [0.6, 1.4] + [1.0] * 3
qrs = np.round(np.concatenate([[0.5], 0.5 + np.cumsum(rr)]) * 360).astype(np.int64)
print(json.dumps(data.experimental_rr(qrs, 360.0, 'rrNextRatio').tolist()))
`)) as number[];
  // beat 13 ends the 0.6 s interval (the premature beat); its next interval is 1.4 s
  t.true(Math.abs(out[12]! - 0.6) < 0.01, `the beat before the PVC: next interval 0.6 s, ${out[12]}`);
  t.true(Math.abs(out[13]! - 1.4) < 0.01, `the PVC: pause 1.4 s over local 1.0 s, ${out[13]}`);
  t.true(Math.abs(out[10]! - 1) < 0.01, `sinus: ${out[10]}`);
  t.is(out.at(-1), 1, 'the last beat has no next interval: 1');
});

test('rrIrregularity is 1 in a regular rhythm, rises in an irregular one, and ignores the beat\'s own interval', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
import data
rr = [1.0] * 20 + [0.6] + [1.0] * 20 + [0.6, 1.4, 0.7, 1.2, 0.9, 1.1, 0.5, 1.3] * 3
qrs = np.round(np.concatenate([[0.5], 0.5 + np.cumsum(rr)]) * 360).astype(np.int64)
print(json.dumps(data.experimental_rr(qrs, 360.0, 'rrIrregularity').tolist()))
`)) as number[];
  t.true(Math.abs(out[15]! - 1) < 1e-3, `regular: ${out[15]}`);
  t.true(Math.abs(out[21]! - 1) < 1e-3, `the premature beat itself (beat 21 ends the 0.6 s interval): ${out[21]}`);
  t.true(out[22]! > 1.02, `the beat after it sees the 0.6 s interval: ${out[22]}`);
  t.true(out.at(-1)! > 1.4, `irregular rhythm: ${out.at(-1)}`);
});
