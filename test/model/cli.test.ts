/**
 * `annotate --model` and `eval classify` on MIT-BIH through the command line,
 * with a committed model: the annotation file carries the model's labels (the
 * same as labelBeats over the same pipeline beats); eval classify at reference
 * positions counts the record's N L R A V beats and reports the accuracy the
 * Classifier gives directly; end to end it reports EC57 VEB statistics.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mitdb, mitdbDir, testNeeding } from '../helpers/requires.ts';
import { readAnnotations, symbolOf } from '../../agent/src/sources/wfdb/index.ts';
import { recordBeats } from '../../agent/src/pipeline/record-beats.ts';
import { loadModel } from '../../agent/src/model/load.ts';
import { labelBeats } from '../../agent/src/model/classify-list.ts';
import { referenceBeats } from '../../agent/src/model/reference-beats.ts';
import { Classifier } from '../../agent/src/model/classifier.ts';
import { committedModels } from './committed.ts';
import { cli } from '../helpers/cli.ts';

const test = testNeeding(mitdb);
const model = committedModels().current.find((m) => m.name.includes('.int8'));

test('annotate --model writes the model\'s label for every detected beat', async (t) => {
  if (model === undefined) { t.fail('no committed int8 model matches models/spec.json'); return; }
  const out = mkdtempSync(join(tmpdir(), 'arrhythminet-annotate-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const r = await cli('annotate', join(mitdbDir, '119'), '--out', out, '--model', model.path);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /119\.qrs: \d+ beats at 360 Hz .*labels N \d+, V \d+/);
  const written = await readAnnotations(join(out, '119'), 'qrs');
  const m = await loadModel(model.path);
  t.teardown(() => m.release());
  const { beats } = await recordBeats(join(mitdbDir, '119'));
  const labels = await labelBeats(m, beats);
  t.is(written.length, labels.length);
  t.deepEqual(written.map((a) => a.symbol), labels);
  t.deepEqual(written.map((a) => a.sample), beats.map((b) => b.sourceIndex));
  t.true(written.every((a) => ['N', 'L', 'R', 'A', 'V', 'Q'].includes(symbolOf(a.code))));
});

test('eval classify at reference positions: the record\'s N L R A V beats and the Classifier\'s accuracy', async (t) => {
  if (model === undefined) { t.fail('no committed int8 model matches models/spec.json'); return; }
  const r = await cli('eval', 'classify', '--db', mitdbDir, '--model', model.path, '--records', '100,105', '--json');
  t.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { positions: string; metrics: { n: number; accuracy: number; confusion: { matrix: number[][] } } };
  t.is(report.positions, 'reference');
  const m = await loadModel(model.path);
  t.teardown(() => m.release());
  let n = 0;
  let correct = 0;
  for (const rec of ['100', '105']) {
    const beats = (await referenceBeats(join(mitdbDir, rec), m.spec)).filter((b) => m.spec.classes.includes(b.symbol));
    const res = await new Classifier(m).classify(beats.map((b) => ({ input: b.input, quality: 'good' })));
    n += beats.length;
    correct += res.filter((x, i) => x.label === beats[i].symbol).length;
  }
  t.is(report.metrics.n, n);
  t.is(report.metrics.accuracy, correct / n);
  t.is(report.metrics.confusion.matrix.flat().reduce((a, b) => a + b, 0), n);
});

test('eval classify --end-to-end: detector + classifier, EC57 VEB statistics (record 119, bigeminy)', async (t) => {
  if (model === undefined) { t.fail('no committed int8 model matches models/spec.json'); return; }
  const r = await cli('eval', 'classify', '--db', mitdbDir, '--model', model.path, '--records', '119', '--end-to-end', '--json');
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /119 is in the model's training records: not an honest test/);
  const e = JSON.parse(r.stdout) as { positions: string; summary: { totalVeb: number; gross: { vebSensitivity: { percent: number | null }; qrsSensitivity: { percent: number | null } } } };
  t.is(e.positions, 'detected');
  t.true(e.summary.totalVeb > 300, `${e.summary.totalVeb} reference VEBs after 5 min`);
  t.true((e.summary.gross.qrsSensitivity.percent ?? 0) > 99);
  t.true((e.summary.gross.vebSensitivity.percent ?? 0) > 90, `VEB Se ${e.summary.gross.vebSensitivity.percent}`);
});

test('eval classify usage errors exit 2', async (t) => {
  const r = await cli('eval', 'classify', '--db', mitdbDir);
  t.is(r.code, 2);
  t.regex(r.stderr, /--model FILE is required/);
  if (model === undefined) return;
  const p = await cli('eval', 'classify', '--db', mitdbDir, '--model', model.path, '--protocol', 'paper');
  t.is(p.code, 2);
  t.regex(p.stderr, /--protocol paper needs --test-beats FILE/);
  const c = await cli('eval', 'classify', '--db', mitdbDir, '--model', model.path, '--min-confidence', '2');
  t.is(c.code, 2);
  t.regex(c.stderr, /--min-confidence '2': expected a probability in \[0, 1\]/);
  // A record the test-beats file does not list would have every beat scored, training beats included.
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-tb-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'tb.json'), JSON.stringify({ 999: [100] }));
  const u = await cli('eval', 'classify', '--db', mitdbDir, '--model', model.path, '--protocol', 'paper', '--records', '100', '--test-beats', join(dir, 'tb.json'));
  t.is(u.code, 2);
  t.regex(u.stderr, /--records 100: not in --test-beats .*tb\.json, which lists 999/);
});
