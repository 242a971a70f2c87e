/**
 * The life of one alert, per gateway/channel/rule: raise once (de-duplication),
 * clear only after the condition stayed absent `clearHoldMs` (time hysteresis),
 * no new announcement within `cooldownMs` of a clear unless the condition
 * outlasts the cool-down, escalation while nobody acknowledges, and a clear
 * message when it ends.
 *
 * Reference: IEC 60601-1-8 (alarm systems) for the vocabulary: latching,
 * escalation of unacknowledged alarms, and the alarm-fatigue motive for
 * de-duplication and cool-down. Limits: one severity ladder for all rules;
 * escalation steps one level up, then repeats at the top as reminders.
 */
import {
  SEVERITIES,
  type ActiveAlert, type AlertAction, type AlertMessage, type AlertOptions, type Clock, type RuleName, type Severity,
} from './types.ts';

export interface AlertId {
  gateway: string;
  channel: string;
  rule: RuleName;
}

interface Entry extends AlertId {
  key: string;
  /** The condition holds now (as last reported by a rule). */
  present: boolean;
  /** A raise was sent and no clear yet. */
  announced: boolean;
  baseSeverity: Severity;
  severity: Severity;
  text: string;
  detail: Record<string, unknown>;
  /** Clock ms of the raise. */
  sinceMs: number;
  /** Clock ms of the last clear; cool-down runs from here. */
  clearedAtMs: number | null;
  acknowledged: boolean;
  escalations: number;
  clearTimer: unknown;
  cooldownTimer: unknown;
  escalateTimer: unknown;
}

export const alertKey = (id: AlertId): string => `${id.gateway}/${id.channel}/${id.rule}`;

export class AlertBook {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly options: AlertOptions,
    private readonly clock: Clock,
    private readonly emit: (message: AlertMessage) => void,
  ) {}

  /** The condition holds: announce it unless already announced or cooling down. */
  assert(id: AlertId, severity: Severity, text: string, detail: Record<string, unknown> = {}): void {
    const e = this.#entry(id, severity);
    e.present = true;
    e.text = text;
    e.detail = detail;
    this.#cancel(e, 'clearTimer');
    if (e.announced) return;
    e.baseSeverity = severity;
    const now = this.clock.now();
    const coolUntil = e.clearedAtMs === null ? -Infinity : e.clearedAtMs + this.options.cooldownMs;
    if (now >= coolUntil) {
      this.#announce(e);
    } else if (e.cooldownTimer === null) {
      // Announce only if the condition is still there when the cool-down ends.
      e.cooldownTimer = this.clock.setTimeout(() => {
        e.cooldownTimer = null;
        if (e.present && !e.announced) this.#announce(e);
      }, coolUntil - now);
    }
  }

  /** The condition is gone: clear after the hold time, or at once with `immediate`. */
  retract(id: AlertId, immediate = false): void {
    const e = this.#entries.get(alertKey(id));
    if (!e || !e.present) return;
    e.present = false;
    if (!e.announced) {
      this.#cancel(e, 'cooldownTimer');
      return;
    }
    if (immediate || this.options.clearHoldMs === 0) {
      this.#clear(e);
    } else if (e.clearTimer === null) {
      e.clearTimer = this.clock.setTimeout(() => {
        e.clearTimer = null;
        if (!e.present) this.#clear(e);
      }, this.options.clearHoldMs);
    }
  }

  isAnnounced(id: AlertId): boolean {
    return this.#entries.get(alertKey(id))?.announced ?? false;
  }

  /** Acknowledge announced alerts matching the filter (all of a gateway, a channel, or one rule). */
  acknowledge(filter: { gateway?: string; channel?: string; rule?: string }): number {
    let n = 0;
    for (const e of this.#entries.values()) {
      if (!e.announced || e.acknowledged) continue;
      if (filter.gateway !== undefined && filter.gateway !== e.gateway) continue;
      if (filter.channel !== undefined && filter.channel !== e.channel) continue;
      if (filter.rule !== undefined && filter.rule !== e.rule) continue;
      e.acknowledged = true;
      this.#cancel(e, 'escalateTimer');
      this.#send(e, 'ack');
      n++;
    }
    return n;
  }

  active(): ActiveAlert[] {
    return [...this.#entries.values()]
      .filter((e) => e.announced)
      .map((e) => ({ key: e.key, rule: e.rule, severity: e.severity, acknowledged: e.acknowledged }));
  }

  /** Stop every timer; the book sends nothing afterwards. */
  dispose(): void {
    for (const e of this.#entries.values()) {
      this.#cancel(e, 'clearTimer');
      this.#cancel(e, 'cooldownTimer');
      this.#cancel(e, 'escalateTimer');
    }
    this.#entries.clear();
  }

  #entry(id: AlertId, severity: Severity): Entry {
    const key = alertKey(id);
    let e = this.#entries.get(key);
    if (!e) {
      e = {
        ...id, key, present: false, announced: false, baseSeverity: severity, severity, text: '', detail: {},
        sinceMs: 0, clearedAtMs: null, acknowledged: false, escalations: 0,
        clearTimer: null, cooldownTimer: null, escalateTimer: null,
      };
      this.#entries.set(key, e);
    }
    return e;
  }

  #announce(e: Entry): void {
    e.announced = true;
    e.sinceMs = this.clock.now();
    e.severity = e.baseSeverity;
    e.acknowledged = false;
    e.escalations = 0;
    this.#send(e, 'raise');
    this.#scheduleEscalation(e);
  }

  #scheduleEscalation(e: Entry): void {
    if (this.options.escalateAfterMs <= 0 || e.escalations >= this.options.maxEscalations) return;
    e.escalateTimer = this.clock.setTimeout(() => {
      e.escalateTimer = null;
      if (!e.announced || e.acknowledged) return;
      e.escalations++;
      const level = Math.min(SEVERITIES.indexOf(e.severity) + 1, SEVERITIES.length - 1);
      e.severity = SEVERITIES[level];
      this.#send(e, 'escalate');
      this.#scheduleEscalation(e);
    }, this.options.escalateAfterMs);
  }

  #clear(e: Entry): void {
    this.#cancel(e, 'escalateTimer');
    this.#cancel(e, 'clearTimer');
    e.announced = false;
    e.clearedAtMs = this.clock.now();
    this.#send(e, 'clear');
  }

  #cancel(e: Entry, timer: 'clearTimer' | 'cooldownTimer' | 'escalateTimer'): void {
    if (e[timer] !== null) {
      this.clock.clearTimeout(e[timer]);
      e[timer] = null;
    }
  }

  #send(e: Entry, action: AlertAction): void {
    const verb = action === 'clear' ? 'ended' : action === 'ack' ? 'acknowledged' : action === 'escalate' ? `not acknowledged (escalation ${e.escalations})` : 'raised';
    this.emit({
      action, key: e.key, gateway: e.gateway, channel: e.channel, rule: e.rule, severity: e.severity,
      text: `${e.text} on ${e.gateway}/${e.channel}: ${verb}`,
      sinceMs: e.sinceMs, atMs: this.clock.now(), escalations: e.escalations, acknowledged: e.acknowledged,
      detail: { ...e.detail },
    });
  }
}
