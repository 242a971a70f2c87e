/**
 * The monitor page as one of the agent's sinks: the hub (batches for the
 * pages) created before the agent starts, its server listening once the
 * agent runs (the page's hello names the stream). `close` stops both.
 */
import type { ConditionedChunk } from '../pipeline/chunks.ts';
import type { ClassifiedBeat } from '../agent/records.ts';
import type { AgentSink } from '../agent/sink.ts';
import type { RhythmEvent } from '../rhythm/types.ts';
import { MonitorHub, type MonitorHubOptions } from './hub.ts';
import { startMonitorServer, type MonitorServer } from './server.ts';

export interface MonitorSinkOptions extends MonitorHubOptions {
  host: string;
  port: number;
  token?: string;
  onWarn?: (what: string, detail: Record<string, unknown>) => void;
}

export class MonitorSink implements AgentSink {
  readonly hub: MonitorHub;
  private server: MonitorServer | null = null;

  constructor(private readonly o: MonitorSinkOptions) {
    this.hub = new MonitorHub(o);
  }

  /** Starts serving the page; resolves with its address. */
  async listen(): Promise<string> {
    this.server = await startMonitorServer({ hub: this.hub, host: this.o.host, port: this.o.port, token: this.o.token, onWarn: this.o.onWarn });
    return this.server.url;
  }

  signal(chunk: ConditionedChunk): void {
    this.hub.signal(chunk);
  }

  beat(b: ClassifiedBeat): void {
    this.hub.beat(b);
  }

  event(e: RhythmEvent): void {
    this.hub.event(e);
  }

  vitals(): void {}

  async close(): Promise<void> {
    await this.hub.close();
    await this.server?.close();
  }
}
