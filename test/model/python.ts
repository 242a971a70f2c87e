/**
 * Runs Debian's Python with models/training on the path, for tests that
 * compare the agent with the training code; results come back as raw
 * little-endian arrays in a temp dir the caller removes.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { debianPython, mitdbDir, repoRoot } from '../helpers/requires.ts';

const run = promisify(execFile);
export const trainingDir = join(repoRoot, 'models', 'training');

/** Runs `code` (Python) with models/training importable and MITDB_DIR set. */
export async function python(code: string, args: string[] = []): Promise<string> {
  const { stdout } = await run(debianPython, ['-c', `import sys; sys.path.insert(0, ${JSON.stringify(trainingDir)})\n${code}`, ...args], {
    env: { ...process.env, MITDB_DIR: mitdbDir }, maxBuffer: 1 << 26,
  });
  return stdout;
}

export async function pythonScript(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(debianPython, [join(trainingDir, script), ...args], { env: { ...process.env, MITDB_DIR: mitdbDir }, maxBuffer: 1 << 26 });
  return stdout;
}

/** A one-epoch smoke training of V2 on record 100 (test record 101) into `out`: a checkpoint for the export and CV tests. */
export async function smokeTraining(out: string): Promise<void> {
  await pythonScript('train.py', ['--model', 'v2', '--protocol', 'inter', '--smoke', '--records', '100', '--test-records', '101', '--out', out]);
}

export function f32(path: string): Float32Array {
  const b = readFileSync(path);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function i32(path: string): Int32Array {
  const b = readFileSync(path);
  return new Int32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
