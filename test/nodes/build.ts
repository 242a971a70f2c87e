/**
 * The node tests run the package as Node-RED loads it: the .cjs node files and
 * the compiled dist/. This builds dist/ (nodes/scripts/build.mjs) when any
 * input is newer than the last build, once across ava's parallel test
 * processes (a mkdir lock).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../helpers/requires.ts';

export const nodesDir = join(repoRoot, 'nodes');
const stamp = join(nodesDir, '.build-stamp');
const lock = join(nodesDir, '.build-lock');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

const inputs = ['nodes/src', 'nodes/scripts', 'nodes/tsconfig.json', 'docs/schemas', 'agent/src/explain/render/beat-svg.ts'];
/** The shipped models and spec: files directly in models/ (not the training cache below it). */
function newestModel(): number {
  const dir = join(repoRoot, 'models');
  if (!existsSync(dir)) return 0;
  return Math.max(statSync(dir).mtimeMs, ...readdirSync(dir).filter((f) => /\.(onnx|json)$/.test(f)).map((f) => statSync(join(dir, f)).mtimeMs));
}
const stale = () => !existsSync(stamp) || Math.max(newestModel(), ...inputs.map((p) => newest(join(repoRoot, p)))) > statSync(stamp).mtimeMs;

export async function ensureNodesBuilt(): Promise<void> {
  if (!stale()) return;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test process builds; a lock older than a minute is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 60_000) rmdirSync(lock);
      await sleep(200);
    }
  }
  try {
    if (stale()) {
      execFileSync(process.execPath, [join(nodesDir, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'pipe'] });
      writeFileSync(stamp, '');
    }
  } finally {
    rmdirSync(lock);
  }
}

/** A node file as Node-RED requires it. */
export function nodeModule(name: string): (red: unknown) => Promise<void> {
  return createRequire(import.meta.url)(join(nodesDir, `${name}.cjs`)) as (red: unknown) => Promise<void>;
}
