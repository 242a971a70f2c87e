/** Runs the real `arrhythminet` command as a child process, as a user would. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeFile } from 'node:fs/promises';
import { repoRoot } from './requires.ts';

const run = promisify(execFile);
export const arrhythminetBin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

export interface CliResult {
  /** Exit code (0 on success). */
  code: number;
  stdout: string;
  stderr: string;
}

/** `arrhythminet ...args`; never throws for a non-zero exit, it is in `code`. */
export async function cli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [arrhythminetBin, ...args], { maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Writes DIR/agent.yaml for `run`: a WFDB record replayed at full speed to the
 * broker at `brokerUrl` (MQTT 3.1.1, which aedes speaks), outbox in DIR/state.
 * Returns the file's path.
 */
export async function writeWfdbReplayConfig(dir: string, o: { gateway: string; channel: string; record: string; brokerUrl: string }): Promise<string> {
  const config = join(dir, 'agent.yaml');
  await writeFile(config, [
    `gateway: ${o.gateway}`, `channel: ${o.channel}`,
    'source:', '  type: wfdb', `  record: ${o.record}`, '  speed: fast',
    'mqtt:', `  url: ${o.brokerUrl}`, '  protocolVersion: 4',
    'outbox:', `  dir: ${join(dir, 'state')}`, '',
  ].join('\n'));
  return config;
}
