import test from 'ava';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchDatabase, UnknownRecordsError } from '../../../agent/src/sources/physionet/fetch-database.ts';
import { NetworkUnreachableError } from '../../../agent/src/sources/physionet/download.ts';
import { parseSha256Sums, selectRecords } from '../../../agent/src/sources/physionet/sha256sums.ts';
import { deadUrl, startFakePhysionet, type FakeDatabase } from './fake-physionet.ts';

const fast = { retries: 2, backoffMs: 10 };

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'physionet-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sameFiles(dir: string, db: FakeDatabase, paths = [...db.files.keys()]): boolean {
  return paths.every((p) => existsSync(join(dir, p)) && readFileSync(join(dir, p)).equals(db.files.get(p)!));
}

test('downloads every listed file, verified; a second run downloads nothing', async (t) => {
  const db = await startFakePhysionet();
  t.teardown(db.close);
  const dir = tempDir(t);
  const first = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, ...fast });
  t.deepEqual(first.downloaded.sort(), [...db.files.keys()].sort());
  t.deepEqual(first.failed, []);
  t.true(sameFiles(dir, db));
  db.log.length = 0;
  const second = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, ...fast });
  t.deepEqual(second.present.sort(), [...db.files.keys()].sort());
  t.deepEqual(second.downloaded, []);
  t.deepEqual(db.log.map((r) => r.path), ['SHA256SUMS.txt']);
});

test('a transfer cut halfway is retried with a Range request and completes', async (t) => {
  const db = await startFakePhysionet({ cutOnce: ['101.dat'] });
  t.teardown(db.close);
  const dir = tempDir(t);
  const report = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, ...fast });
  t.deepEqual(report.failed, []);
  t.deepEqual(report.resumed, ['101.dat']);
  t.true(sameFiles(dir, db));
  const gets = db.log.filter((r) => r.path === '101.dat');
  t.is(gets.length, 2);
  t.is(gets[0].range, undefined);
  const offset = Number(/^bytes=(\d+)-$/.exec(gets[1].range ?? '')?.[1]);
  t.true(offset > 0 && offset < db.files.get('101.dat')!.length, `resumed from ${gets[1].range}`);
  t.false(existsSync(join(dir, '101.dat.part')));
});

test('a partial file left by an interrupted run is resumed by the next run', async (t) => {
  const db = await startFakePhysionet({ cutOnce: ['100.dat'] });
  t.teardown(db.close);
  const dir = tempDir(t);
  const first = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, retries: 0, records: ['100'] });
  t.deepEqual(first.failed.map((f) => f.path), ['100.dat']);
  t.regex(first.failed[0].reason, /run again to resume/);
  t.true(existsSync(join(dir, '100.dat.part')));
  const second = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, retries: 0, records: ['100'] });
  t.deepEqual(second.downloaded, ['100.dat']);
  t.deepEqual(second.resumed, ['100.dat']);
  t.true(sameFiles(dir, db, ['100.hea', '100.dat', '100.atr']));
  t.regex(db.log.filter((r) => r.path === '100.dat').at(-1)?.range ?? '', /^bytes=[1-9]\d*-$/);
});

test('a file whose hash does not match is deleted and reported; the others are kept', async (t) => {
  const db = await startFakePhysionet({ wrongHash: ['102.atr'] });
  t.teardown(db.close);
  const dir = tempDir(t);
  const report = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, ...fast });
  t.deepEqual(report.failed.map((f) => f.path), ['102.atr']);
  t.regex(report.failed[0].reason, /SHA-256 mismatch for .*102\.atr: expected [0-9a-f]{64}, got [0-9a-f]{64}; the file was deleted/);
  t.false(existsSync(join(dir, '102.atr')));
  t.false(existsSync(join(dir, '102.atr.part')));
  t.true(sameFiles(dir, db, [...db.files.keys()].filter((p) => p !== '102.atr')));
});

test('a present file with the wrong content is downloaded again', async (t) => {
  const db = await startFakePhysionet();
  t.teardown(db.close);
  const dir = tempDir(t);
  writeFileSync(join(dir, '100.hea'), 'stale\n');
  const report = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, records: ['100'], ...fast });
  t.true(report.downloaded.includes('100.hea'));
  t.true(sameFiles(dir, db, ['100.hea']));
});

test('--records picks the records\' files; an unknown record is named', async (t) => {
  const db = await startFakePhysionet();
  t.teardown(db.close);
  const dir = tempDir(t);
  const report = await fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, records: ['101'], ...fast });
  t.deepEqual(report.downloaded.sort(), ['101.atr', '101.dat', '101.hea']);
  await t.throwsAsync(fetchDatabase({ baseUrl: db.baseUrl, toDir: dir, records: ['101', '999'], ...fast }),
    { instanceOf: UnknownRecordsError, message: /record\(s\) 999 not listed in .*SHA256SUMS.txt/ });
});

test('nothing listening: network unreachable, naming the URL', async (t) => {
  const baseUrl = await deadUrl();
  const err = await t.throwsAsync(fetchDatabase({ baseUrl, toDir: tempDir(t), ...fast }), { instanceOf: NetworkUnreachableError });
  t.regex(err!.message, /network unreachable: could not reach http:\/\/127\.0\.0\.1:\d+\/db\/SHA256SUMS\.txt \(ECONNREFUSED/);
});

test('a server that never answers times out as unreachable', async (t) => {
  const db = await startFakePhysionet({ silent: true });
  t.teardown(db.close);
  const err = await t.throwsAsync(fetchDatabase({ baseUrl: db.baseUrl, toDir: tempDir(t), retries: 1, backoffMs: 10, idleTimeoutMs: 200 }),
    { instanceOf: NetworkUnreachableError });
  t.regex(err!.message, /TIMEOUT/);
  t.is(db.log.length, 2);
});

test('SHA256SUMS lines are checked: bad lines and escaping paths are named', (t) => {
  const h = 'a'.repeat(64);
  t.deepEqual(parseSha256Sums(`${h}  100.dat\r\n${h.toUpperCase()} *sub/x.hea\n\n${h} 100.atr\n`, 'S'), [
    { path: '100.dat', sha256: h }, { path: 'sub/x.hea', sha256: h }, { path: '100.atr', sha256: h }]);
  t.throws(() => parseSha256Sums(`${h}  100.dat\nnot a line\n`, 'SUMS'), { message: /SUMS line 2: expected '<64 hex digits> <path>', got 'not a line'/ });
  t.throws(() => parseSha256Sums(`${h}  ../etc/passwd\n`, 'SUMS'), { message: /line 1: path '..\/etc\/passwd' is not a plain relative path/ });
  t.throws(() => parseSha256Sums('', 'SUMS'), { message: /SUMS: no files listed/ });
  const files = parseSha256Sums(`${h}  100.dat\n${h}  100.hea\n${h}  1000.dat\n${h}  x/100.dat\n`, 'S');
  t.deepEqual(selectRecords(files, ['100', '7']), { selected: files.slice(0, 2), unknown: ['7'] });
});
