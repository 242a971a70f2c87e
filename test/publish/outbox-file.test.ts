import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { FileOutboxStore } from '../../agent/src/publish/outbox/file-store.ts';
import { manualTimers } from './fake-timers.ts';
import { HEADER_BYTES } from '../../agent/src/publish/outbox/record-log.ts';

const dir = mkdtempSync(join(tmpdir(), 'outbox-file-'));
test.after.always(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `log-${n++}.bin`);
const entry = (i: number) => ({ kind: 'event' as const, topic: 'arrhythminet/v1/gw/ch0/event', payload: JSON.stringify({ id: `vt-${i}`, phase: 'start' }) });
const ids = (s: FileOutboxStore) => [...s.pending()].map((e) => JSON.parse(e.payload).id as string);

/** Writes a log, returns its path, its length before the last record, and its full length. */
async function logWithLastRecord(last: 'put' | 'ack'): Promise<{ path: string; goodBytes: number; fullBytes: number; seqs: number[] }> {
  const path = fresh();
  const s = FileOutboxStore.open(path, { commitIntervalMs: 1 });
  const seqs = [1, 2, 3].map((i) => s.put(entry(i)).seq);
  await s.flush();
  const goodBytes = statSync(path).size;
  if (last === 'put') s.put(entry(4));
  else s.del(seqs[1]);
  await s.close();
  return { path, goodBytes, fullBytes: statSync(path).size, seqs };
}

for (const last of ['put', 'ack'] as const) {
  test(`a torn last ${last} record is cut off at every byte offset, the earlier records intact`, async (t) => {
    const { path, goodBytes, fullBytes } = await logWithLastRecord(last);
    t.true(fullBytes - goodBytes > HEADER_BYTES);
    for (let cut = goodBytes; cut < fullBytes; cut++) {
      const copy = `${path}.cut`;
      copyFileSync(path, copy);
      truncateSync(copy, cut);
      const s = FileOutboxStore.open(copy);
      t.deepEqual(ids(s), ['vt-1', 'vt-2', 'vt-3'], `cut at ${cut}`);
      t.is(s.report.discardedBytes, cut - goodBytes);
      if (cut > goodBytes) t.regex(s.report.problem ?? '', new RegExp(`torn record (header|body).* at byte ${goodBytes}$`));
      // The log stays appendable: what is written after recovery is read back behind the old records.
      s.put(entry(5));
      await s.close();
      const again = FileOutboxStore.open(copy);
      t.deepEqual(ids(again), ['vt-1', 'vt-2', 'vt-3', 'vt-5'], `after recovery at ${cut}`);
      t.is(again.report.discardedBytes, 0);
      await again.close();
    }
    // The whole file is read as written.
    const whole = FileOutboxStore.open(path);
    t.deepEqual(ids(whole), last === 'put' ? ['vt-1', 'vt-2', 'vt-3', 'vt-4'] : ['vt-1', 'vt-3']);
    await whole.close();
  });
}

test('a record with a bad CRC ends recovery there and is reported', async (t) => {
  const { path, goodBytes } = await logWithLastRecord('put');
  const buf = readFileSync(path);
  buf[goodBytes + HEADER_BYTES + 3] ^= 0x20;
  writeFileSync(path, buf);
  const s = FileOutboxStore.open(path);
  t.deepEqual(ids(s), ['vt-1', 'vt-2', 'vt-3']);
  t.regex(s.report.problem ?? '', new RegExp(`record CRC mismatch at byte ${goodBytes}`));
  await s.close();
});

test('an impossible length field is reported as such', async (t) => {
  const { path, goodBytes } = await logWithLastRecord('put');
  const buf = readFileSync(path);
  buf.writeUInt32LE(0xfffffff0, goodBytes);
  writeFileSync(path, buf);
  const s = FileOutboxStore.open(path);
  t.is(s.report.pending, 3);
  t.regex(s.report.problem ?? '', /impossible record length 4294967280/);
  await s.close();
});

