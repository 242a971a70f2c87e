#!/usr/bin/env node
/**
 * Builds the package for Node-RED: compiles src/ (TypeScript) to dist/ (ESM
 * JavaScript) and copies in what the nodes read at run time, so an installed
 * package never reaches into the ArrhythmiNet repository:
 * - the payload JSON Schemas, from ../docs/schemas (the published contract);
 * - models/spec.json and the shipped models/*.onnx with their cards;
 * - the beat renderer, agent/src/explain/render/beat-svg.ts (the one renderer
 *   of the project, shared with `arrhythminet explain`), bundled by esbuild as
 *   dist/render/svg.js with its declarations.
 * Run by `npm run build`, and by npm itself on `prepare` (git install) and
 * `prepack` (npm pack / publish). Usage: node scripts/build.mjs [--no-tsc]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(pkgDir, '..');
const dist = join(pkgDir, 'dist');
const KINDS = ['status', 'beat', 'event', 'explain', 'vitals'];

const require = createRequire(import.meta.url);
const renderer = join(repoDir, 'agent', 'src', 'explain', 'render', 'beat-svg.ts');
if (!process.argv.includes('--no-tsc')) {
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', pkgDir], { stdio: 'inherit' });
  if (!existsSync(renderer)) throw new Error(`build: ${renderer} not found; the render node's SVG code is the agent's renderer, built from a checkout of the ArrhythmiNet repository`);
  require('esbuild').buildSync({ entryPoints: [renderer], bundle: true, format: 'esm', platform: 'node', target: 'node20', outfile: join(dist, 'render', 'svg.js'), logLevel: 'warning' });
  execFileSync(process.execPath, [tsc, '--ignoreConfig', '--declaration', '--emitDeclarationOnly', '--outDir', join(dist, 'render'), '--module', 'nodenext',
    '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', renderer], { stdio: 'inherit' });
  renameSync(join(dist, 'render', 'beat-svg.d.ts'), join(dist, 'render', 'svg.d.ts'));
}

const published = join(repoDir, 'docs', 'schemas');
const missing = KINDS.filter((k) => !existsSync(join(published, `${k}.schema.json`)));
if (missing.length > 0) {
  throw new Error(`build: ${published} lacks ${missing.map((k) => `${k}.schema.json`).join(', ')}; the package carries the agent's published payload schemas and is built from a checkout of the ArrhythmiNet repository`);
}
mkdirSync(join(dist, 'schemas'), { recursive: true });
for (const k of KINDS) copyFileSync(join(published, `${k}.schema.json`), join(dist, 'schemas', `${k}.schema.json`));

const models = join(repoDir, 'models');
mkdirSync(join(dist, 'models'), { recursive: true });
if (existsSync(join(models, 'spec.json'))) {
  for (const f of readdirSync(models)) {
    if (f === 'spec.json' || f.endsWith('.onnx') || f.endsWith('.card.json')) copyFileSync(join(models, f), join(dist, 'models', f));
  }
} else if (!existsSync(join(dist, 'models', 'spec.json'))) {
  console.warn(`build: ${models}/spec.json not found; the classify node needs a model path and its spec.json beside it`);
}
