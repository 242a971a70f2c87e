/**
 * SHAP backgrounds: the shipped class-mean files parse against today's spec,
 * are rebuilt identically (to their 1e-4 rounding) from the training records
 * their card names, and bad files or names are refused naming the file, field
 * and what is allowed.
 */
import anyTest from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mitdb, mitdbDir, repoRoot, testNeeding } from '../helpers/requires.ts';
import { loadModelSpec } from '../../agent/src/model/spec.ts';
import { backgroundPathOf, flatBackground, loadBackground, parseBackgroundFile } from '../../agent/src/explain/background.ts';
import { buildBackground } from '../../agent/src/explain/build-background.ts';
import { committedModels } from '../model/committed.ts';

const spec = loadModelSpec();
const length = spec.before + spec.after;
const interModels = committedModels().current.filter((m) => m.card.protocol === 'inter');

anyTest('every committed inter-patient model has a class-mean background for each class, for this spec', (t) => {
  t.true(interModels.length > 0);
  for (const m of interModels) {
    const path = backgroundPathOf(m.path);
    t.true(existsSync(path), `${path} missing`);
    const file = parseBackgroundFile(readFileSync(path, 'utf8'), path, spec);
    t.deepEqual(Object.keys(file.classMeans), spec.classes);
    t.deepEqual(file.records, (JSON.parse(readFileSync(m.path.replace(/\.onnx$/, '.card.json'), 'utf8')) as { trainingRecords: string[] }).trainingRecords);
    for (const c of spec.classes) {
      t.true(file.beats[c] >= 100, `${c}: a mean of ${file.beats[c]} beats`);
      const bg = loadBackground(`mean:${c}`, spec, path);
      t.is(bg.values.length, length);
      // Channel 0 has each window's mean removed, so the mean beat's mean is ~0.
      t.true(Math.abs(bg.values.reduce((s, v) => s + v, 0) / length) < 1e-3);
    }
  }
});

anyTest('flat background: zeros (the window mean level) of the window length', (t) => {
  const bg = loadBackground('flat', spec);
  t.is(bg.name, 'flat');
  t.deepEqual(Array.from(bg.values), Array.from(flatBackground(length).values));
  t.true(bg.values.every((v) => v === 0));
});

anyTest('bad backgrounds are refused naming the file and the field', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-background-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const good = JSON.parse(readFileSync(backgroundPathOf(join(repoRoot, 'models', 'arrhythminet-v1.onnx')), 'utf8'));
  const write = (name: string, o: unknown) => { const p = join(dir, name); writeFileSync(p, typeof o === 'string' ? o : JSON.stringify(o)); return p; };
  t.throws(() => loadBackground('mean', spec, write('a.json', good)), { message: /background 'mean': expected 'flat' or 'mean:<class>' with a class of N, L, R, A, V/ });
  t.throws(() => loadBackground('mean:Q', spec, write('b.json', good)), { message: /b\.json: no class-mean beat for 'Q' \(has N, L, R, A, V\)/ });
  t.throws(() => loadBackground('mean:N', spec), { message: /needs the model's \.background\.json/ });
  t.throws(() => loadBackground('mean:N', spec, join(dir, 'none.json')), { message: /none\.json: cannot read it \(ENOENT\)/ });
  t.throws(() => loadBackground('mean:N', spec, write('c.json', '{ nope')), { message: /c\.json: not valid JSON/ });
  t.throws(() => loadBackground('mean:N', spec, write('d.json', { ...good, specSha256: 'ab'.repeat(32) })), { message: /d\.json: built for a model spec with sha256 "abab.*rebuild it/ });
  t.throws(() => loadBackground('mean:N', spec, write('e.json', { ...good, length: 255 })), { message: /e\.json: length 255, the spec's window has 256 samples/ });
  t.throws(() => loadBackground('mean:N', spec, write('f.json', { ...good, classMeans: { ...good.classMeans, N: good.classMeans.N.slice(1) } })), { message: /f\.json: classMeans\.N must be 256 finite numbers/ });
  t.throws(() => loadBackground('mean:N', spec, write('g.json', { ...good, classMeans: { ...good.classMeans, X: good.classMeans.N } })), { message: /g\.json: classMeans\.X is not a class of the spec/ });
});

const test = testNeeding(mitdb);

test('the shipped class means are rebuilt from the training records (to their 1e-4 rounding)', async (t) => {
  const m = interModels[0];
  const shipped = parseBackgroundFile(readFileSync(backgroundPathOf(m.path), 'utf8'), backgroundPathOf(m.path), spec);
  const rebuilt = await buildBackground(shipped.records, mitdbDir, spec);
  t.deepEqual(rebuilt.beats, shipped.beats);
  let worst = 0;
  for (const c of Object.keys(shipped.classMeans)) {
    shipped.classMeans[c].forEach((v, i) => { worst = Math.max(worst, Math.abs(v - rebuilt.classMeans[c][i])); });
  }
  t.log(`${m.name}: max |shipped - rebuilt| = ${worst}`);
  t.true(worst <= 1e-4);
});
