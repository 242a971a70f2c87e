/**
 * A real mosquitto for tests, started on a given port with a config written
 * here, and the process helpers the outage tests share.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '../publish/mqtt-helpers.ts';

const MOSQUITTO = '/usr/sbin/mosquitto';

export interface Broker {
  proc: ChildProcess;
  /** What mosquitto logged so far. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Writes a mosquitto.conf in `dir`: loopback `port`, anonymous, logs on stderr;
 * with `persistent`, sessions are saved in `dir` so they survive a restart.
 */
export function writeMosquittoConf(dir: string, port: number, { persistent }: { persistent: boolean }): string {
  const conf = join(dir, 'mosquitto.conf');
  const persistence = persistent
    // Started as root, mosquitto drops to user "mosquitto", which cannot write our temp dir.
    ? ['persistence true', `persistence_location ${dir}/`, `user ${userInfo().username}`]
    : [];
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', ...persistence,
    'log_dest stderr', 'log_type notice', 'log_type information', ''].join('\n'));
  return conf;
}

/** Starts mosquitto with `conf` and resolves once it listens on `port`. */
export async function startMosquitto(conf: string, port: number): Promise<Broker> {
  const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const up = await waitUntil(() => err.includes(`listen socket on port ${port}`) || proc.exitCode !== null, 5000);
  if (!up || proc.exitCode !== null) throw new Error(`mosquitto did not start: ${err}`);
  return {
    proc,
    log: () => err,
    stop: () => new Promise((r) => (proc.exitCode !== null ? r() : (proc.once('exit', () => r()), proc.kill('SIGTERM')))),
  };
}

/** Resolves when `p` has exited (at once if it already has). */
export const exited = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
