import anyTest, { type TestFn } from 'ava';
import { createRequire } from 'node:module';
import { ensureNodesBuilt, nodeModule } from './build.ts';
import { beatMessage, eventMessage, explainMessage, isolated, statusMessage, vitalsMessage } from './agent-messages.ts';

const require = createRequire(import.meta.url);
const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));
const test = anyTest as TestFn;

const flow = [
  { id: 'f1', type: 'tab', label: 'test' },
  { id: 'in', type: 'arrhythmia in', z: 'f1', name: '', wires: [['o0'], ['o1'], ['o2'], ['o3'], ['o4']] },
  ...[0, 1, 2, 3, 4].map((i) => ({ id: `o${i}`, z: 'f1', type: 'helper' })),
  { id: 'catcher', z: 'f1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
  { id: 'caught', z: 'f1', type: 'helper' },
];

test.before(async () => { await ensureNodesBuilt(); });
test.afterEach.always(async () => { await helper.unload(); });

const nextMessage = (id: string) => new Promise<any>((resolve) => helper.getNode(id).once('input', resolve));

test.serial('routes each kind to its own output and sets gateway, channel, kind', async (t) => {
  await helper.load(nodeModule('arrhythmia-in'), flow);
  const inNode = helper.getNode('in');
  const messages = [
    statusMessage('gw1', 'ch0', 'online'),
    beatMessage('gw1', 'ch0', 1000, 'V'),
    eventMessage('gw1', 'ch0', isolated('pvc', 1000)[0]),
    explainMessage('gw1', 'ch0'),
    vitalsMessage('gw1', 'ch0', 72),
  ];
  for (const [i, m] of messages.entries()) {
    // A fixture the schema rejects fails here with the reason instead of hanging.
    const got = Promise.race([nextMessage(`o${i}`), nextMessage('caught').then((m) => { throw m.error; })]);
    // As a core mqtt in node set to "a String" delivers it, for one of them.
    inNode.receive({ topic: m.topic, payload: i === 1 ? JSON.stringify(m.payload) : m.payload });
    const msg = await got;
    t.deepEqual(msg.payload, m.payload);
    t.is(msg.gateway, 'gw1');
    t.is(msg.channel, 'ch0');
    t.is(msg.kind, ['status', 'beat', 'event', 'explain', 'vitals'][i]);
  }
});

test.serial('invalid messages are Catch-able errors naming topic and field; the node goes on', async (t) => {
  await helper.load(nodeModule('arrhythmia-in'), flow);
  const inNode = helper.getNode('in');
  const routed: unknown[] = [];
  for (let i = 0; i < 5; i++) helper.getNode(`o${i}`).on('input', (m: unknown) => routed.push(m));
  const bad = eventMessage('gw1', 'ch0', isolated('pvc', 5)[0]);
  const cases: [unknown, unknown, RegExp][] = [
    [bad.topic, { ...bad.payload, phase: 'begin' }, /invalid event payload: event \/phase: must be equal to one of the allowed values.*start, update, end/],
    [bad.topic, '{"v":1,', /payload is not JSON/],
    ['arrhythminet/v1/gw1/ch0/ecg', bad.payload, /kind "ecg" is unknown; kinds are status, beat, event, explain, vitals/],
    ['other/topic', bad.payload, /is not arrhythminet\/v1\/\{gateway\}\/\{channel\}\/\{kind\}/],
    ['arrhythminet/v1/gw2/ch0/event', bad.payload, /payload says gateway "gw1".*the topic says "gw2"/],
  ];
  for (const [topic, payload, pattern] of cases) {
    const caught = nextMessage('caught');
    inNode.receive({ topic, payload });
    const msg = await caught;
    t.regex(msg.error.message, pattern);
    t.is(msg.error.source.id, 'in');
  }
  t.deepEqual(routed, []);
  // Still working after the errors.
  const ok = nextMessage('o2');
  inNode.receive(eventMessage('gw1', 'ch0', isolated('pvc', 9)[0]));
  t.is((await ok).payload.type, 'pvc');
});

test.serial('status counts routed and rejected messages; close releases the status timer', async (t) => {
  await helper.load(nodeModule('arrhythmia-in'), flow);
  const inNode = helper.getNode('in');
  t.is(inNode.status.firstCall.args[0].text, 'arrhythmia-in.status.waiting');
  inNode.receive(vitalsMessage('gw1', 'ch0', 72));
  inNode.receive({ topic: 'x', payload: {} });
  await new Promise((r) => setTimeout(r, 1100));
  const last = inNode.status.lastCall.args[0];
  t.is(last.text, 'arrhythmia-in.status.counts');
  t.is(last.fill, 'yellow');
  // The helper's spies are gone by the time nodes close: watch the instance itself.
  let later = 0;
  const status = inNode.status;
  inNode.status = (s: object) => { later++; return status.call(inNode, s); };
  inNode.receive(vitalsMessage('gw1', 'ch0', 72));
  await new Promise((r) => setTimeout(r, 50)); // delivered: the status timer is pending
  await helper.unload();
  await new Promise((r) => setTimeout(r, 1100));
  t.is(later, 0, 'no status update after close');
});
