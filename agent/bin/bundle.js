// The agent's plain-JS bundle: agent/src/cli/main.ts and everything it imports
// from agent/src, in one ESM file built by esbuild (dependencies stay in
// node_modules). Running it instead of the TypeScript through tsx's loader
// saves ~37 MB of RSS and the start-up compile (docs/benchmarks.md).
// Fresh = newer than every file under agent/src. Source files find their data
// (models/spec.json, docs/schemas, package.json) relative to their own path:
// each file's import.meta.url/dirname is rewritten to its original location.
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const srcDir = join(root, 'agent', 'src');
export const bundlePath = join(root, 'agent', 'dist', 'arrhythminet.mjs');

function newestMtimeMs(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** True when the bundle exists and no file under agent/src is newer. */
export function bundleIsFresh() {
  let built;
  try { built = statSync(bundlePath).mtimeMs; } catch { return false; }
  return built >= newestMtimeMs(srcDir);
}

/** Where each source file really is, for code that reads files beside it. */
const importMetaPlugin = {
  name: 'import-meta-of-source',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.')) return { contents: text, loader: 'ts' };
      const url = JSON.stringify(encodeURI(relative(dirname(bundlePath), args.path).split(sep).join('/')));
      const fileUrl = `new URL(${url}, import.meta.url).href`;
      const contents = text
        .replaceAll('import.meta.url', fileUrl)
        .replaceAll('import.meta.dirname', `__import_meta_dirname(${fileUrl})`)
        .replaceAll('import.meta.filename', `__import_meta_filename(${fileUrl})`);
      return { contents, loader: 'ts' };
    });
  },
};

const banner = [
  "import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "import { dirname as __dirname_of } from 'node:path';",
  'const __import_meta_filename = (u) => __fileURLToPath(u);',
  'const __import_meta_dirname = (u) => __dirname_of(__fileURLToPath(u));',
].join('\n');

/** Builds the bundle (atomically: concurrent builders never leave a half-written file). */
export async function buildBundle() {
  const esbuild = await import('esbuild');
  mkdirSync(dirname(bundlePath), { recursive: true });
  const tmp = `${bundlePath}.${process.pid}.tmp`;
  // Stamped with the time the build began: a source saved while it ran is newer, so the bundle stays stale.
  const began = new Date();
  try {
    await esbuild.build({
      entryPoints: [join(srcDir, 'cli', 'main.ts')],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      plugins: [importMetaPlugin],
      banner: { js: banner },
      logLevel: 'error',
    });
    utimesSync(tmp, began, began);
    renameSync(tmp, bundlePath);
  } finally {
    rmSync(tmp, { force: true });
    await esbuild.stop?.();
  }
}
