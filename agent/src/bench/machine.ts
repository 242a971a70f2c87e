/**
 * The machine a benchmark ran on, for the report: CPU model (/proc/cpuinfo),
 * logical cores, memory, Node and platform, and the load average before and
 * after (the numbers mean little on a loaded machine, so the load is recorded).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryMb: number;
  node: string;
  platform: string;
  /** How the agent's code ran: the esbuild bundle (agent/bin/bundle.js) or TypeScript through tsx. */
  runtime: 'bundle' | 'tsx';
  /** Node's own command-line flags (V8 heap settings). */
  execArgv: string[];
  /** 1, 5, 15 min load averages when the bench started and ended. */
  loadStart: number[];
  loadEnd: number[];
}

/** CPU model name from /proc/cpuinfo; os.cpus() where that file is absent. */
export function cpuModelName(cpuinfo: string | null): string {
  const line = cpuinfo?.split('\n').find((l) => /^(model name|Model|Hardware)\s*:/.test(l));
  if (line) return line.slice(line.indexOf(':') + 1).trim();
  return cpus()[0]?.model ?? 'unknown';
}

function readCpuinfo(): string | null {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null;
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

export function describeMachine(loadStart: number[]): MachineInfo {
  return {
    cpuModel: cpuModelName(readCpuinfo()),
    cores: cpus().length,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // Set by agent/bin/arrhythminet.js; code imported some other way (tests) runs through tsx.
    runtime: process.env.ARRHYTHMINET_RUNTIME === 'bundle' ? 'bundle' : 'tsx',
    execArgv: [...process.execArgv],
    loadStart: loadStart.map(round2),
    loadEnd: loadavg().map(round2),
  };
}
