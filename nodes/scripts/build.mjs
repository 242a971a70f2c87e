#!/usr/bin/env node
/**
 * Builds the package for Node-RED: compiles src/ (TypeScript) to dist/ (ESM
 * JavaScript) and copies in what the nodes read at run time, so an installed
 * package never reaches into the ArrhythmiNet repository:
 * - the payload JSON Schemas, from ../docs/schemas (the published contract);
 * - models/spec.json and the shipped models/*.onnx with their cards.
 * Run by `npm run build`, and by npm itself on `prepare` (git install) and
 * `prepack` (npm pack / publish). Usage: node scripts/build.mjs [--no-tsc]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(pkgDir, '..');
const dist = join(pkgDir, 'dist');
const KINDS = ['status', 'beat', 'event', 'explain', 'vitals'];

if (!process.argv.includes('--no-tsc')) {
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  rmSync(dist, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', pkgDir], { stdio: 'inherit' });
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
