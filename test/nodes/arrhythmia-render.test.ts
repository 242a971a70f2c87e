import anyTest, { type TestFn } from 'ava';
import { createRequire } from 'node:module';
import { ensureNodesBuilt, nodeModule } from './build.ts';

const require = createRequire(import.meta.url);
const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));
const test = anyTest as TestFn;

const flow = [
  { id: 'f1', type: 'tab', label: 'test' },
  { id: 'render', z: 'f1', type: 'arrhythmia render', widthPx: 800, heightPx: 320, wires: [['sink']] },
  { id: 'sink', z: 'f1', type: 'helper' },
  { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', z: 'f1', type: 'helper' },
];
const next = (id: string) => new Promise<any>((resolve) => helper.getNode(id).once('input', resolve));

test.before(async () => { await ensureNodesBuilt(); });
test.afterEach.always(async () => { await helper.unload(); });

test.serial('renders a classify-shaped payload to SVG of the configured size; status counts', async (t) => {
  await helper.load(nodeModule('arrhythmia-render'), flow);
  const render = helper.getNode('render');
  const payload = {
    label: 'V', probabilities: { N: 0.05, L: 0, R: 0, A: 0.02, V: 0.93 }, fs: 360, beforeSamples: 90,
    window: Array.from({ length: 256 }, (_, i) => Math.sin(i / 9)), gradcam: [0, 0.2, 1, 0.4],
  };
  const out = next('sink');
  render.receive({ payload, title: 'bed-3 ch0 12:00:01' });
  const msg = await out;
  t.regex(msg.payload, /^<svg [^>]*width="800" height="320"/);
  t.regex(msg.payload, />bed-3 ch0 12:00:01</);
  t.is(msg.contentType, 'image/svg+xml');
  t.deepEqual(msg.beat, payload);
  t.is(render.status.lastCall.args[0].text, 'arrhythmia-render.status.drawn');
});

test.serial('a bad payload is a Catch-able error with a red status; close clears the status', async (t) => {
  await helper.load(nodeModule('arrhythmia-render'), flow);
  const render = helper.getNode('render');
  const caught = next('caught');
  render.receive({ payload: { window: [0, 1, 2], fs: 360 } });
  t.regex((await caught).error.message, /beforeSamples is undefined/);
  t.is(render.status.lastCall.args[0].fill, 'red');
  // The helper's spies are gone by the time nodes close: watch the instance itself.
  const seen: object[] = [];
  const status = render.status;
  render.status = (s: object) => { seen.push(s); return status.call(render, s); };
  await helper.unload();
  t.deepEqual(seen, [{}]);
});
