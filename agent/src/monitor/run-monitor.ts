/**
 * `run`'s side of the monitor page: the sink built from the config, the
 * agent and its MQTT end, and the start of its server with the address
 * printed (console view) and logged. A port that cannot be opened is a
 * warning, not a stop: monitoring and publishing go on without the page.
 */
import type { Logger } from 'pino';
import type { AgentConfig } from '../config/types.ts';
import type { RunningAgent } from '../agent/agent.ts';
import type { ConsoleView } from '../agent/console-view.ts';
import type { MqttSink } from '../agent/mqtt-sink.ts';
import type { PipelineSpec } from '../pipeline/model-spec.ts';
import { AGENT_VERSION } from '../agent/version.ts';
import { MonitorSink } from './monitor-sink.ts';

export function monitorSink(config: AgentConfig, spec: PipelineSpec, mqtt: MqttSink, agent: () => RunningAgent | null, model: string | null, log: Logger): MonitorSink {
  return new MonitorSink({
    fs: spec.fs,
    host: config.monitor.host,
    port: config.monitor.port,
    token: config.monitor.token,
    onWarn: (what, detail) => log.warn(detail, what),
    hello: () => ({
      streamId: agent()?.streamId ?? '',
      fs: spec.fs,
      gateway: config.gateway,
      channel: config.channel,
      source: agent()?.description ?? '',
      model,
      window: { before: spec.before, after: spec.after },
      agentVersion: AGENT_VERSION,
    }),
    status: () => {
      const snap = agent()?.snapshot();
      const p = mqtt.publisher;
      return {
        broker: { url: mqtt.url, embedded: mqtt.broker !== null, connected: p.connected, outboxRecords: p.stats().outbox.records },
        signalS: (snap?.samplesAtModelRate ?? 0) / spec.fs,
        framesGood: snap?.source.framesGood ?? 0,
        framesCorrupt: snap?.source.framesCorrupt ?? 0,
        samplesLost: snap?.source.samplesLost ?? 0,
        beats: snap?.agent.beats ?? 0,
        beatsDropped: snap?.agent.beatsDropped ?? 0,
      };
    },
  });
}

export async function listenMonitor(monitor: MonitorSink, config: AgentConfig, log: Logger, view: ConsoleView | null): Promise<void> {
  try {
    const url = await monitor.listen();
    const hint = config.monitor.token === undefined ? '' : ' (add #token=YOUR_TOKEN to the address)';
    log.info({ url }, `monitor: the page is at ${url}`);
    view?.note(`Monitor page: ${url}${hint}`);
  } catch (err) {
    const why = `monitor: cannot serve the page on ${config.monitor.host}:${config.monitor.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    log.warn({ err: (err as Error).message }, `${why}; running without it`);
    view?.note(`WARNING: ${why}; running without the page (set monitor.port in a config file)`);
  }
}
