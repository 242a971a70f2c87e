import anyTest, { type TestFn } from 'ava';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianPython, pythonTorch, testNeeding } from '../helpers/requires.ts';
import { ensureNodesBuilt, nodeModule, nodesDir } from './build.ts';

const require = createRequire(import.meta.url);
const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));
const test = anyTest as TestFn;
const testTorch = testNeeding(pythonTorch);

let dir = '';
test.before(async () => {
  await ensureNodesBuilt();
  dir = mkdtempSync(join(tmpdir(), 'arrhythminet-classify-'));
});
test.after.always(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
test.afterEach.always(async () => { await helper.unload(); });

function flow(modelPath: string) {
  return [
    { id: 'f1', type: 'tab', label: 'test' },
    { id: 'model', type: 'arrhythmia model', modelPath },
    { id: 'cls', z: 'f1', type: 'arrhythmia classify', model: 'model', wires: [['sink']] },
    { id: 'sink', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
}
const next = (id: string) => new Promise<any>((resolve) => helper.getNode(id).once('input', resolve));
const settled = (node: any) => new Promise<void>((resolve) => {
  const check = () => (node.status.lastCall && node.status.lastCall.args[0].text !== 'arrhythmia-classify.status.loading' ? resolve() : setTimeout(check, 10));
  check();
});

testTorch.serial('classifies a window with a real ONNX model: probabilities and Grad-CAM as torch computes them', async (t) => {
  execFileSync(debianPython, [join(import.meta.dirname, 'tiny-model.py'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
  await helper.load([nodeModule('arrhythmia-classify'), nodeModule('arrhythmia-model')], flow(join(dir, 'tiny.onnx')));
  const cls = helper.getNode('cls');
  await settled(cls);
  t.is(cls.status.lastCall.args[0].text, 'arrhythmia-classify.status.ready');
  t.is(cls.status.lastCall.args[0].fill, 'green');

  // Two beats of one stream: the second is scaled by both and has the first as its template.
  for (const beat of expected.beats) {
    const out = next('sink');
    cls.receive({ channel: 'ch0', payload: { window: Float32Array.from(beat.window), rr: expected.rr } });
    const p = (await out).payload;
    t.is(p.classIndex, beat.classIndex);
    t.is(p.label, ['N', 'L', 'R', 'A', 'V'][beat.classIndex]);
    t.true(Math.abs(p.scaleMv - beat.scaleMv) < 1e-5);
    for (const [i, c] of ['N', 'L', 'R', 'A', 'V'].entries()) t.true(Math.abs(p.probabilities[c] - beat.probabilities[i]) < 1e-5, c);
    t.is(p.gradcam.length, beat.gradcam.length);
    t.true(p.gradcam.every((v: number, i: number) => Math.abs(v - beat.gradcam[i]) < 1e-4));
    t.false(p.rrAssumed);
    t.is(p.window.length, 256);
    t.is(p.beforeSamples, 90);
  }
  // The probabilities differ between the beats, so the test would see a template or scale gone wrong.
  t.notDeepEqual(expected.beats[0].probabilities, expected.beats[1].probabilities);

  // A plain number[] works too; without RR the spec's default goes in and says so.
  const out2 = next('sink');
  cls.receive({ channel: 'ch1', payload: expected.beats[0].window });
  t.true((await out2).payload.rrAssumed);

  // A second classify node naming the same model node shares its loaded model.
  t.is(await helper.getNode('model').acquire(), await helper.getNode('model').acquire());

  // A wrong length is a Catch-able error naming both lengths.
  const caught = next('caught');
  cls.receive({ payload: [1, 2, 3] });
  t.regex((await caught).error.message, /the window has 3 samples; the model takes 256/);
});

test.serial('a missing model file gives a red status and Catch-able errors, not a crash; close still completes', async (t) => {
  const missing = join(dir, 'nowhere', 'model.onnx');
  await helper.load([nodeModule('arrhythmia-classify'), nodeModule('arrhythmia-model')], flow(missing));
  const cls = helper.getNode('cls');
  await settled(cls);
  const status = cls.status.lastCall.args[0];
  t.is(status.fill, 'red');
  t.is(status.text, 'arrhythmia-classify.status.missing');
  const caught = next('caught');
  cls.receive({ payload: new Array(256).fill(0) });
  const err = (await caught).error.message;
  t.true(err.includes(missing));
  t.regex(err, /arrhythmia-model.errors.missing/);
  await helper.unload();
  t.pass();
});

test.serial('without a model node: the shipped model, or a red status naming where it was looked for', async (t) => {
  const shippedDir = join(nodesDir, 'dist', 'models');
  const shipped = existsSync(shippedDir) && readdirSync(shippedDir).some((f) => f.endsWith('.onnx'));
  await helper.load(nodeModule('arrhythmia-classify'), [
    { id: 'f1', type: 'tab', label: 'test' },
    { id: 'cls', z: 'f1', type: 'arrhythmia classify', wires: [['sink']] },
    { id: 'sink', z: 'f1', type: 'helper' },
  ]);
  const cls = helper.getNode('cls');
  await settled(cls);
  const status = cls.status.lastCall.args[0];
  if (shipped) {
    t.is(status.fill, 'green');
  } else {
    t.is(status.text, 'arrhythmia-classify.status.missing');
    t.true(cls.error.lastCall.args[0].includes(`${shippedDir}/*.onnx (none shipped)`));
  }
});

test.serial('the shipped model: a wide premature beat after normal ones is V, the normal ones N, with a 16-bin Grad-CAM', async (t) => {
  const shippedDir = join(nodesDir, 'dist', 'models');
  if (!existsSync(shippedDir) || !readdirSync(shippedDir).some((f) => f.endsWith('.onnx'))) {
    t.fail(`no model shipped in ${shippedDir}: models/*.onnx are part of the repository`);
    return;
  }
  await helper.load(nodeModule('arrhythmia-classify'), [
    { id: 'f1', type: 'tab', label: 'test' },
    { id: 'cls', z: 'f1', type: 'arrhythmia classify', wires: [['sink']] },
    { id: 'sink', z: 'f1', type: 'helper' },
  ]);
  const cls = helper.getNode('cls');
  // Synthetic beats in mV, R at sample 90 of 256 (360 Hz): a narrow QRS with P and T waves, and a wide
  // premature complex with a discordant T wave and no P wave.
  const normal = Array.from({ length: 256 }, (_, i) => 0.1 * Math.exp(-(((i - 50) / 8) ** 2)) + 1.2 * Math.exp(-(((i - 90) / 5) ** 2)) + 0.25 * Math.exp(-(((i - 200) / 20) ** 2)));
  const wide = Array.from({ length: 256 }, (_, i) => 2.0 * Math.exp(-(((i - 92) / 14) ** 2)) - 0.7 * Math.exp(-(((i - 170) / 25) ** 2)));
  const labels: string[] = [];
  let last: any;
  for (const [window, rr] of [...Array.from({ length: 8 }, () => [normal, { prevS: 0.8, localS: 0.8 }] as const), [wide, { prevS: 0.5, localS: 0.8 }] as const]) {
    const out = next('sink');
    cls.receive({ channel: 'ch0', payload: { window, rr } });
    last = (await out).payload;
    labels.push(last.label);
  }
  t.deepEqual(labels, ['N', 'N', 'N', 'N', 'N', 'N', 'N', 'N', 'V']);
  t.true(last.probabilities.V > 0.5);
  t.is(last.gradcam.length, 16);
  t.regex(last.model, /\.int8\.onnx$/);
});
