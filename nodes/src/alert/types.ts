/**
 * Types of the alert policy: its options (with defaults in one place), the
 * clock it runs on, and the messages it sends.
 *
 * Limits: times are taken from the injected clock at reception, not from the
 * samples' wall-clock stamps, so a replay faster than real time compresses the
 * policy's windows; the policy is meant for live streams.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULES = ['vt', 'v-run', 'pvc-burden', 'hr-high', 'hr-low', 'pause', 'lead-off', 'offline'] as const;
export type RuleName = (typeof RULES)[number];

/** Timers as the policy needs them; tests pass sinon's fake timers. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface AlertOptions {
  /** Severity of a run of V (2 or more consecutive PVCs beyond a couplet; the agent's 'v-run'). Default warning. */
  vRunSeverity: Severity;
  /** Severity of ventricular tachycardia (the agent's 'vt'). Default critical. */
  vtSeverity: Severity;
  /** PVCs counted over the last `burdenWindowMs` that raise the burden alert. Default 10. */
  burdenRaiseCount: number;
  /** The burden alert clears when the count falls to this or below (hysteresis). Default 5. */
  burdenClearCount: number;
  /** Sliding window of the PVC burden, ms. Default 60000. */
  burdenWindowMs: number;
  burdenSeverity: Severity;
  /** Heart rate above this raises hr-high, bpm. Default 130. */
  hrHighBpm: number;
  /** Heart rate below this raises hr-low, bpm. Default 40. */
  hrLowBpm: number;
  /** A heart-rate alert clears only once the rate is this far back inside the limit, bpm. Default 5. */
  hrHysteresisBpm: number;
  hrSeverity: Severity;
  pauseSeverity: Severity;
  /** A lead-off episode raises its alert when it lasts longer than this, ms. Default 10000. */
  leadOffAfterMs: number;
  leadOffSeverity: Severity;
  /** A gateway reported offline (last will) raises its alert after this long, ms. Default 30000. */
  offlineAfterMs: number;
  offlineSeverity: Severity;
  /** A condition must stay absent this long before its alert clears, ms (time hysteresis). Default 5000. */
  clearHoldMs: number;
  /** After a clear, the same alert is not announced again for this long unless it persists past it, ms. Default 60000. */
  cooldownMs: number;
  /** An unacknowledged alert escalates (one severity level up, then reminders) every this many ms; 0 disables. Default 120000. */
  escalateAfterMs: number;
  /** At most this many escalations per alert. Default 3. */
  maxEscalations: number;
}

export const DEFAULT_ALERT_OPTIONS: Readonly<AlertOptions> = Object.freeze({
  vRunSeverity: 'warning',
  vtSeverity: 'critical',
  burdenRaiseCount: 10,
  burdenClearCount: 5,
  burdenWindowMs: 60_000,
  burdenSeverity: 'warning',
  hrHighBpm: 130,
  hrLowBpm: 40,
  hrHysteresisBpm: 5,
  hrSeverity: 'warning',
  pauseSeverity: 'critical',
  leadOffAfterMs: 10_000,
  leadOffSeverity: 'warning',
  offlineAfterMs: 30_000,
  offlineSeverity: 'warning',
  clearHoldMs: 5_000,
  cooldownMs: 60_000,
  escalateAfterMs: 120_000,
  maxEscalations: 3,
});

export type AlertAction = 'raise' | 'escalate' | 'ack' | 'clear';

/** One message out of the policy; `key` is `{gateway}/{channel}/{rule}`. */
export interface AlertMessage {
  action: AlertAction;
  key: string;
  gateway: string;
  channel: string;
  rule: RuleName;
  severity: Severity;
  /** One line for a person. */
  text: string;
  /** When the alert was raised (clock ms). */
  sinceMs: number;
  /** Clock ms of this message. */
  atMs: number;
  escalations: number;
  acknowledged: boolean;
  /** Rule detail: counts, rates, episode ids. */
  detail: Record<string, unknown>;
}

export interface ActiveAlert {
  key: string;
  rule: RuleName;
  severity: Severity;
  acknowledged: boolean;
}

/** Check user-supplied options; errors name the option, the value and what is allowed. */
export function resolveAlertOptions(partial: Partial<Record<keyof AlertOptions, unknown>>): AlertOptions {
  const out: Record<string, unknown> = { ...DEFAULT_ALERT_OPTIONS };
  for (const [name, value] of Object.entries(partial)) {
    if (value === undefined || value === '') continue;
    if (!(name in DEFAULT_ALERT_OPTIONS)) throw new Error(`unknown alert option "${name}"`);
    const def = (DEFAULT_ALERT_OPTIONS as unknown as Record<string, unknown>)[name];
    if (typeof def === 'number') {
      const n = typeof value === 'string' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
        throw new Error(`alert option "${name}" is ${JSON.stringify(value)}; allowed: a number >= 0`);
      }
      out[name] = n;
    } else {
      if (!(SEVERITIES as readonly unknown[]).includes(value)) {
        throw new Error(`alert option "${name}" is ${JSON.stringify(value)}; allowed: ${SEVERITIES.join(', ')}`);
      }
      out[name] = value;
    }
  }
  const o = out as unknown as AlertOptions;
  if (o.burdenClearCount >= o.burdenRaiseCount) {
    throw new Error(`alert option "burdenClearCount" (${o.burdenClearCount}) must be below "burdenRaiseCount" (${o.burdenRaiseCount})`);
  }
  if (o.hrLowBpm >= o.hrHighBpm) {
    throw new Error(`alert option "hrLowBpm" (${o.hrLowBpm}) must be below "hrHighBpm" (${o.hrHighBpm})`);
  }
  return o;
}
