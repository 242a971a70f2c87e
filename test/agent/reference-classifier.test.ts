import test from 'ava';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceClassifier } from '../../agent/src/agent/reference-classifier.ts';
import { codeOf, writeAnnotations } from '../../agent/src/sources/wfdb/index.ts';
import type { Beat } from '../../agent/src/pipeline.ts';

const beat = (sourceIndex: number): Beat => ({ kind: 'beat', index: sourceIndex, fs: 360, sourceIndex, sourceFs: 360, window: new Float32Array(0), windowStart: sourceIndex - 90, rrPrevMs: null, rrLocalMs: null, quality: 'good' });

test('labels each beat from the reference beat within 150 ms, mapped to the model classes; Q otherwise', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'refcls-'));
  const record = join(dir, 'rec');
  const ann = [[100, 'N'], [400, 'V'], [700, '+'], [800, 'a'], [1200, 'E'], [1500, 'f'], [2000, 'L']] as const;
  await writeAnnotations(record, 'atr', ann.map(([sample, sym]) => ({ sample, code: codeOf(sym)! })));
  const c = await referenceClassifier(record);
  const got = await c.classify([beat(90), beat(430), beat(700), beat(810), beat(1250), beat(1500), beat(2100)], []);
  // 700: '+' is a rhythm change, not a beat; 2100 is 278 ms from the L at 2000.
  t.deepEqual(got.map((g) => g.label), ['N', 'V', 'Q', 'A', 'V', 'Q', 'Q']);
  t.deepEqual(got[1].probs, [0, 0, 0, 0, 1]);
  t.is(got[2].probs, null);
  t.regex(c.id, /reference annotations \(atr\)/);
});