test('group commit: one fsync per commitRecords records or per interval, never per message', async (t) => {
  const clock = manualTimers();
  const fsyncs: number[] = [];
  const s = FileOutboxStore.open(fresh(), { commitIntervalMs: 200, commitRecords: 100, fsync: (fd) => fsyncs.push(fd), timers: clock.timers });
  const durable = Array.from({ length: 1000 }, (_, i) => s.put(entry(i)).durable);
  t.is(fsyncs.length, 10, '1000 records at 100 per commit');
  await Promise.all(durable);

  let done = false;
  const few = Array.from({ length: 5 }, (_, i) => s.put(entry(i)).durable);
  void Promise.all(few).then(() => (done = true));
  await clock.advance(199);
  t.is(fsyncs.length, 10, 'no fsync before the interval');
  t.false(done, 'not durable before its fsync');
  s.del(1);
  s.del(2);
  await clock.advance(1);
  t.is(fsyncs.length, 11, 'puts and acks waiting together share one fsync');
  await Promise.all(few);
  t.true(done);
  await clock.advance(1000);
  t.is(fsyncs.length, 11, 'an idle log is not fsynced');
  await s.close();
});

test('a record is in the file as soon as put returns: a SIGKILL before the group commit loses nothing', async (t) => {
  const path = fresh();
  const clock = manualTimers();
  const fsyncs: number[] = [];
  const s = FileOutboxStore.open(path, { commitIntervalMs: 200, fsync: (fd) => fsyncs.push(fd), timers: clock.timers });
  s.put(entry(1));
  s.put(entry(2));
  s.del(1);
  t.is(fsyncs.length, 0, 'not yet committed');
  // The process dies here: no flush, no close. What it wrote is in the file.
  const after = FileOutboxStore.open(path);
  t.deepEqual(ids(after), ['vt-2']);
  t.is(after.report.discardedBytes, 0);
  await after.close();
});

test('a failed commit rejects its waiters, cuts what it wrote, and later commits still work', async (t) => {
  const path = fresh();
  let fail = false;
  const s = FileOutboxStore.open(path, { commitIntervalMs: 1, fsync: () => { if (fail) throw new Error('EIO: i/o error'); } });
  await s.put(entry(1)).durable;
  fail = true;
  await t.throwsAsync(s.put(entry(2)).durable, { message: /outbox .*: commit failed: EIO: i\/o error/ });
  fail = false;
  await s.put(entry(3)).durable;
  await s.close();
  const again = FileOutboxStore.open(path);
  // Entry 2 was never durable: after a restart it is gone, and nothing after it was lost.
  t.deepEqual(ids(again), ['vt-1', 'vt-3']);
  t.is(again.report.discardedBytes, 0);
  await again.close();
});

test('compaction keeps the log near the live size and loses nothing', async (t) => {
  const path = fresh();
  const s = FileOutboxStore.open(path, { commitIntervalMs: 1, commitRecords: 50, compactMinBytes: 16 * 1024 });
  for (let i = 0; i < 2000; i++) {
    const { seq } = s.put(entry(i));
    if (i % 10 !== 0) s.del(seq);
  }
  await s.flush();
  const size = statSync(path).size;
  t.true(size < 64 * 1024, `log is ${size} bytes for ${s.size.records} live entries`);
  const expected = ids(s);
  t.is(expected.length, 200);
  await s.close();
  const again = FileOutboxStore.open(path);
  t.deepEqual(ids(again), expected);
  await again.close();
});

test('a log of acknowledged entries is compacted on open', async (t) => {
  const path = fresh();
  const s = FileOutboxStore.open(path, { commitIntervalMs: 1 });
  for (let i = 0; i < 50; i++) s.del(s.put(entry(i)).seq);
  await s.close();
  t.true(statSync(path).size > 0);
  const again = FileOutboxStore.open(path);
  t.is(statSync(path).size, 0);
  await again.close();
});

test('bad options are refused naming the option', (t) => {
  t.throws(() => FileOutboxStore.open(fresh(), { commitIntervalMs: 0 }), { message: 'outbox commitIntervalMs: must be greater than 0, got 0' });
  t.throws(() => FileOutboxStore.open(fresh(), { commitRecords: -1 }), { message: /outbox commitRecords: must be greater than 0, got -1/ });
});
