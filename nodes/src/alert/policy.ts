/**
 * The alert policy: turns the agent's rhythm events, vitals and gateway status
 * into alert conditions, per gateway/channel, and leaves their life (raise once,
 * hysteresis, cool-down, escalation, clear) to the AlertBook.
 *
 * Rules:
 * - vt, v-run, pause: present while an episode of that type is open (start or
 *   update seen, end not yet);
 * - pvc-burden: isolated PVCs and couplets counted over a sliding window;
 *   raised at `burdenRaiseCount`, cleared at `burdenClearCount` or below
 *   (count hysteresis), so 100 PVCs in a minute give one alert;
 * - hr-high, hr-low: vitals heart rate past a limit, cleared once back inside by
 *   `hrHysteresisBpm`;
 * - lead-off, offline: present once the episode (or the offline status) has
 *   lasted `leadOffAfterMs` / `offlineAfterMs`.
 * Episodes left open by an agent that restarted (its status uptime dropped)
 * are closed. Limits: episodes are matched by id; an 'end' for an id never
 * started is ignored; an episode whose 'end' is lost while the agent keeps
 * running stays open; the seen-PVC id memory is bounded (oldest forgotten
 * first).
 */
import { AlertBook, alertKey, type AlertId } from './book.ts';
import type { ActiveAlert, AlertMessage, AlertOptions, Clock, RuleName } from './types.ts';

/** The fields of the agent's event payload the policy reads (agent/src/rhythm/types.ts RhythmEvent). */
export interface EventInput {
  id: string;
  type: string;
  phase: 'start' | 'update' | 'end';
  beats?: number;
  hrBpm?: number;
  detail?: string;
}

export interface VitalsInput {
  hrBpm?: number | null;
}

const EPISODIC: Record<string, { rule: RuleName; text: string }> = {
  vt: { rule: 'vt', text: 'Ventricular tachycardia' },
  'v-run': { rule: 'v-run', text: 'Run of ventricular beats' },
  pause: { rule: 'pause', text: 'Pause' },
};

/** How many PVCs an event adds to the burden. */
const BURDEN_BEATS: Record<string, number> = { pvc: 1, couplet: 2 };
const SEEN_IDS_MAX = 10_000;

interface Channel {
  gateway: string;
  channel: string;
  /** Open episode ids per episodic rule. */
  open: Map<RuleName, Set<string>>;
  /** Clock ms and PVC count of each burden contribution, oldest first. */
  burden: { atMs: number; pvcs: number }[];
  burdenTimer: unknown;
  leadOffTimer: unknown;
  offlineTimer: unknown;
  /** The agent's uptime in its last status, s; a drop means it restarted. */
  uptimeS: number | null;
}

export class AlertPolicy {
  readonly #book: AlertBook;
  readonly #channels = new Map<string, Channel>();
  readonly #seenBurdenIds = new Set<string>();

  constructor(
    private readonly options: AlertOptions,
    private readonly clock: Clock,
    emit: (message: AlertMessage) => void,
  ) {
    this.#book = new AlertBook(options, clock, emit);
  }

  onEvent(gateway: string, channel: string, ev: EventInput): void {
    const ch = this.#channel(gateway, channel);
    const episodic = EPISODIC[ev.type];
    if (episodic) {
      this.#episode(ch, episodic.rule, episodic.text, ev);
    } else if (ev.type in BURDEN_BEATS) {
      if (ev.phase === 'start') this.#addBurden(ch, ev);
    } else if (ev.type === 'lead-off') {
      this.#leadOff(ch, ev.phase !== 'end');
    }
  }

  onVitals(gateway: string, channel: string, v: VitalsInput): void {
    const hr = v.hrBpm;
    if (typeof hr !== 'number' || !Number.isFinite(hr)) return;
    const o = this.options;
    const high = this.#id(gateway, channel, 'hr-high');
    const low = this.#id(gateway, channel, 'hr-low');
    if (hr > o.hrHighBpm) {
      this.#book.assert(high, o.hrSeverity, `Heart rate ${Math.round(hr)} bpm above ${o.hrHighBpm}`, { hrBpm: hr, limitBpm: o.hrHighBpm });
    } else if (hr <= o.hrHighBpm - o.hrHysteresisBpm) {
      this.#book.retract(high);
    }
    if (hr < o.hrLowBpm) {
      this.#book.assert(low, o.hrSeverity, `Heart rate ${Math.round(hr)} bpm below ${o.hrLowBpm}`, { hrBpm: hr, limitBpm: o.hrLowBpm });
    } else if (hr >= o.hrLowBpm + o.hrHysteresisBpm) {
      this.#book.retract(low);
    }
  }

  /**
   * Gateway status. `uptimeS` lower than the last one seen means the agent
   * restarted: the episodes it had open will never get their 'end', so they
   * are closed here (their alerts clear, after the hold) rather than left stuck.
   */
  onStatus(gateway: string, channel: string, online: boolean, uptimeS?: number): void {
    const ch = this.#channel(gateway, channel);
    const id = this.#id(gateway, channel, 'offline');
    if (uptimeS !== undefined) {
      if (ch.uptimeS !== null && uptimeS < ch.uptimeS) this.#forgetEpisodes(ch);
      ch.uptimeS = uptimeS;
    }
    if (online) {
      this.#stopTimer(ch, 'offlineTimer');
      this.#book.retract(id, true);
    } else if (ch.offlineTimer === null && !this.#book.isAnnounced(id)) {
      ch.offlineTimer = this.clock.setTimeout(() => {
        ch.offlineTimer = null;
        this.#book.assert(id, this.options.offlineSeverity, 'Gateway offline', { afterMs: this.options.offlineAfterMs });
      }, this.options.offlineAfterMs);
    }
  }

