import test from 'ava';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ensureNodesBuilt, nodesDir } from './build.ts';

// The node files are CommonJS with // @ts-check (Node-RED requires them); the
// root typecheck does not see them, so this checks them against dist/'s types.
test('the .cjs node files type-check (strict) against the compiled modules', async (t) => {
  await ensureNodesBuilt();
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', join(nodesDir, 'tsconfig.cjs.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    output = String((err as { stdout?: string }).stdout ?? err);
  }
  t.is(output, '');
});
