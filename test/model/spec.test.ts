/**
 * agent/src/model/spec.ts and nodes/src/classify/spec.ts on the RR side
 * inputs: a spec that names rrIrregularity (the committed one does not, yet)
 * gets its count (16 when absent); a bad count or an unknown feature is
 * refused naming the field and what is allowed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parseModelSpec } from '../../agent/src/model/spec.ts';
import { parseSpec } from '../../nodes/src/classify/spec.ts';
import { repoRoot } from '../helpers/requires.ts';

const path = join(repoRoot, 'models', 'spec.json');
const json = JSON.parse(readFileSync(path, 'utf8'));
const withSide = (side: Record<string, unknown>) => Buffer.from(JSON.stringify({ ...json, sideInputs: { ...json.sideInputs, ...side } }));

test('a spec naming rrIrregularity: its count in both parsers, the names in order', (t) => {
  const names = ['rrPrevS', 'rrLocalS', 'rrRatio', 'rrIrregularity'];
  const agent = parseModelSpec(withSide({ names, irregularityCount: 12 }), 'x.json');
  t.deepEqual(agent.sideInputNames, names);
  t.is(agent.rrIrregularityCount, 12);
  const node = parseSpec(JSON.parse(withSide({ names, irregularityCount: 12 }).toString()), 'x.json');
  t.is(node.sideInputs?.irregularityCount, 12);
  t.deepEqual(node.sideInputs?.names, names);
  t.is(parseModelSpec(readFileSync(path), path).rrIrregularityCount, 16, 'the committed spec: the default');
});

test('a bad irregularityCount or an unknown side input is refused, naming the field', (t) => {
  for (const bad of [1, 0, 2.5, '16']) {
    t.throws(() => parseModelSpec(withSide({ irregularityCount: bad }), 'x.json'), { message: /x\.json: sideInputs\.irregularityCount must be an integer >= 2/ });
    t.throws(() => parseSpec(JSON.parse(withSide({ irregularityCount: bad }).toString()), 'x.json'), { message: /sideInputs\.irregularityCount.*an integer >= 2/ });
  }
  t.is(parseModelSpec(withSide({ irregularityCount: undefined }), 'x.json').rrIrregularityCount, 16, 'absent: 16');
  t.throws(() => parseModelSpec(withSide({ names: ['rrRatio', 'rrNextRatio'] }), 'x.json'), { message: /sideInputs\.names must be a non-empty list of rrPrevS, rrLocalS, rrRatio, rrMedianRatio, rrIrregularity/ });
});
