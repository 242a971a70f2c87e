/**
 * augment.shared_morphology (train.py --shared-morphology P): the same random
 * stretch about R and the same bumps go onto the beat and its template, so a
 * beat equal to its template stays equal to it, p = 0 changes nothing, and a
 * different beat keeps differing.
 */
import { pythonTorch, testNeeding } from '../helpers/requires.ts';
import { python } from './python.ts';

const test = testNeeding(pythonTorch);

test('shared_morphology changes beat and template alike', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
from augment import shared_morphology
t = np.arange(256)
qrs = np.exp(-0.5 * ((t - 90) / 6.0) ** 2)
same = np.stack([np.stack([qrs, qrs])] * 16).astype(np.float32)
wide = np.exp(-0.5 * ((t - 90) / 14.0) ** 2)
diff = np.stack([np.stack([wide, qrs])] * 16).astype(np.float32)
a = shared_morphology(same, np.random.default_rng(1), 1.0, 90)
b = shared_morphology(diff, np.random.default_rng(1), 1.0, 90)
c = shared_morphology(diff, np.random.default_rng(1), 0.0, 90)
print(json.dumps({
  'sameGap': float(np.abs(a[:, 0] - a[:, 1]).max()),
  'changed': float(np.abs(a - same).max()),
  'diffGap': float(np.abs(b[:, 0] - b[:, 1]).max()),
  'identity': float(np.abs(c - diff).max()),
  'dtype': str(a.dtype),
}))
`)) as { sameGap: number; changed: number; diffGap: number; identity: number; dtype: string };
  t.true(out.sameGap < 1e-6, `beat equal to its template stays equal: ${out.sameGap}`);
  t.true(out.changed > 0.01, `the shape did change: ${out.changed}`);
  t.true(out.diffGap > 0.1, `a wider beat still differs from its template: ${out.diffGap}`);
  t.is(out.identity, 0, 'p = 0 leaves the batch as it was');
  t.is(out.dtype, 'float32');
});
