/// <reference lib="dom" />
/**
 * The monitor page (served by the agent, docs/monitor.md): connects to the
 * agent's WebSocket, keeps the last SIGNAL_S of signal and the last beats and
 * episodes in fixed rings (memory does not grow with the run), and draws the
 * strip and the panel on every animation frame. A new stream id (the agent
 * restarted) clears what the page held.
 *
 * `window.arrhythminetMonitor` exposes what the page holds and has shown
 * (bounded), for the tests and for anyone checking the page from a console.
 */
import type { BatchMessage, HelloMessage, MonitorMessage, StatusMessage } from '../protocol.ts';
import { WS_PATH } from '../protocol.ts';
import { BeatRing, type ShownBeat } from './beat-ring.ts';
import { connect } from './connection.ts';
import { EventList } from './event-list.ts';
import { heartRateBpm } from './heart-rate.ts';
import { Panel } from './panel.ts';
import { Playout } from './playout.ts';
import { SignalRing } from './signal-ring.ts';
import { Strip } from './strip.ts';

/** Signal kept, s: more than the widest strip shows (a 1920-px screen shows ~20 s). */
const SIGNAL_S = 30;
/** Beats kept: a minute at 250 bpm and more. */
const BEATS_KEPT = 320;
/** Label latencies kept for the diagnostics. */
const LATENCIES_KEPT = 200;

interface Diagnostics {
  streamId: string | null;
  fs: number;
  /** WebSocket connections opened, and messages received. */
  connects: number;
  messages: number;
  framesDrawn: number;
  position: number;
  /** Samples, beats and episodes held now, and the signal ring's fixed size. */
  retainedSamples(): number;
  ringCapacity: number;
  retainedBeats(): number;
  retainedEvents(): number;
  /** Live beats' labels: publication (the agent handing the beat to its sinks) to first drawing, ms. */
  labelLatencies: { i: number; label: string; pubMs: number; shownMs: number }[];
  /** Frames in which the write point was in a lead-off stretch. */
  leadOffFrames: number;
  status: StatusMessage | null;
}

const panel = new Panel();
const strip = new Strip(document.getElementById('strip') as HTMLCanvasElement, document.getElementById('grid') as HTMLCanvasElement);
const camBox = document.getElementById('cam') as HTMLInputElement;
let hello: HelloMessage | null = null;
let ring = new SignalRing(360 * SIGNAL_S);
const beats = new BeatRing(BEATS_KEPT);
const events = new EventList();
let playout = new Playout({ fs: 360 });
let linkOpen = false;

const diag: Diagnostics = {
  streamId: null, fs: 360, connects: 0, messages: 0, framesDrawn: 0, position: 0,
  retainedSamples: () => ring.retained, ringCapacity: ring.capacity,
  retainedBeats: () => beats.retained, retainedEvents: () => events.retained,
  labelLatencies: [], leadOffFrames: 0, status: null,
};
(window as unknown as { arrhythminetMonitor: Diagnostics }).arrhythminetMonitor = diag;

function onHello(h: HelloMessage): void {
  if (hello === null || h.streamId !== hello.streamId || h.fs !== hello.fs) {
    if (hello === null || h.fs !== hello.fs) ring = new SignalRing(h.fs * SIGNAL_S);
    ring.reset();
    beats.reset();
    events.reset();
    playout = new Playout({ fs: h.fs });
    diag.ringCapacity = ring.capacity;
    diag.streamId = h.streamId;
    diag.fs = h.fs;
  }
  hello = h;
  panel.hello(h);
}

function onBatch(b: BatchMessage): void {
  const now = Date.now();
  const replay = b.replay === true;
  for (const part of b.signal) {
    ring.write(part.start, part.uv, part.flags);
    playout.arrived(part.start + part.uv.length, now);
  }
  for (const beat of b.beats) beats.add(beat, replay);
  for (const e of b.events) events.update(e);
}

function onShown(b: ShownBeat): void {
  if (b.replay || b.shownMs === undefined) return;
  diag.labelLatencies.push({ i: b.i, label: b.label, pubMs: b.pubMs, shownMs: b.shownMs });
  if (diag.labelLatencies.length > LATENCIES_KEPT) diag.labelLatencies.shift();
}

const wsUrl = new URL(WS_PATH, location.href);
wsUrl.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
const token = new URLSearchParams(location.hash.slice(1)).get('token');
if (token !== null) wsUrl.searchParams.set('token', token);
panel.link('connecting');
connect(wsUrl.href, {
  onOpen: () => {
    linkOpen = true;
    diag.connects++;
    panel.link('open');
  },
  onClose: (retryMs) => {
    linkOpen = false;
    panel.link('connecting', ` in ${(retryMs / 1000).toFixed(1)} s`);
    if (diag.status !== null) panel.status(diag.status, false);
  },
  onMessage: (data) => {
    diag.messages++;
    const m = data as MonitorMessage;
    if (m.t === 'hello') onHello(m);
    else if (hello === null) return;
    else if (m.t === 'batch') onBatch(m);
    else if (m.t === 'status') {
      diag.status = m;
      panel.status(m, linkOpen);
    }
  },
});

let lastPanelMs = 0;
function frame(): void {
  requestAnimationFrame(frame);
  if (hello === null) return;
  const now = Date.now();
  strip.resize();
  const position = playout.position(now);
  diag.position = position;
  const { leadOff } = strip.draw({
    fs: hello.fs, position, ring, beats, window: hello.window, showCam: camBox.checked, nowMs: now, onShown,
  });
  diag.framesDrawn++;
  if (leadOff) diag.leadOffFrames++;
  if (now - lastPanelMs < 250) return;
  lastPanelMs = now;
  const shown = [...beats.each()].filter((b) => b.i < position);
  const bpm = leadOff ? null : heartRateBpm(shown);
  panel.heartRate(bpm, bpm !== null && (bpm > 120 || bpm < 45));
  panel.quality(leadOff, ring.flags(Math.floor(position) - 1) & ~1);
  const counts: Record<string, number> = {};
  for (const b of shown) if (b.i >= position - 60 * hello.fs) counts[b.label] = (counts[b.label] ?? 0) + 1;
  panel.counts(counts);
  panel.events(events.list(), events.version, hello.fs);
}
requestAnimationFrame(frame);
