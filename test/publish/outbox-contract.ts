/**
 * The one contract every OutboxStore must meet (agent/src/publish/outbox/store.ts),
 * after MQTT.js's test/node/abstract_store. Each implementation's test file calls
 * `outboxStoreContract` with a factory; durable stores also pass `reopen`.
 */
import test from 'ava';
import fc from 'fast-check';
import type { OutboxEntry, OutboxStore } from '../../agent/src/publish/outbox/store.ts';

export interface StoreFactory {
  /** A fresh, empty store. The key tells `reopen` which one. */
  create(): Promise<{ store: OutboxStore; key: string }>;
  /** Durable stores only: open the store `key` again after `close`. */
  reopen?(key: string): Promise<OutboxStore>;
}

const entry = (i: number, kind: 'event' | 'explain' = 'event'): Omit<OutboxEntry, 'seq'> => ({
  kind,
  topic: `arrhythminet/v1/gw/ch0/${kind}`,
  payload: JSON.stringify({ id: `e${i}`, text: 'é€' }),
});

const live = (s: OutboxStore) => [...s.pending()].map((e) => ({ ...e }));

export function outboxStoreContract(name: string, factory: StoreFactory): void {
  test(`${name}: put assigns increasing seqs and pending() yields entries in put order at once`, async (t) => {
    const { store } = await factory.create();
    const seqs = [0, 1, 2, 3].map((i) => store.put(entry(i, i % 2 ? 'explain' : 'event')).seq);
    t.true(seqs.every((s, i) => i === 0 || s > seqs[i - 1]));
    t.deepEqual(live(store).map((e) => e.seq), seqs);
    t.deepEqual(live(store)[1], { seq: seqs[1], ...entry(1, 'explain') });
    t.deepEqual(store.get(seqs[2]), { seq: seqs[2], ...entry(2) });
    await store.close();
  });

  test(`${name}: durable resolves; size counts live records and their topic + payload bytes`, async (t) => {
    const { store } = await factory.create();
    const a = store.put(entry(1));
    const b = store.put(entry(2));
    await Promise.all([a.durable, b.durable]);
    const bytes = Buffer.byteLength(entry(1).topic) + Buffer.byteLength(entry(1).payload);
    t.deepEqual(store.size, { records: 2, bytes: 2 * bytes });
    await store.del(a.seq);
    t.deepEqual(store.size, { records: 1, bytes });
    await store.close();
  });

  test(`${name}: del removes at once, keeps the others' order, and ignores unknown or repeated seqs`, async (t) => {
    const { store } = await factory.create();
    const seqs = [0, 1, 2, 3, 4].map((i) => store.put(entry(i)).seq);
    const d = store.del(seqs[2]);
    t.is(store.get(seqs[2]), undefined);
    await d;
    await store.del(seqs[2]);
    await store.del(9999);
    t.deepEqual(live(store).map((e) => e.seq), [seqs[0], seqs[1], seqs[3], seqs[4]]);
    t.is(store.size.records, 4);
    await store.close();
  });

  test(`${name}: put after close is refused`, async (t) => {
    const { store } = await factory.create();
    await store.close();
    t.throws(() => store.put(entry(1)), { message: /closed/ });
  });

  if (!factory.reopen) return;
  const reopen = factory.reopen;

  test(`${name}: reopening yields every entry put and not deleted, in order, and new seqs stay above them`, async (t) => {
    const { store, key } = await factory.create();
    const seqs = [0, 1, 2, 3, 4, 5].map((i) => store.put(entry(i, i === 3 ? 'explain' : 'event')).seq);
    await store.del(seqs[0]);
    await store.del(seqs[4]);
    const before = live(store);
    await store.close();
    const again = await reopen(key);
    t.deepEqual(live(again), before);
    const next = again.put(entry(9)).seq;
    t.true(next > seqs[5]);
    await again.close();
  });

  test(`${name}: any sequence of put, del and reopen matches a simple model`, async (t) => {
    type Op = { op: 'put'; kind: 'event' | 'explain' } | { op: 'del'; pick: number } | { op: 'reopen' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ op: fc.constant('put' as const), kind: fc.constantFrom('event' as const, 'explain' as const) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant('del' as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.constant({ op: 'reopen' as const }) },
    );
    await fc.assert(fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
      let { store, key } = await factory.create();
      const model = new Map<number, Omit<OutboxEntry, 'seq'>>();
      let i = 0;
      for (const o of ops) {
        if (o.op === 'put') {
          const e = entry(i++, o.kind);
          model.set(store.put(e).seq, e);
        } else if (o.op === 'del') {
          const keys = [...model.keys()];
          if (keys.length === 0) continue;
          const seq = keys[o.pick % keys.length];
          model.delete(seq);
          await store.del(seq);
        } else {
          await store.close();
          store = await reopen(key);
        }
        t.deepEqual(live(store), [...model].map(([seq, e]) => ({ seq, ...e })));
      }
      await store.close();
    }), { numRuns: 40 });
  });
}
