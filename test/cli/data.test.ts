import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';
import { deadUrl, startFakePhysionet } from '../sources/physionet/fake-physionet.ts';

const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'data', ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
}

function tempDir(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'data-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('data fetch downloads and verifies every file, quietly in a pipe, and says so once', async (t) => {
  const db = await startFakePhysionet({ cutOnce: ['102.dat'] });
  t.teardown(db.close);
  const dir = join(tempDir(t), 'mitdb');
  const r = await cli('fetch', 'mitdb', '--to', dir, '--base-url', db.baseUrl);
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, '');
  t.is(r.stdout, `mitdb: ${db.files.size} files in ${dir}: ${db.files.size} downloaded (1 resumed), 0 already present; SHA-256 verified\n`);
  for (const [path, data] of db.files) t.true(readFileSync(join(dir, path)).equals(data), path);
  const again = await cli('fetch', 'mitdb', '--to', dir, '--base-url', db.baseUrl);
  t.regex(again.stdout, new RegExp(`0 downloaded, ${db.files.size} already present`));
});

test('data fetch --records takes a comma list; an unknown record exits 2', async (t) => {
  const db = await startFakePhysionet();
  t.teardown(db.close);
  const dir = tempDir(t);
  const r = await cli('fetch', 'nstdb', '--to', dir, '--base-url', db.baseUrl, '--records', '100,102');
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^nstdb: 6 files/);
  t.false(existsSync(join(dir, '101.dat')));
  const bad = await cli('fetch', 'mitdb', '--to', dir, '--base-url', db.baseUrl, '--records', '100', '--records', '250');
  t.is(bad.code, 2);
  t.regex(bad.stderr, /record\(s\) 250 not listed/);
});

test('a corrupted file exits 1 naming it', async (t) => {
  const db = await startFakePhysionet({ wrongHash: ['101.hea'] });
  t.teardown(db.close);
  const r = await cli('fetch', 'mitdb', '--to', tempDir(t), '--base-url', db.baseUrl);
  t.is(r.code, 1);
  t.regex(r.stderr, /101\.hea: SHA-256 mismatch .* the file was deleted/);
  t.regex(r.stdout, /1 FAILED/);
});

test('offline: exits 1 saying the network is unreachable and which URL failed', async (t) => {
  const base = await deadUrl();
  const r = await cli('fetch', 'mitdb', '--to', tempDir(t), '--base-url', base, '--retries', '0');
  t.is(r.code, 1);
  t.is(r.stderr.trim().split('\n').length, 1);
  t.regex(r.stderr, new RegExp(`network unreachable: could not reach ${base.replace(/[.]/g, '\\.')}SHA256SUMS\\.txt \\(ECONNREFUSED`));
});

test('bad usage exits 2 naming what is wrong and what is allowed', async (t) => {
  const noDb = await cli('fetch', 'ptbdb', '--to', 'x');
  t.is(noDb.code, 2);
  t.regex(noDb.stderr, /unknown database 'ptbdb'; allowed: mitdb, nstdb/);
  const noTo = await cli('fetch', 'mitdb');
  t.is(noTo.code, 2);
  t.regex(noTo.stderr, /--to DIR is required/);
  const noAction = await cli('pull', 'mitdb');
  t.is(noAction.code, 2);
  t.regex(noAction.stderr, /expected 'fetch', got 'pull'/);
  const retries = await cli('fetch', 'mitdb', '--to', 'x', '--retries', '-1');
  t.is(retries.code, 2);
});
