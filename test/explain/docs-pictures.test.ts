/**
 * The committed explanation pictures (docs/explain, made by `npm run
 * explain:docs`) are what docs/explainability.md shows and lists: every linked
 * file exists and is a PNG of the command's size, one beat of each class from a
 * DS2 record, the global JSON of both methods for all five classes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/requires.ts';

const docs = join(repoRoot, 'docs');
const doc = readFileSync(join(docs, 'explainability.md'), 'utf8');
const section = /<!-- explain-pictures:start[^>]*-->([\s\S]*)<!-- explain-pictures:end -->/.exec(doc)?.[1] ?? '';
const DS2 = ['100', '103', '105', '111', '113', '117', '121', '123', '200', '202', '210', '212', '213', '214', '219', '221', '222', '228', '231', '232', '233', '234'];

test('every picture the page links exists, is a PNG, and has a command that made it', (t) => {
  const linked = [...new Set([...section.matchAll(/\(explain\/([\w-]+\.(?:png|json))\)/g)].map((m) => m[1]))];
  t.true(linked.length >= 12, `${linked.length} linked`);
  for (const f of linked) {
    const path = join(docs, 'explain', f);
    t.true(existsSync(path), f);
    if (f.endsWith('.png')) {
      const png = readFileSync(path);
      t.is(png.subarray(1, 4).toString('latin1'), 'PNG', f);
      t.is(png.readUInt32BE(16), 1600, `${f}: width (800 px at scale 2)`);
    }
    t.true(section.includes(`--out docs/explain/${f}`), `${f}: its command is listed`);
  }
});

test('one beat per class, from DS2, as the table says', (t) => {
  const { beats } = JSON.parse(readFileSync(join(docs, 'explain', 'beats.json'), 'utf8')) as { beats: { cls: string; record: string; beat: number; label: string }[] };
  t.deepEqual(beats.map((b) => b.cls), ['N', 'L', 'R', 'A', 'V']);
  for (const b of beats) {
    t.true(DS2.includes(b.record), `${b.cls}: record ${b.record} is DS2`);
    t.regex(section, new RegExp(`\\| ${b.cls} \\| ${b.record} \\| ${b.beat} \\| [\\d:.]+ \\| ${b.label}`));
    t.true(section.includes(`mitdb/${b.record} --beat ${b.beat} --method gradcam --out docs/explain/${b.cls}-gradcam.png`));
  }
});

test('the pictures are of the shipped model: after a model changes, npm run explain:docs', (t) => {
  const card = JSON.parse(readFileSync(join(repoRoot, 'models', 'arrhythminet-v2.int8.card.json'), 'utf8')) as { sha256: string };
  for (const method of ['gradcam', 'shap']) {
    const g = JSON.parse(readFileSync(join(docs, 'explain', `global-${method}.json`), 'utf8'));
    t.is(g.model.sha256, card.sha256, `docs/explain/global-${method}.json was made with another model: run npm run explain:docs`);
  }
  const { modelSha256 } = JSON.parse(readFileSync(join(docs, 'explain', 'beats.json'), 'utf8')) as { modelSha256: string };
  t.is(modelSha256, card.sha256, 'docs/explain/beats.json was made with another model: run npm run explain:docs');
});

test('global JSON: both methods, five classes, mean beat and attribution over the window', (t) => {
  for (const method of ['gradcam', 'shap']) {
    const g = JSON.parse(readFileSync(join(docs, 'explain', `global-${method}.json`), 'utf8'));
    t.is(g.method, method);
    t.deepEqual(g.records, DS2);
    t.deepEqual(g.classes.map((c: { class: string }) => c.class), ['N', 'L', 'R', 'A', 'V']);
    for (const c of g.classes) {
      t.true(c.beats > 0 && c.beats <= g.perClass, `${method} ${c.class}`);
      t.is(c.meanBeatMv.length, 256);
      t.is(c.meanAttribution.length, 256);
    }
  }
});
