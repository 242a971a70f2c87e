/**
 * augment.shared_morphology (train.py --shared-morphology P): the same random
 * stretch about R and the same bumps go onto the beat and its template, so a
 * beat equal to its template stays equal to it, p = 0 changes nothing, and a
 * different beat keeps differing; and augment() jitters the RR columns by name
 * and, with template_shift, moves the template on its own by whole samples.
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

test('augment jitters RR by name: ratios follow rrPrevS / rrLocalS, rrIrregularity is left as it is, a name count that does not match is refused', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
from augment import augment
rng = np.random.default_rng(3)
x = rng.normal(size=(32, 2, 256)).astype(np.float32)
prev, local = rng.uniform(0.4, 1.2, 32), rng.uniform(0.6, 1.0, 32)
irr = rng.uniform(1.0, 1.5, 32)
rr = np.stack([prev, local, prev / local, irr], axis=1).astype(np.float32)
_, a = augment(x, rr, np.random.default_rng(1), ('rrPrevS', 'rrLocalS', 'rrRatio', 'rrIrregularity'))
try:
    augment(x, rr, np.random.default_rng(1), ('rrPrevS', 'rrLocalS', 'rrRatio'))
    refused = ''
except ValueError as e:
    refused = str(e)
print(json.dumps({
  'moved': float(np.abs(a[:, 0] - rr[:, 0]).max()),
  'ratioGap': float(np.abs(a[:, 2] - a[:, 0] / a[:, 1]).max()),
  'irregularityGap': float(np.abs(a[:, 3] - rr[:, 3]).max()),
  'refused': refused,
}))
`)) as { moved: number; ratioGap: number; irregularityGap: number; refused: string };
  t.true(out.moved > 0.005, `rrPrevS is jittered: ${out.moved}`);
  t.true(out.ratioGap < 1e-6, `rrRatio = rrPrevS / rrLocalS after jitter: ${out.ratioGap}`);
  t.is(out.irregularityGap, 0, 'rrIrregularity is not a ratio of rrPrevS: untouched');
  t.regex(out.refused, /4 rr columns but 3 names/);
});

test('augment --template-shift S moves the template by whole samples, at most S, on its own; S = 0 leaves it in place', async (t) => {
  const out = JSON.parse(await python(`
import json, numpy as np
from augment import augment
t = np.arange(256)
qrs = np.exp(-0.5 * ((t - 90) / 3.0) ** 2)
x = np.stack([np.stack([qrs, qrs])] * 200).astype(np.float32)
rr = np.tile(np.array([[0.8, 0.8, 1.0]], np.float32), (200, 1))
names = ('rrPrevS', 'rrLocalS', 'rrRatio')
moved, _ = augment(x, rr, np.random.default_rng(2), names, template_shift=3)
still, _ = augment(x, rr, np.random.default_rng(2), names)
peaks = np.argmax(moved[:, 1], axis=1) - 90
print(json.dumps({
  'shifts': sorted(set(int(p) for p in peaks)),
  'still': sorted(set(int(p) for p in np.argmax(still[:, 1], axis=1) - 90)),
  'beatSame': bool(np.array_equal(moved[:, 0], still[:, 0])),
}))
`)) as { shifts: number[]; still: number[]; beatSame: boolean };
  t.deepEqual(out.shifts, [-3, -2, -1, 0, 1, 2, 3], 'every shift up to 3 samples is drawn, none larger');
  t.deepEqual(out.still, [0]);
  t.true(out.beatSame, 'the beat channel draws the same with or without template shift');
});
