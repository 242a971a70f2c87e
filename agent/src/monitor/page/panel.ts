/// <reference lib="dom" />
/**
 * The page's text around the strip: heart rate, signal quality, beat counts
 * of the last minute, the events list with start and end, and the gateway's,
 * broker's and page link's state. Touches the DOM only when a value changed.
 */
import type { EventItem, HelloMessage, StatusMessage } from '../protocol.ts';

const $ = (id: string) => document.getElementById(id)!;

const EVENT_NAMES: Record<string, string> = {
  pvc: 'PVC', couplet: 'V couplet', 'v-run': 'V run', vt: 'V tach',
  apc: 'APC', 'sv-couplet': 'SV couplet', 'sv-run': 'SV run', svt: 'SVT',
  bigeminy: 'Bigeminy', trigeminy: 'Trigeminy', tachycardia: 'Tachycardia', bradycardia: 'Bradycardia',
  pause: 'Pause', 'lead-off': 'Leads off', 'poor-signal': 'Poor signal',
};
const SEVERE = new Set(['vt', 'svt', 'pause', 'lead-off', 'v-run']);

/** A time of the stream: the wall clock when the agent gave one, else seconds from the start. */
export function formatTime(wallMs: number | undefined, sample: number, fs: number): string {
  if (wallMs === undefined) return `+${(sample / fs).toFixed(1)} s`;
  return new Date(wallMs).toTimeString().slice(0, 8);
}

export class Panel {
  private shown = new Map<string, string>();
  private eventsVersion = -1;

  /** Sets an element's text (and class) only when it changed. */
  set(id: string, text: string, cls?: string): void {
    const key = `${text}|${cls ?? ''}`;
    if (this.shown.get(id) === key) return;
    this.shown.set(id, key);
    const el = $(id);
    el.textContent = text;
    if (cls !== undefined) el.className = cls;
  }

  hello(h: HelloMessage): void {
    this.set('bed', `${h.gateway} / ${h.channel}`);
    this.set('source', `${h.source} · ${h.model ?? 'no model'}`);
  }

  link(state: 'open' | 'connecting', detail = ''): void {
    this.set('link', state === 'open' ? 'live' : `reconnecting${detail}`, state === 'open' ? 'pill ok' : 'pill bad');
  }

  status(s: StatusMessage, linkOpen: boolean): void {
    const broker = s.broker.embedded ? 'embedded broker' : s.broker.url.replace(/\/\/[^@/]*@/, '//');
    this.set('broker', `MQTT ${s.broker.connected ? 'connected' : 'disconnected'} · ${broker}`
      + (s.broker.outboxRecords > 0 ? ` · outbox ${s.broker.outboxRecords}` : ''), s.broker.connected ? 'pill ok' : 'pill bad');
    const drops = s.samplesLost + s.beatsDropped + s.droppedForYou;
    this.set('gateway', `signal ${formatDuration(s.signalS)} · frames ${s.framesGood}${s.framesCorrupt > 0 ? ` (${s.framesCorrupt} corrupt)` : ''}`
      + ` · beats ${s.beats}${drops > 0 ? ` · dropped: samples ${s.samplesLost}, beats ${s.beatsDropped}, page batches ${s.droppedForYou}` : ''}`
      + (linkOpen ? '' : ' · (last known)'));
  }

  heartRate(bpm: number | null, alarm: boolean): void {
    this.set('hr', bpm === null ? '--' : String(bpm), alarm ? 'value alarm' : 'value');
  }

  quality(leadOff: boolean, bits: number): void {
    if (leadOff) this.set('quality', 'LEADS OFF', 'value small alarm');
    else if (bits !== 0) this.set('quality', describeBits(bits), 'value small warn');
    else this.set('quality', 'good', 'value small');
  }

  counts(counts: Record<string, number>): void {
    const text = Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join('  ');
    this.set('counts', text || '--');
  }

  events(list: EventItem[], version: number, fs: number): void {
    if (version === this.eventsVersion) return;
    this.eventsVersion = version;
    const body = $('events');
    const rows = list.map((e) => {
      const tr = document.createElement('tr');
      const ongoing = e.phase !== 'end';
      tr.className = `${SEVERE.has(e.type) ? 'severe' : 'minor'}${ongoing ? ' ongoing' : ''}`;
      const detail = [e.beats > 0 ? `${e.beats} beat${e.beats === 1 ? '' : 's'}` : '', e.hrBpm !== undefined ? `${Math.round(e.hrBpm)} bpm` : '', e.detail ?? '']
        .filter((s) => s !== '').join(', ');
      for (const text of [EVENT_NAMES[e.type] ?? e.type, formatTime(e.startWallMs, e.startSample, fs), ongoing ? 'ongoing' : formatTime(e.endWallMs, e.endSample, fs), detail]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.appendChild(td);
      }
      return tr;
    });
    body.replaceChildren(...rows);
    this.set('no-events', list.length === 0 ? 'no events yet' : '');
  }
}

function describeBits(bits: number): string {
  const names: string[] = [];
  if (bits & 4) names.push('gap');
  if (bits & 2) names.push('saturated');
  if (bits & 8) names.push('flat');
  if (bits & 16) names.push('noisy');
  return names.join(', ') || 'poor';
}

function formatDuration(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${Math.floor(s % 60)} s` : `${s.toFixed(0)} s`;
}