  acknowledge(filter: { gateway?: string; channel?: string; rule?: string }): number {
    return this.#book.acknowledge(filter);
  }

  active(): ActiveAlert[] {
    return this.#book.active();
  }

  dispose(): void {
    for (const ch of this.#channels.values()) {
      this.#stopTimer(ch, 'burdenTimer');
      this.#stopTimer(ch, 'leadOffTimer');
      this.#stopTimer(ch, 'offlineTimer');
    }
    this.#channels.clear();
    this.#book.dispose();
  }

  #episode(ch: Channel, rule: RuleName, text: string, ev: EventInput): void {
    let open = ch.open.get(rule);
    if (!open) ch.open.set(rule, (open = new Set()));
    const id = this.#id(ch.gateway, ch.channel, rule);
    if (ev.phase === 'end') {
      if (!open.delete(ev.id)) return;
      if (open.size === 0) this.#book.retract(id);
      return;
    }
    open.add(ev.id);
    const severity = rule === 'vt' ? this.options.vtSeverity : rule === 'v-run' ? this.options.vRunSeverity : this.options.pauseSeverity;
    const detail: Record<string, unknown> = { episodes: [...open] };
    if (ev.beats) detail.beats = ev.beats;
    if (ev.hrBpm !== undefined) detail.hrBpm = ev.hrBpm;
    this.#book.assert(id, severity, text, detail);
  }

  #forgetEpisodes(ch: Channel): void {
    for (const [rule, open] of ch.open) {
      if (open.size === 0) continue;
      open.clear();
      this.#book.retract(this.#id(ch.gateway, ch.channel, rule));
    }
    this.#leadOff(ch, false);
  }

  #addBurden(ch: Channel, ev: EventInput): void {
    const seenKey = `${ch.gateway}/${ch.channel}/${ev.id}`;
    if (this.#seenBurdenIds.has(seenKey)) return;
    this.#seenBurdenIds.add(seenKey);
    if (this.#seenBurdenIds.size > SEEN_IDS_MAX) {
      this.#seenBurdenIds.delete(this.#seenBurdenIds.values().next().value as string);
    }
    ch.burden.push({ atMs: this.clock.now(), pvcs: ev.type === 'couplet' ? Math.max(ev.beats ?? 2, 2) : BURDEN_BEATS[ev.type] });
    this.#evaluateBurden(ch);
  }

  #evaluateBurden(ch: Channel): void {
    const o = this.options;
    const now = this.clock.now();
    while (ch.burden.length > 0 && ch.burden[0].atMs <= now - o.burdenWindowMs) ch.burden.shift();
    const count = ch.burden.reduce((s, b) => s + b.pvcs, 0);
    const id = this.#id(ch.gateway, ch.channel, 'pvc-burden');
    const perMin = (count * 60_000) / o.burdenWindowMs;
    if (count >= o.burdenRaiseCount) {
      this.#book.assert(id, o.burdenSeverity, `PVC burden ${count} in ${o.burdenWindowMs / 1000} s`, {
        pvcs: count, windowMs: o.burdenWindowMs, pvcPerMin: perMin,
      });
    } else if (count <= o.burdenClearCount) {
      this.#book.retract(id);
    }
    // Re-evaluate when the oldest contribution leaves the window, so the burden
    // decays (and clears) even when no more PVCs arrive.
    this.#stopTimer(ch, 'burdenTimer');
    if (ch.burden.length > 0) {
      ch.burdenTimer = this.clock.setTimeout(() => {
        ch.burdenTimer = null;
        this.#evaluateBurden(ch);
      }, ch.burden[0].atMs + o.burdenWindowMs - now);
    }
  }

  #leadOff(ch: Channel, off: boolean): void {
    const id = this.#id(ch.gateway, ch.channel, 'lead-off');
    if (!off) {
      this.#stopTimer(ch, 'leadOffTimer');
      this.#book.retract(id, true);
    } else if (ch.leadOffTimer === null && !this.#book.isAnnounced(id)) {
      ch.leadOffTimer = this.clock.setTimeout(() => {
        ch.leadOffTimer = null;
        this.#book.assert(id, this.options.leadOffSeverity, 'Lead off', { afterMs: this.options.leadOffAfterMs });
      }, this.options.leadOffAfterMs);
    }
  }

  #stopTimer(ch: Channel, timer: 'burdenTimer' | 'leadOffTimer' | 'offlineTimer'): void {
    if (ch[timer] !== null) {
      this.clock.clearTimeout(ch[timer]);
      ch[timer] = null;
    }
  }

  #channel(gateway: string, channel: string): Channel {
    const key = `${gateway}/${channel}`;
    let ch = this.#channels.get(key);
    if (!ch) {
      ch = { gateway, channel, open: new Map(), burden: [], burdenTimer: null, leadOffTimer: null, offlineTimer: null, uptimeS: null };
      this.#channels.set(key, ch);
    }
    return ch;
  }

  #id(gateway: string, channel: string, rule: RuleName): AlertId {
    return { gateway, channel, rule };
  }
}

export { alertKey };
