/**
 * loadModel refuses, with a UsageError naming the file, what differs and what
 * was expected: a model whose card was made for another spec, an .onnx changed
 * or corrupted after its card was written, an .onnx onnxruntime cannot load, a
 * missing or broken card. Through the CLI these exit 2 with one line.
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../../agent/src/errors.ts';
import { cardPathOf, loadModel } from '../../agent/src/model/load.ts';
import { committedModels } from './committed.ts';
import { cli } from '../helpers/cli.ts';

const model = committedModels().current.find((m) => m.name.includes('.int8')) ?? committedModels().current[0];
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A copy of the committed model and its card in a temp dir; `edit` changes them. */
function copy(t: { teardown(f: () => void): void }, edit: (onnx: string, card: string) => void = () => {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-model-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const onnx = join(dir, basename(model.path));
  copyFileSync(model.path, onnx);
  copyFileSync(cardPathOf(model.path), cardPathOf(onnx));
  edit(onnx, cardPathOf(onnx));
  return onnx;
}

function editCard(card: string, change: (c: Record<string, unknown>) => void): void {
  const c = JSON.parse(readFileSync(card, 'utf8')) as Record<string, unknown>;
  change(c);
  writeFileSync(card, JSON.stringify(c));
}

test('a committed model loads, with its feature shape and Grad-CAM weights', async (t) => {
  const m = await loadModel(copy(t));
  t.teardown(() => m.release());
  t.deepEqual(m.spec.classes, ['N', 'L', 'R', 'A', 'V']);
  t.true(m.featureChannels > 16);
  t.is(m.featureSteps, (m.spec.before + m.spec.after) / 16);
  t.is(m.gradcamAlpha.length, m.featureChannels * m.spec.classes.length);
});

test('a card made for another spec is refused, naming both hashes and files', async (t) => {
  const other = 'ab'.repeat(32);
  const path = copy(t, (_o, card) => editCard(card, (c) => { c.specSha256 = other; }));
  const err = await t.throwsAsync(loadModel(path), { instanceOf: UsageError });
  t.regex(err!.message, new RegExp(`model ${path}: its card .*card\\.json was made for a model spec with sha256 ${other}, but .*spec\\.json has sha256 [0-9a-f]{64}`));
});

test('an .onnx changed after its card was written is refused, naming the expected sha256', async (t) => {
  let expected = '';
  const path = copy(t, (onnx, card) => {
    expected = (JSON.parse(readFileSync(card, 'utf8')) as { sha256: string }).sha256;
    const b = readFileSync(onnx);
    b[b.length >> 1] ^= 0xff;
    writeFileSync(onnx, b);
  });
  const err = await t.throwsAsync(loadModel(path), { instanceOf: UsageError });
  t.regex(err!.message, new RegExp(`model ${path}: sha256 [0-9a-f]{64} \\(\\d+ bytes\\) differs from its card .* which expects ${expected}`));
  t.regex(err!.message, /corrupt or was changed/);
});

test('a corrupt .onnx (truncated, card re-signed to match) is refused by onnxruntime with a clear error', async (t) => {
  const path = copy(t, (onnx, card) => {
    const b = readFileSync(onnx).subarray(0, 1000);
    writeFileSync(onnx, b);
    editCard(card, (c) => { c.sha256 = sha(b); c.bytes = b.length; });
  });
  await t.throwsAsync(loadModel(path), { instanceOf: UsageError, message: new RegExp(`model ${path}: onnxruntime cannot load it: .+`) });
});

test('a missing or broken card, a missing file and a non-.onnx path are refused', async (t) => {
  const noCard = copy(t, (_o, card) => rmSync(card));
  await t.throwsAsync(loadModel(noCard), { instanceOf: UsageError, message: /model card .*card\.json: cannot read it \(ENOENT\); every model needs its \.card\.json/ });
  const badCard = copy(t, (_o, card) => writeFileSync(card, '{"sha256": '));
  await t.throwsAsync(loadModel(badCard), { instanceOf: UsageError, message: /model card .*card\.json: not valid JSON/ });
  const noSha = copy(t, (_o, card) => editCard(card, (c) => { delete c.sha256; }));
  await t.throwsAsync(loadModel(noSha), { instanceOf: UsageError, message: /sha256 must be a 64-digit hex sha256, got undefined/ });
  await t.throwsAsync(loadModel('/nonexistent/m.onnx'), { instanceOf: UsageError, message: /model \/nonexistent\/m\.onnx: cannot read it \(ENOENT\)/ });
  await t.throwsAsync(loadModel('model.pt'), { instanceOf: UsageError, message: /expected an \.onnx file/ });
});

test('through the CLI a mismatched or corrupt model exits 2 with one line naming the file', async (t) => {
  const stale = copy(t, (_o, card) => editCard(card, (c) => { c.specSha256 = '0'.repeat(64); }));
  const out = mkdtempSync(join(tmpdir(), 'arrhythminet-ann-'));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const a = await cli('annotate', join(out, 'nothing'), '--out', out, '--model', stale);
  t.is(a.code, 2);
  t.regex(a.stderr, new RegExp(`^arrhythminet annotate: model ${stale}: its card .* was made for a model spec with sha256 0{64}`));
  t.is(a.stderr.trim().split('\n').length, 1);
  const corrupt = copy(t, (onnx) => writeFileSync(onnx, Buffer.from('not a model')));
  const e = await cli('eval', 'classify', '--db', out, '--model', corrupt);
  t.is(e.code, 2);
  t.regex(e.stderr, new RegExp(`^arrhythminet eval: model ${corrupt}: sha256 [0-9a-f]{64} \\(11 bytes\\) differs from its card`));
});
