/**
 * Tests that need something outside the repository (the MIT-BIH data in
 * ../shared/data, mosquitto, Debian's Python with torch) declare it here.
 *
 * Under CI=true a missing requirement is a failure: CI installs everything, so a
 * missing piece means the CI script is wrong. Elsewhere the tests are skipped
 * with a message naming what is missing and how to provide it.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import anyTest, { type TestFn } from 'ava';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** MIT-BIH directory: $MITDB_DIR, else ../shared/data/mitdb beside the checkout. */
export const mitdbDir = process.env.MITDB_DIR ?? join(repoRoot, '..', 'shared', 'data', 'mitdb');
export const ec57Dir = join(mitdbDir, '..', 'mitdb-ec57');
export const nstdbDir = process.env.NSTDB_DIR ?? join(mitdbDir, '..', 'nstdb-noise');

/** Debian's Python, the one with python3-torch; the first python3 on PATH lacks it. */
export const debianPython = '/usr/bin/python3';

export interface Requirement {
  /** What is needed, as the skip/failure message says it. */
  what: string;
  /** Returns null when present, else why not. */
  check(): string | null;
}

export const mitdb: Requirement = {
  what: `MIT-BIH Arrhythmia data (set MITDB_DIR; looked in ${mitdbDir})`,
  check: () => (existsSync(join(mitdbDir, '100.hea')) ? null : `${mitdbDir}/100.hea not found`),
};

export const mitdbEc57: Requirement = {
  what: `EC57 oracles (../shared/data/mitdb-ec57; looked in ${ec57Dir})`,
  check: () => (existsSync(join(ec57Dir, 'bxb-gqrs-from0.txt')) ? null : `${ec57Dir}/bxb-gqrs-from0.txt not found`),
};

export const nstdb: Requirement = {
  what: `MIT-BIH noise stress recordings (set NSTDB_DIR; looked in ${nstdbDir})`,
  check: () => (existsSync(join(nstdbDir, 'em.hea')) ? null : `${nstdbDir}/em.hea not found`),
};

function onPath(program: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const mosquitto: Requirement = {
  what: 'mosquitto broker (apt-get install mosquitto)',
  check: () => (onPath('mosquitto') || existsSync('/usr/sbin/mosquitto') ? null : 'mosquitto not found'),
};

export const socat: Requirement = {
  what: 'socat (apt-get install socat)',
  check: () => (onPath('socat') ? null : 'socat not found'),
};

export const openssl: Requirement = {
  what: 'openssl (to make test certificates; apt-get install openssl)',
  check: () => (onPath('openssl') ? null : 'openssl not found'),
};

export const systemdAnalyze: Requirement = {
  what: 'systemd-analyze (Debian package systemd)',
  check: () => (onPath('systemd-analyze') ? null : 'systemd-analyze not found'),
};

export const pythonTorch: Requirement = {
  what: `Debian's Python with torch, onnx and numpy (apt-get install python3-torch python3-onnx python3-numpy) at ${debianPython}`,
  check: () => {
    try {
      execFileSync(debianPython, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' });
      return null;
    } catch {
      return `${debianPython} cannot import torch, onnx and numpy`;
    }
  },
};

/** Debian's chromium (driven by playwright-core); $CHROMIUM_PATH overrides. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromium: Requirement = {
  what: `Chromium for the page tests (apt-get install chromium) at ${chromiumPath}`,
  check: () => (existsSync(chromiumPath) ? null : `${chromiumPath} not found`),
};

const inCi = process.env.CI === 'true';

/**
 * The ava `test` function to use for tests needing `reqs`: the real one when all
 * are present; under CI a test that fails naming what is missing; elsewhere
 * `test.skip`, after printing why.
 */
export function testNeeding<Context = unknown>(...reqs: Requirement[]): TestFn<Context> {
  const missing = reqs.map((r) => ({ r, why: r.check() })).filter((m) => m.why !== null);
  const test = anyTest as TestFn<Context>;
  if (missing.length === 0) return test;
  const message = missing.map((m) => `${m.r.what}: ${m.why}`).join('; ');
  if (inCi) {
    test(`required for this file: ${missing.map((m) => m.r.what).join(', ')}`, (t) => {
      t.fail(`CI=true and a requirement is missing: ${message}`);
    });
    // Register the real tests as skipped so the count shows what did not run.
    return test.skip as unknown as TestFn<Context>;
  }
  console.warn(`skipping tests: ${message}`);
  return test.skip as unknown as TestFn<Context>;
}
