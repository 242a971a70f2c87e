import test from 'ava';
import { Outbox } from '../../agent/src/publish/outbox/outbox.ts';
import { MemoryOutboxStore } from '../../agent/src/publish/outbox/memory-store.ts';

const TOPIC = 'arrhythminet/v1/gw/ch0/';
/** Payloads of exactly `bytes` bytes together with their topic. */
const body = (kind: 'event' | 'explain', id: string, bytes = 100) => {
  const head = JSON.stringify({ id, pad: '' });
  return JSON.stringify({ id, pad: 'x'.repeat(bytes - Buffer.byteLength(TOPIC + kind) - head.length) });
};
const put = (o: Outbox, kind: 'event' | 'explain', id: string) => o.enqueue(kind, TOPIC + kind, body(kind, id));
const liveIds = (o: Outbox) => [...o.pending()].map((e) => `${e.kind}:${JSON.parse(e.payload).id}`);

test('under the bound nothing is shed', (t) => {
  const o = new Outbox(new MemoryOutboxStore(), 1000);
  for (let i = 0; i < 10; i++) t.true(put(o, i % 2 ? 'explain' : 'event', `${i}`).accepted);
  t.is(o.size.bytes, 1000);
  t.is(o.counters.explainsShed, 0);
});

test('at the bound explanations are shed oldest first to make room, events never', (t) => {
  const o = new Outbox(new MemoryOutboxStore(), 500);
  put(o, 'explain', 'x1');
  put(o, 'event', 'e1');
  put(o, 'explain', 'x2');
  put(o, 'explain', 'x3');
  put(o, 'event', 'e2');
  t.is(o.size.bytes, 500);
  t.true(put(o, 'event', 'e3').accepted);
  t.deepEqual(liveIds(o), ['event:e1', 'explain:x2', 'explain:x3', 'event:e2', 'event:e3']);
  t.true(put(o, 'explain', 'x4').accepted);
  t.deepEqual(liveIds(o), ['event:e1', 'explain:x3', 'event:e2', 'event:e3', 'explain:x4']);
  t.is(o.counters.explainsShed, 2);
  t.is(o.counters.eventsOverBound, 0);
});

test('with only events left, an event is still kept and counted over the bound; an explanation is shed', (t) => {
  const o = new Outbox(new MemoryOutboxStore(), 300);
  for (const id of ['e1', 'e2', 'e3']) put(o, 'event', id);
  const r = put(o, 'event', 'e4');
  t.true(r.accepted);
  t.is(o.counters.eventsOverBound, 1);
  const x = put(o, 'explain', 'x1');
  t.false(x.accepted);
  t.is(x.seq, null);
  t.is(o.counters.explainsShed, 1);
  t.deepEqual(liveIds(o), ['event:e1', 'event:e2', 'event:e3', 'event:e4']);
});

test('an explanation that cannot fit even after shedding all older ones sheds only itself', (t) => {
  const o = new Outbox(new MemoryOutboxStore(), 300);
  put(o, 'event', 'e1');
  put(o, 'event', 'e2');
  put(o, 'explain', 'x1');
  const big = o.enqueue('explain', TOPIC + 'explain', body('explain', 'x2', 250));
  t.false(big.accepted);
  t.deepEqual(liveIds(o), ['event:e1', 'event:e2', 'explain:x1']);
  t.is(o.counters.explainsShed, 1);
});

test('ack removes the entry once and counts it; listeners hear each accepted enqueue', (t) => {
  const o = new Outbox(new MemoryOutboxStore(), 1000);
  const heard: number[] = [];
  const stop = o.onEnqueue((seq) => heard.push(seq));
  const a = put(o, 'event', 'e1');
  put(o, 'event', 'e2');
  stop();
  put(o, 'event', 'e3');
  t.is(heard.length, 2);
  t.is(heard[0], a.seq!);
  o.ack(a.seq!);
  o.ack(a.seq!);
  t.is(o.counters.acked, 1);
  t.deepEqual(liveIds(o), ['event:e2', 'event:e3']);
});

test('a bad bound is refused', (t) => {
  t.throws(() => new Outbox(new MemoryOutboxStore(), 0), { message: 'outbox maxBytes: must be greater than 0, got 0' });
});
