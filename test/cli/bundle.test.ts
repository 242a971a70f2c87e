/**
 * The command runs the agent's esbuild bundle (agent/bin/bundle.js), built when
 * stale, and the bundle behaves as the TypeScript through tsx: same output,
 * and code that reads files beside its source (spec, schemas, package.json)
 * finds them from inside the bundle.
 */
import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import { arrhythminetBin, cli } from '../helpers/cli.ts';
import { repoRoot } from '../helpers/requires.ts';

const run = promisify(execFile);
const bundle = join(repoRoot, 'agent', 'dist', 'arrhythminet.mjs');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

test('the bundle gives the same output as the TypeScript through tsx, and is fresh after a run', async (t) => {
  const bundled = await cli('help', 'bench');
  t.is(bundled.code, 0, bundled.stderr);
  t.true(statSync(bundle).mtimeMs >= newestSource(join(repoRoot, 'agent', 'src')), 'bundle rebuilt when older than a source file');
  const tsx = await run(process.execPath, [arrhythminetBin, 'help', 'bench'], { env: { ...process.env, ARRHYTHMINET_TSX: '1' } });
  t.is(bundled.stdout, tsx.stdout);
  t.is(bundled.stderr, '');
});

test('bench --soak --quick runs from the bundle: the agent finds its spec, schemas and model, and the soak reports its queues', async (t) => {
  const r = await cli('bench', '--soak', '--quick', '--json');
  t.is(r.code, 0, r.stderr.slice(-2000));
  const result = JSON.parse(r.stdout) as { kind: string; machine: { runtime: string }; endToEnd: { beats: number; soak: { maxQueues: Record<string, number>; rows: unknown[] } } };
  t.is(result.kind, 'soak');
  t.is(result.machine.runtime, 'bundle');
  t.true(result.endToEnd.beats > 0);
  t.deepEqual(Object.keys(result.endToEnd.soak.maxQueues).sort(), ['classifyHeld', 'classifyPending', 'mqttInflight', 'outboxRecords']);
  t.true(Object.values(result.endToEnd.soak.maxQueues).every((n) => Number.isInteger(n) && n >= 0));
  t.deepEqual(result.endToEnd.soak.rows, [], 'a few seconds of signal cross no hour');
  const bad = await cli('bench', '--soak', '--strict');
  t.is(bad.code, 2);
  t.regex(bad.stderr, /--strict does not go with --soak/);
});
