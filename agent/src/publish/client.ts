/**
 * The agent's MQTT publisher over MQTT.js 5 (DESIGN.md section 7, docs/mqtt.md).
 *
 * - Connects with MQTT v5 and falls back to 3.1.1 for good when the broker
 *   refuses v5 (CONNACK "unacceptable/unsupported protocol version": aedes,
 *   old mosquitto).
 * - Presence: a retained `status` birth message on every connect, and a retained
 *   `offline` last will; `close()` publishes `offline` itself (a clean
 *   DISCONNECT suppresses the will).
 * - Beats and vitals: QoS 0, shed and counted while disconnected.
 * - Events and explanations: QoS 1 through the durable outbox. Entries are handed
 *   to MQTT.js in order, at most `maxInflight` at a time, only while connected;
 *   MQTT.js re-sends unacknowledged ones after a reconnect; an entry leaves the
 *   outbox on PUBACK. A restart re-sends everything not acknowledged, so
 *   delivery is at least once and consumers de-duplicate by event id + phase.
 * - Reconnects with exponential backoff and jitter (backoff.ts).
 * - Latency from enqueue to PUBACK is kept for the status counters.
 */
import { EventEmitter } from 'node:events';
import mqtt, { type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { Backoff, type BackoffOptions } from './backoff.ts';
import { describeSettings, mqttOptions, type ConnectionSettings } from './connect-options.ts';
import { LatencyWindow } from './latency.ts';
import type { Outbox } from './outbox/outbox.ts';
import type { OutboxKind } from './outbox/store.ts';
import { buildStatus, type Origin, type PayloadOf, type StatusCounters, type StatusInput } from './payloads.ts';
import { buildTopic, type TopicKind } from './topics.ts';

export interface PublisherOptions extends ConnectionSettings {
  /** Gateway and channel of the status topic and last will. */
  origin: Origin;
  outbox: Outbox;
  /** 5 (default) falls back to 4 when refused; 4 never tries v5. */
  protocolVersion?: 5 | 4;
  reconnect?: BackoffOptions;
  /** Outbox entries handed to MQTT.js and not yet acknowledged, at most. Default 64. */
  maxInflight?: number;
  /** MQTT v5 message expiry of beats, s: a stale beat is worthless. Default 60. */
  beatExpiryS?: number;
  agentVersion: string;
  model?: StatusInput['model'];
  /** Counters of the rest of the pipeline, for the status message. */
  pipelineCounters?: () => Omit<StatusCounters, 'publishLatencyMs' | 'drops'> & { drops?: number };
  logger?: Logger;
  /** For tests: injected timers. */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
  now?: () => number;
}

export interface PublisherStats {
  connected: boolean;
  protocolVersion: 4 | 5;
  connects: number;
  beatsShed: number;
  vitalsShed: number;
  published: Record<TopicKind, number>;
  inflight: number;
  latencyMs: { p50: number | null; p99: number | null };
  outbox: Outbox['counters'] & { records: number; bytes: number };
}

type Events = { connect: [version: 4 | 5]; offline: []; acked: [seq: number]; error: [Error] };

const REFUSED_VERSION = new Set([1, 0x84]);
/** CONNACK codes for refused credentials: 3.1.1 bad user name or password / not authorized, and their v5 codes. */
const REFUSED_CREDENTIALS = new Set([4, 5, 0x86, 0x87]);
/** v5 PUBACK reason code: the broker refused the publish (its ACL). */
const NOT_AUTHORIZED = 0x87;
const QOS: Record<TopicKind, 0 | 1> = { status: 1, beat: 0, vitals: 0, event: 1, explain: 1 };

export class Publisher extends EventEmitter<Events> {
  private client: MqttClient | undefined;
  private version: 4 | 5;
  private everConnected = false;
  private closing = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly backoff: Backoff;
  private readonly handed = new Set<number>();
  /** Topics the broker refused to take (logged once each). */
  private readonly refusedTopics = new Set<string>();
  private readonly enqueuedAt = new Map<number, number>();
  private readonly latency = new LatencyWindow();
  private readonly startedMs: number;
  private readonly now: () => number;
  private readonly timers: NonNullable<PublisherOptions['timers']>;
  private readonly unlisten: () => void;
  private readonly s = {
    connects: 0,
    beatsShed: 0,
    vitalsShed: 0,
    published: { status: 0, beat: 0, event: 0, explain: 0, vitals: 0 } as Record<TopicKind, number>,
  };

  constructor(private readonly opts: PublisherOptions) {
    super();
    this.version = opts.protocolVersion ?? 5;
    this.now = opts.now ?? Date.now;
    this.timers = opts.timers ?? { setTimeout, clearTimeout };
    this.startedMs = this.now();
    this.backoff = new Backoff(opts.reconnect);
    const maxInflight = opts.maxInflight ?? 64;
    if (!Number.isInteger(maxInflight) || maxInflight < 1) throw new RangeError(`maxInflight: must be a positive integer, got ${maxInflight}`);
    mqttOptions(opts, this.version, undefined); // fail fast on bad URL or unreadable TLS files
    // Latency counts from enqueue; entries recovered from disk at start have no enqueue time here.
    this.unlisten = opts.outbox.onEnqueue((seq) => {
      this.enqueuedAt.set(seq, this.now());
      // Shed explanations never get a PUBACK: forget their times now and then.
      if (this.enqueuedAt.size > 2 * opts.outbox.size.records + 1024) {
        for (const k of this.enqueuedAt.keys()) if (!opts.outbox.store.get(k)) this.enqueuedAt.delete(k);
      }
      this.pump();
    });
    opts.logger?.info({ mqtt: describeSettings(opts) }, 'mqtt: connecting');
    this.connect();
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** QoS 0; false when shed (disconnected). */
  publishBeat(p: PayloadOf['beat']): boolean {
    return this.publishDirect('beat', p);
  }

  publishVitals(p: PayloadOf['vitals']): boolean {
    return this.publishDirect('vitals', p);
  }

  /** QoS 1 through the outbox; `durable` resolves once it is on disk. */
  publishEvent(p: PayloadOf['event']): ReturnType<Outbox['enqueue']> {
    return this.enqueue('event', p);
  }

  publishExplain(p: PayloadOf['explain']): ReturnType<Outbox['enqueue']> {
    return this.enqueue('explain', p);
  }

  /** Re-publishes the retained online status (with fresh counters). */
  publishStatus(): void {
    if (this.connected) this.sendStatus('online');
  }

  stats(): PublisherStats {
    const o = this.opts.outbox;
    return {
      connected: this.connected,
      protocolVersion: this.version,
      connects: this.s.connects,
      beatsShed: this.s.beatsShed,
      vitalsShed: this.s.vitalsShed,
      published: { ...this.s.published },
      inflight: this.handed.size,
      latencyMs: this.latency.summary(),
      outbox: { ...o.counters, ...o.size },
    };
  }

  /** Publishes `offline` (retained), flushes the outbox, disconnects. Waits at most `timeoutMs` for the broker. */
  async close(timeoutMs = 2000): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.unlisten();
    if (this.reconnectTimer !== undefined) this.timers.clearTimeout(this.reconnectTimer);
    const client = this.client!;
    if (client.connected) {
      await new Promise<void>((resolve) => {
        const t = this.timers.setTimeout(resolve, timeoutMs);
        this.sendStatus('offline', () => {
          this.timers.clearTimeout(t);
          resolve();
        });
      });
    }
    await this.opts.outbox.flush();
    // A clean DISCONNECT, so the broker drops the last will: otherwise it would
    // overwrite the retained offline status (and its final counters) just sent.
    // Forced only if the broker does not answer in time.
    await new Promise<void>((resolve) => {
      const t = this.timers.setTimeout(() => client.end(true, {}, () => resolve()), timeoutMs);
      client.end(false, {}, () => {
        this.timers.clearTimeout(t);
        resolve();
      });
    });
  }

  private enqueue(kind: OutboxKind, p: PayloadOf[OutboxKind]): ReturnType<Outbox['enqueue']> {
    const topic = buildTopic({ gateway: p.gateway, channel: p.channel, kind });
    return this.opts.outbox.enqueue(kind, topic, JSON.stringify(p));
  }

  private publishDirect(kind: 'beat' | 'vitals', p: PayloadOf['beat'] | PayloadOf['vitals']): boolean {
    const client = this.client;
    if (!client?.connected) {
      if (kind === 'beat') this.s.beatsShed++;
      else this.s.vitalsShed++;
      return false;
    }
    const topic = buildTopic({ gateway: p.gateway, channel: p.channel, kind });
    const extra = kind === 'beat' ? { messageExpiryInterval: this.opts.beatExpiryS ?? 60 } : {};
    client.publish(topic, JSON.stringify(p), this.publishOptions(kind, false, extra));
    this.s.published[kind]++;
    return true;
  }

  private publishOptions(kind: TopicKind, retain: boolean, v5: Record<string, unknown> = {}): IClientPublishOptions {
    const o: IClientPublishOptions = { qos: QOS[kind], retain };
    if (this.version === 5) o.properties = { contentType: 'application/json', payloadFormatIndicator: true, ...v5 };
    return o;
  }

  private statusPayload(state: 'online' | 'offline'): string {
    const c = this.opts.pipelineCounters?.();
    const st = this.stats();
    const counters: StatusCounters = {
      frames: c?.frames ?? 0,
      ...(c?.framesCorrupt === undefined ? {} : { framesCorrupt: c.framesCorrupt }),
      ...(c?.framesLost === undefined ? {} : { framesLost: c.framesLost }),
      samples: c?.samples ?? 0,
      beats: c?.beats ?? 0,
      events: c?.events ?? 0,
      drops: (c?.drops ?? 0) + st.beatsShed + st.vitalsShed + st.outbox.explainsShed,
      publishLatencyMs: st.latencyMs,
    };
    return JSON.stringify(buildStatus(this.opts.origin, {
      state,
      wallMs: this.now(),
      agentVersion: this.opts.agentVersion,
      mqttProtocol: this.version,
      model: this.opts.model ?? null,
      uptimeS: Math.round((this.now() - this.startedMs) / 1000),
      counters,
    }));
  }

  private sendStatus(state: 'online' | 'offline', done?: () => void): void {
    const topic = buildTopic({ ...this.opts.origin, kind: 'status' });
    this.client!.publish(topic, this.statusPayload(state), this.publishOptions('status', true), () => done?.());
    this.s.published.status++;
  }

  private connect(): void {
    const topic = buildTopic({ ...this.opts.origin, kind: 'status' });
    const will: IClientOptions['will'] = { topic, payload: Buffer.from(this.statusPayload('offline')), qos: 1, retain: true };
    if (this.version === 5) will.properties = { contentType: 'application/json', payloadFormatIndicator: true };
    const client = mqtt.connect(this.opts.url, mqttOptions(this.opts, this.version, will));
    this.client = client;
    client.on('connect', () => {
      this.everConnected = true;
      this.s.connects++;
      this.backoff.reset();
      this.opts.logger?.info({ protocolVersion: this.version }, 'mqtt: connected');
      this.sendStatus('online');
      this.emit('connect', this.version);
      this.pump();
    });
    client.on('error', (err) => {
      const code = (err as { code?: number }).code;
      if (this.version === 5 && !this.everConnected && code !== undefined && REFUSED_VERSION.has(code)) {
        this.opts.logger?.info('mqtt: broker refused MQTT v5, falling back to 3.1.1');
        this.version = 4;
        client.removeAllListeners();
        client.on('error', () => {});
        client.end(true);
        if (!this.closing) this.connect();
        return;
      }
      if (code !== undefined && REFUSED_CREDENTIALS.has(code)) {
        // Retried with backoff all the same: the broker's password file or ACL may be fixed without restarting us.
        this.opts.logger?.error({ err: err.message, code, username: this.opts.username ?? null, clientCertificate: this.opts.tls?.cert ?? null },
          'mqtt: the broker refused our credentials: check mqtt.username and mqtt.password (or mqtt.tls.cert) against its password file and ACL');
      } else {
        this.opts.logger?.warn({ err: err.message, code }, 'mqtt: error');
      }
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
    client.on('close', () => {
      if (this.client !== client || this.closing) return;
      this.emit('offline');
      if (this.reconnectTimer !== undefined) return;
      const delay = this.backoff.nextDelayMs();
      this.opts.logger?.debug({ delayMs: Math.round(delay) }, 'mqtt: reconnecting');
      this.reconnectTimer = this.timers.setTimeout(() => {
        this.reconnectTimer = undefined;
        if (this.closing) return;
        // Keep MQTT.js's stores: they hold the QoS 1 messages it will re-send.
        client.reconnect({ incomingStore: client.incomingStore, outgoingStore: client.outgoingStore });
      }, delay);
    });
  }

  /** Hands outbox entries to MQTT.js in order while connected, up to maxInflight. */
  private pump(): void {
    const client = this.client;
    if (this.closing || !client?.connected) return;
    const max = this.opts.maxInflight ?? 64;
    for (const e of this.opts.outbox.pending()) {
      if (this.handed.size >= max) break;
      if (this.handed.has(e.seq)) continue;
      this.handed.add(e.seq);
      client.publish(e.topic, e.payload, this.publishOptions(e.kind, false), (err) => {
        this.handed.delete(e.seq);
        if (err) {
          const code = (err as { code?: number }).code;
          if (code === NOT_AUTHORIZED && !this.refusedTopics.has(e.topic)) {
            // The broker's ACL refuses the topic: the entry stays in the outbox (a fixed ACL delivers it); say so once per topic.
            this.refusedTopics.add(e.topic);
            this.opts.logger?.error({ topic: e.topic, username: this.opts.username ?? null, err: err.message },
              'mqtt: the broker refused to take a message on this topic (not authorized): its ACL must let this user write arrhythminet/v1/<gateway>/#');
          }
          // Otherwise MQTT.js gave up on it (connection closed under it); the pump hands it over again.
          this.opts.logger?.debug({ seq: e.seq, err: err.message }, 'mqtt: publish not acknowledged');
          return;
        }
        const t0 = this.enqueuedAt.get(e.seq);
        if (t0 !== undefined) this.latency.add(this.now() - t0);
        this.enqueuedAt.delete(e.seq);
        this.s.published[e.kind]++;
        this.opts.outbox.ack(e.seq);
        this.emit('acked', e.seq);
        this.pump();
      });
    }
  }
}
