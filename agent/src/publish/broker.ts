/**
 * The embedded broker for the zero-config default (`mqtt.url: embedded`):
 * aedes on 127.0.0.1, in memory. It speaks MQTT 3.1.1 only, so the client
 * falls back from v5 (client.ts); retained messages and QoS 1 work.
 * Not for production fan-out: no persistence across restarts, no auth.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBrokerOptions {
  /** TCP port; 0 picks a free one. Default 1883. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1 (never exposed by default). */
  host?: string;
}

export interface EmbeddedBroker {
  readonly port: number;
  readonly host: string;
  /** mqtt://host:port */
  readonly url: string;
  readonly aedes: Aedes;
  close(): Promise<void>;
}

export async function startEmbeddedBroker(options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const host = options.host ?? '127.0.0.1';
  const wanted = options.port ?? 1883;
  if (!Number.isInteger(wanted) || wanted < 0 || wanted > 65535) throw new RangeError(`embedded broker port: must be an integer from 0 to 65535, got ${wanted}`);
  const aedes = await Aedes.createBroker();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(wanted, host, () => resolve());
    });
  } catch (err) {
    await new Promise<void>((r) => aedes.close(() => r()));
    const e = err as NodeJS.ErrnoException;
    throw new Error(`embedded broker: cannot listen on ${host}:${wanted}: ${e.code === 'EADDRINUSE' ? 'the port is in use (set mqtt.embeddedPort, 0 for any free port)' : e.message}`);
  }
  const port = (server.address() as { port: number }).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    host,
    url: `mqtt://${host}:${port}`,
    aedes,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((r) => server.close(() => r()));
        for (const s of sockets) s.destroy();
        await new Promise<void>((r) => aedes.close(() => r()));
        await closed;
      })();
      return closing;
    },
  };
}
