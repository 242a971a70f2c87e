/** A subscriber that records what it receives, and small waiting helpers, for the MQTT tests. */
import { createServer } from 'node:net';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';

export interface Received {
  topic: string;
  body: any;
  qos: number;
  retain: boolean;
  properties?: IPublishPacket['properties'];
}

export interface Collector {
  client: MqttClient;
  messages: Received[];
  of(kind: string): Received[];
  close(): Promise<void>;
}

export async function collect(url: string, filter: string, options: IClientOptions = {}): Promise<Collector> {
  const client = mqtt.connect(url, { reconnectPeriod: 100, connectTimeout: 2000, ...options });
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, body: JSON.parse(payload.toString()), qos: packet.qos, retain: packet.retain, properties: packet.properties });
  });
  client.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => client.subscribe(filter, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
  });
  return {
    client,
    messages,
    of: (kind) => messages.filter((m) => m.topic.endsWith(`/${kind}`)),
    close: () => new Promise((r) => client.end(true, {}, () => r())),
  };
}

/** Polls `check` until it is true or `timeoutMs` passes; returns whether it became true. */
export async function waitUntil(check: () => boolean, timeoutMs = 10_000, stepMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return check();
}

/** A TCP port free right now on 127.0.0.1 (for a broker that must come back on the same port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
