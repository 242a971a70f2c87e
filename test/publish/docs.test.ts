import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/requires.ts';
import { validatePayload } from '../../agent/src/publish/validate.ts';
import { TOPIC_KINDS, type TopicKind } from '../../agent/src/publish/topics.ts';

test('every example payload in docs/mqtt.md is valid against its schema, one per kind', (t) => {
  const doc = readFileSync(join(repoRoot, 'docs', 'mqtt.md'), 'utf8');
  const blocks = [...doc.matchAll(/```json (\w+)\n([\s\S]*?)```/g)];
  t.deepEqual(blocks.map((b) => b[1]).sort(), [...TOPIC_KINDS].sort());
  for (const [, kind, text] of blocks) {
    const r = validatePayload(kind as TopicKind, JSON.parse(text));
    t.deepEqual(r.errors, [], kind);
  }
});
