#!/usr/bin/env -S node --max-semi-space-size=4 --max-old-space-size=128
// Entry point of the `arrhythminet` command. Runs the agent's plain-JS bundle
// (agent/bin/bundle.js: built by esbuild when missing or older than a file
// under agent/src, so a fresh `npm ci && npm start` needs no separate build).
// Where it cannot be built (a read-only install whose bundle is stale,
// esbuild missing), or with ARRHYTHMINET_TSX=1, the TypeScript runs through
// tsx's loader instead: same code, ~37 MB more RSS.
// V8 heap flags (shebang, npm start/bench, the systemd unit): a 4-MB young
// generation semi-space (default 16) and a 128-MB old generation keep V8
// collecting instead of growing its heap at full speed; the live heap is
// ~21 MB (docs/benchmarks.md, "Where the memory goes"). npm start/bench and
// the unit also set MALLOC_ARENA_MAX=2 (fewer glibc malloc arenas).
import { pathToFileURL } from 'node:url';

// `arrhythminet eval ... | head`: the reader went away; stop quietly, as Unix tools do.
// Any other failure to write stdout (a full disk: ENOSPC) is a runtime failure, said in one line.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`arrhythminet: cannot write standard output: ${err.code ?? err.message}\n`);
  process.exit(1);
});
import { buildBundle, bundleIsFresh, bundlePath } from './bundle.js';

let entry = null;
if (process.env.ARRHYTHMINET_TSX !== '1') {
  try {
    if (!bundleIsFresh()) await buildBundle();
    entry = pathToFileURL(bundlePath).href;
  } catch (err) {
    process.stderr.write(`arrhythminet: running through tsx, the bundle could not be built: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
  }
}
if (entry === null) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = '../src/cli/main.ts';
}
process.env.ARRHYTHMINET_RUNTIME = entry.endsWith('.mjs') ? 'bundle' : 'tsx';
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
