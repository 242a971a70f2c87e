/**
 * The agent's MQTT end (DESIGN.md section 7): starts the embedded broker when
 * the config says `embedded`, opens the durable outbox in `outbox.dir`, and
 * publishes beats (QoS 0, when `mqtt.publishBeats`), events (QoS 1 through the
 * outbox), vitals, and the retained status with the agent's counters (on
 * connect, every vitals interval, and `offline` on close).
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/types.ts';
import {
  buildBeat, buildEvent, buildVitals, FileOutboxStore, Outbox, Publisher, startEmbeddedBroker,
  type EmbeddedBroker, type Origin, type PublisherStats, type WindowGeometry,
} from '../publish/index.ts';
import type { RhythmEvent } from '../rhythm/types.ts';
import type { AgentSnapshot } from './agent.ts';
import type { ClassifiedBeat } from './records.ts';
import { explainPayloadOf } from './explain-policy.ts';
import type { AgentSink } from './sink.ts';
import type { Vitals } from './vitals.ts';
import { UsageError } from '../errors.ts';

export interface MqttSinkOptions {
  config: AgentConfig;
  logger: Logger;
  agentVersion: string;
  /** Model id for the status message; null when beats are not classified by a model. */
  model: string | null;
  /** Model rate of beat and event sample indices, Hz, and the window around R (Grad-CAM maps span it). */
  fs: number;
  window: { before: number; after: number };
  /** The agent's counters, read for each status message (set once the agent runs). */
  snapshot: () => AgentSnapshot | null;
}

export class MqttSink implements AgentSink {
  private readonly origin: Origin;
  private statusTimer: ReturnType<typeof setInterval> | null = null;

  private constructor(
    private readonly o: MqttSinkOptions,
    readonly publisher: Publisher,
    private readonly outbox: Outbox,
    readonly broker: EmbeddedBroker | null,
    /** The broker's URL (the embedded one's real address). */
    readonly url: string,
  ) {
    this.origin = { gateway: o.config.gateway, channel: o.config.channel };
    this.statusTimer = setInterval(() => publisher.publishStatus(), o.config.mqtt.vitalsIntervalS * 1000);
    this.statusTimer.unref();
  }

  static async open(o: MqttSinkOptions): Promise<MqttSink> {
    const { mqtt, outbox: ob } = o.config;
    // The outbox first: a directory that cannot be used is a config error, and must not leave a broker running.
    let store: FileOutboxStore;
    try {
      store = FileOutboxStore.open(join(ob.dir, 'outbox.log'), { commitIntervalMs: ob.commitIntervalMs });
    } catch (err) {
      throw new UsageError(`outbox.dir = ${ob.dir}: cannot hold the outbox: ${(err as Error).message} (a writable directory, e.g. /var/lib/arrhythminet)`);
    }
    let broker: EmbeddedBroker | null = null;
    try {
      if (mqtt.url === 'embedded') broker = await startEmbeddedBroker({ port: mqtt.embeddedPort, host: '127.0.0.1' });
    } catch (err) {
      await store.close();
      throw err;
    }
    const url = broker?.url ?? mqtt.url;
    if (store.report.pending > 0 || store.report.discardedBytes > 0) o.logger.info({ outbox: store.report }, 'outbox: recovered');
    const outbox = new Outbox(store, ob.maxBytes);
    const publisher = new Publisher({
      url,
      clientId: mqtt.clientId,
      username: mqtt.username,
      password: mqtt.password,
      tls: mqtt.tls,
      protocolVersion: mqtt.protocolVersion,
      origin: { gateway: o.config.gateway, channel: o.config.channel },
      outbox,
      agentVersion: o.agentVersion,
      model: o.model === null ? undefined : { id: o.model },
      logger: o.logger,
      pipelineCounters: () => {
        const s = o.snapshot();
        if (!s) return { frames: 0, framesCorrupt: 0, framesLost: 0, samples: 0, beats: 0, events: 0 };
        return {
          frames: s.source.framesGood,
          framesCorrupt: s.source.framesCorrupt,
          framesLost: s.source.framesLost,
          samples: s.agent.samples,
          beats: s.agent.beats,
          events: s.agent.events,
          drops: s.agent.beatsDropped + s.agent.overflowUnclassified + s.source.samplesLost,
        };
      },
    });
    publisher.on('error', () => {}); // logged by the publisher; reconnects on its own
    return new MqttSink(o, publisher, outbox, broker, url);
  }

  beat(b: ClassifiedBeat): void {
    this.explain(b);
    if (!this.o.config.mqtt.publishBeats) return;
    const q = b.beat.quality;
    this.publisher.publishBeat(buildBeat(this.origin, {
      sample: b.beat.index,
      fs: b.beat.fs,
      wallMs: b.beat.wallMs ?? Date.now(),
      label: b.label,
      probs: b.probs,
      rrPrevMs: b.beat.rrPrevMs,
      rrLocalMeanMs: b.beat.rrLocalMs,
      quality: { leadOff: q === 'lead-off', saturated: q === 'saturated', gap: q === 'gap', poor: q !== 'good' },
    }));
  }

  /** Explanation of a beat's label: for non-normal labels, or every label with `model.gradcam: all` (explain-policy.ts). */
  private explain(b: ClassifiedBeat): void {
    const geometry: WindowGeometry = { fs: this.o.fs, before: this.o.window.before, after: this.o.window.after };
    const payload = explainPayloadOf(b, this.o.config.model.gradcam, this.origin, geometry);
    if (payload !== null) this.publisher.publishExplain(payload);
  }

  event(e: RhythmEvent): void {
    this.publisher.publishEvent(buildEvent(this.origin, e, this.o.fs, Date.now()));
    // One line per event handed to the outbox (after it is there, so a kill right after the line loses nothing):
    // what the outage test (and an operator) counts against what arrives.
    this.o.logger.debug({ eventId: e.id, phase: e.phase }, 'event: queued');
  }

  vitals(v: Vitals): void {
    this.publisher.publishVitals(buildVitals(this.origin, v));
  }

  stats(): PublisherStats {
    return this.publisher.stats();
  }

  /**
   * Waits up to `drainMs` for the broker to acknowledge what the outbox holds
   * (what is left stays on disk and goes out at the next start), then offline
   * status, disconnect, broker closed, within `timeoutMs` for the broker's answer.
   */
  async close(timeoutMs: number, drainMs = 0): Promise<void> {
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    const until = Date.now() + drainMs;
    while (this.outbox.size.records > 0 && this.publisher.connected && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 10));
    }
    if (this.outbox.size.records > 0) this.o.logger.info({ pending: this.outbox.size.records }, 'outbox: entries left for the next start');
    await this.publisher.close(timeoutMs);
    await this.outbox.close();
    await this.broker?.close();
  }
}
