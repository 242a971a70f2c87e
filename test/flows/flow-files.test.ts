import test from 'ava';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';
import { loadFlow } from './runtime.ts';

// Every flow in flows/ is a well-formed Node-RED 4 export and has its own test
// that runs it in a real Node-RED against a real broker.
const names = readdirSync(join(repoRoot, 'flows')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, ''));

test('there are flows, and each has its runtime test in test/flows', (t) => {
  t.true(names.length >= 3);
  for (const name of names) t.true(existsSync(join(repoRoot, 'test', 'flows', `${name}.test.ts`)), name);
});

for (const name of names) {
  test(`${name}: one tab, wires and config references resolve, a README section`, (t) => {
    const flow = loadFlow(name);
    const ids = new Set(flow.map((n) => n.id));
    t.is(ids.size, flow.length, 'ids are unique');
    const tabs = flow.filter((n) => n.type === 'tab');
    t.is(tabs.length, 1);
    for (const n of flow) {
      if (n.type === 'tab' || n.type === 'mqtt-broker') continue;
      t.is(n.z, tabs[0].id, `${n.id} on the tab`);
      for (const out of n.wires ?? []) for (const target of out) t.true(ids.has(target), `${n.id} -> ${target}`);
      if (n.broker !== undefined) t.true(ids.has(n.broker), `${n.id} broker`);
      if (Array.isArray(n.scope)) for (const s of n.scope) t.true(ids.has(s), `${n.id} scope ${s}`);
    }
    t.true(flow.some((n) => n.type === 'arrhythmia in'));
    t.true(flow.some((n) => n.type === 'arrhythmia alert'));
    t.regex(readFileSync(join(repoRoot, 'flows', 'README.md'), 'utf8'), new RegExp(`## ${name}\\.json`));
  });
}
