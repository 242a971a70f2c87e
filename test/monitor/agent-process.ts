/**
 * The real agent as a child process for the page tests: `arrhythminet run`
 * on a synthetic scenario, the embedded broker on a free port, the monitor
 * page on a given port, the shipped model. Resolves the page's and the
 * broker's addresses from the agent's JSON log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/requires.ts';

export interface MonitoredAgent {
  child: ChildProcess;
  /** The page's address and the embedded broker's, once logged. */
  ready: Promise<{ pageUrl: string; brokerUrl: string }>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** A port free now (the agent is restarted on the same one, so it cannot be 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A config directory with the scenario and the page on `port`. */
export function monitorConfig(port: number, scenario: unknown[]): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-monitor-'));
  const path = join(dir, 'agent.json');
  writeFileSync(path, JSON.stringify({
    source: { type: 'synthetic', pvcEverySeconds: 0, scenario },
    mqtt: { embeddedPort: 0 },
    outbox: { dir: join(dir, 'state') },
    monitor: { enabled: true, port },
    log: { level: 'info' },
  }));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startMonitoredAgent(configPath: string): MonitoredAgent {
  const child = spawn(process.execPath, [join(repoRoot, 'agent', 'bin', 'arrhythminet.js'), 'run', '--config', configPath, '--quiet'], {
    cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const ready = new Promise<{ pageUrl: string; brokerUrl: string }>((resolve, reject) => {
    let brokerUrl = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const line of stderr.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; url?: string; broker?: string };
          if (entry.broker && entry.msg === 'mqtt: publishing') brokerUrl = entry.broker;
          if (entry.url && entry.msg?.startsWith('monitor: the page is at')) resolve({ pageUrl: entry.url, brokerUrl });
        } catch { /* a partial line */ }
      }
    });
    child.on('exit', (code) => reject(new Error(`agent exited (${code}) before serving the page:\n${stderr}`)));
  });
  ready.catch(() => {});
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, ready, exited, stderr: () => stderr };
}
