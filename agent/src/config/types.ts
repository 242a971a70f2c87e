/** TypeScript view of configSchema (schema.ts), after defaults and secrets are applied. */
import type { ScenarioStep } from '../sources/synthetic/scenario.ts';

export interface SyntheticSourceConfig {
  type: 'synthetic';
  rateHz: number;
  heartRateBpm: number;
  seed: number;
  pvcEverySeconds: number;
  apcEverySeconds: number;
  framed: boolean;
  /** Scripted steps (sources/synthetic/scenario.ts). */
  scenario: ScenarioStep[];
}

export interface SerialSourceConfig {
  type: 'serial';
  path: string;
  baud: number;
  format: 'ours' | 'openview';
  openviewLayout: 'breakout-2017' | 'healthypi-v3' | 'breakout-2025';
  rateHz: number;
  gain: 1 | 2 | 3 | 4 | 6 | 8 | 12;
  vrefV: 2.42 | 4.033;
  ecgChannel: 1 | 2;
  /** ADS1292 channel of a second ECG lead, or null for none. */
  secondEcgChannel: 1 | 2 | null;
}

export interface WfdbSourceConfig {
  type: 'wfdb';
  record: string;
  signal: string;
  /** Second ECG lead: a signal name or index, 'auto' (the record's first other signal) or 'none'. */
  secondSignal: string;
  speed: 'realtime' | 'fast';
}

export type SourceConfig = SyntheticSourceConfig | SerialSourceConfig | WfdbSourceConfig;

export interface AgentConfig {
  gateway: string;
  channel: string;
  source: SourceConfig;
  dsp: { mainsHz: 50 | 60; leads: 1 | 2 };
  model: { path: string; minConfidence: number; batchSize: number; gradcam: 'off' | 'non-normal' | 'all' };
  rhythm: {
    runMinBeats: number; runTachyBpm: number; patternMinCycles: number; rateBeats: number;
    tachyStartBpm: number; tachyEndBpm: number; bradyStartBpm: number; bradyEndBpm: number;
    pauseMs: number; updateIntervalMs: number; runTachyMaxRrRatio: number; poorSignalClearMs: number; runConfirmMs: number;
  };
  mqtt: {
    url: string;
    embeddedPort: number;
    clientId?: string;
    username?: string;
    /** Resolved from the config's literal, env var or file; never logged. */
    password?: string;
    protocolVersion: 5 | 4;
    tls?: { ca?: string; cert?: string; key?: string; keyPassphrase?: string; rejectUnauthorized: boolean };
    publishBeats: boolean;
    vitalsIntervalS: number;
  };
  outbox: { dir: string; maxBytes: number; commitIntervalMs: number };
  monitor: {
    /** Serve the monitor page (off unless set, except with the embedded defaults). */
    enabled: boolean;
    host: string;
    port: number;
    /** Resolved from the config's literal, env var or file; never logged. Required off loopback. */
    token?: string;
  };
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
}
