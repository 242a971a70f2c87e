/**
 * The real agent as a child process for the flow tests: `arrhythminet run`
 * with a config written to a temporary directory (a synthetic scenario,
 * publishing to the test's broker, its own outbox), the shipped model and
 * every other setting at its default.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';

export interface AgentRun {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and what the agent wrote to stderr. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export interface AgentDir {
  configPath: string;
  remove(): void;
}

/** A config (JSON, which YAML reads) with `source` and the broker at 127.0.0.1:port. */
export function agentConfig(port: number, gateway: string, source: Record<string, unknown>): AgentDir {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-replay-'));
  const configPath = join(dir, 'agent.yaml');
  writeFileSync(configPath, JSON.stringify({
    gateway, channel: 'ch0', source,
    mqtt: { url: `mqtt://127.0.0.1:${port}` },
    outbox: { dir: join(dir, 'state') },
    log: { level: 'warn' },
  }, null, 2));
  return { configPath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts `node agent/bin/arrhythminet.js run --config FILE --quiet ...args`. */
export function startAgent(configPath: string, args: string[] = []): AgentRun {
  const child = spawn(process.execPath, [join(repoRoot, 'agent', 'bin', 'arrhythminet.js'), 'run', '--config', configPath, '--quiet', ...args], {
    cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, exited };
}
