/**
 * The messages from the agent to the monitor page over its WebSocket (JSON,
 * one object per frame). Shared by the server (hub.ts) and the page
 * (page/*.ts): types only, so the page bundle carries none of the agent.
 *
 * Sample indices are at the model rate `fs` (360 Hz) from the stream start,
 * the agent's clock; a new `streamId` means the agent restarted and the
 * indices start again. Signal is in integer microvolts to keep frames small.
 */
import type { BeatLabel, RhythmEvent } from '../rhythm/types.ts';

/** First message on every connection. */
export interface HelloMessage {
  t: 'hello';
  streamId: string;
  fs: number;
  gateway: string;
  channel: string;
  /** What is being read, for people. */
  source: string;
  /** Model id, or null when beats are not classified. */
  model: string | null;
  /** Beat window around R, samples at fs (the Grad-CAM map spans it). */
  window: { before: number; after: number };
  agentVersion: string;
}

/** Conditioned signal of one stretch, with its quality flags as runs. */
export interface SignalPart {
  /** Sample index of uv[0] at fs. */
  start: number;
  /** Conditioned signal, µV, rounded. */
  uv: number[];
  /** Runs of non-zero quality bits (QualityFlag): [offset into uv, length, bits]. */
  flags: [number, number, number][];
}

export interface BeatItem {
  /** R peak, sample index at fs. */
  i: number;
  label: BeatLabel;
  rrMs: number | null;
  /** Beat quality: 'good', or why it was not classified. */
  q: string;
  /** Top probability, when classified. */
  p?: number;
  /** When the agent published it (handed it to its sinks), ms since the epoch. */
  pubMs: number;
  /** Grad-CAM map over the window, downsampled to CAM_POINTS values in 0..1, for non-normal beats. */
  cam?: number[];
}

/** An episode message, as the rhythm rules send it on MQTT. */
export type EventItem = RhythmEvent;

/** Everything that happened since the last batch (the hub sends one every BATCH_MS at most). */
export interface BatchMessage {
  t: 'batch';
  /** When the hub sent it, ms since the epoch. */
  sentMs: number;
  signal: SignalPart[];
  beats: BeatItem[];
  events: EventItem[];
  /** Sent again to a page that just connected (recent history), not live. */
  replay?: boolean;
}

/** The gateway's own state, about once a second. */
export interface StatusMessage {
  t: 'status';
  sentMs: number;
  /** Broker connection. */
  broker: { url: string; embedded: boolean; connected: boolean; outboxRecords: number };
  /** Stream position, s of signal, and drop counters. */
  signalS: number;
  framesGood: number;
  framesCorrupt: number;
  samplesLost: number;
  beats: number;
  beatsDropped: number;
  /** Batches this page's connection lost for being slow (counted by the hub). */
  droppedForYou: number;
}

export type MonitorMessage = HelloMessage | BatchMessage | StatusMessage;

/** Grad-CAM points per beat sent to the page. */
export const CAM_POINTS = 32;
/** The hub's batching interval, ms. */
export const BATCH_MS = 50;
/** The WebSocket path. */
export const WS_PATH = '/ws';
