/**
 * A real Node-RED 4 runtime for the flow tests, started in this process the
 * way a user runs it: a fresh user directory with the nodes package installed
 * in its node_modules from the tarball `npm pack` makes, the flow file from flows/ with its broker patched to the test's
 * broker, and a real MQTT broker (aedes) on an ephemeral port.
 *
 * One runtime per process: Node-RED's runtime is a singleton, so each flow test
 * file starts one and stops it at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { repoRoot } from '../helpers/requires.ts';
import { ensureNodesBuilt, nodesDir } from '../nodes/build.ts';

export type FlowNode = Record<string, any> & { id: string; type: string };

export interface Broker {
  port: number;
  aedes: Aedes;
  close(): Promise<void>;
}

export async function startBroker(): Promise<Broker> {
  const aedes = await Aedes.createBroker();
  const server: NetServer = createNetServer(aedes.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    aedes,
    close: () => new Promise<void>((resolve) => {
      aedes.close(() => server.close(() => resolve()));
    }),
  };
}

export function loadFlow(name: string): FlowNode[] {
  return JSON.parse(readFileSync(join(repoRoot, 'flows', `${name}.json`), 'utf8')) as FlowNode[];
}

/** Points every mqtt-broker config node at 127.0.0.1:port; `alertOptions` override every alert node's settings (shorter times for tests). */
export function patchFlow(flow: FlowNode[], port: number, alertOptions: Record<string, unknown> = {}): FlowNode[] {
  return flow.map((n) => {
    if (n.type === 'mqtt-broker') return { ...n, broker: '127.0.0.1', port: String(port) };
    if (n.type === 'arrhythmia alert') return { ...n, ...alertOptions };
    return n;
  });
}

export interface NodeRed {
  /** Node-RED's log lines at warn and above. */
  warnings: string[];
  /** Every log line at info and above (debug nodes set to the console log here). */
  log: string[];
  stop(): Promise<void>;
}

/**
 * Packs the nodes package as `npm pack` would publish it and unpacks it into
 * the user directory's node_modules, so the test sees exactly the published
 * files. The user directory lies under nodes/ only so that the package's own
 * dependencies (ajv, onnxruntime-node) resolve to this checkout's node_modules
 * without an npm install.
 */
function installPackage(userDir: string): void {
  const tgz = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', userDir], { cwd: nodesDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop()!;
  const target = join(userDir, 'node_modules', 'node-red-contrib-arrhythminet');
  mkdirSync(target, { recursive: true });
  execFileSync('tar', ['-xzf', join(userDir, tgz), '-C', target, '--strip-components=1']);
}

export async function startNodeRed(flow: FlowNode[]): Promise<NodeRed> {
  await ensureNodesBuilt();
  const userDir = mkdtempSync(join(nodesDir, '.flow-test-'));
  installPackage(userDir);
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flow));
  const require = createRequire(import.meta.url);
  const RED = require('node-red');
  const server: Server = createServer();
  const warnings: string[] = [];
  const log: string[] = [];
  RED.init(server, {
    userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    logging: {
      console: { level: 'off' },
      capture: { level: 'info', metrics: false, audit: false, handler: () => (m: { msg: unknown; level: number }) => {
        const text = typeof m.msg === 'string' ? m.msg : JSON.stringify(m.msg);
        log.push(text);
        // Warn is 30, error 20, fatal 10. Start-up notices of a bare user directory are not the flow's doing.
        if (m.level <= 30 && !/^(Projects disabled|Using unencrypted credentials)/.test(text)) warnings.push(text);
      } },
    },
    functionExternalModules: false,
  });
  const stop = async () => {
    await RED.stop();
    server.close();
    rmSync(userDir, { recursive: true, force: true });
  };
  await RED.start();
  const types = ['arrhythmia in', 'arrhythmia alert', 'arrhythmia classify', 'arrhythmia render'];
  const missing = types.filter((t) => typeof RED.nodes.getType(t) !== 'function');
  if (missing.length > 0) {
    await stop();
    throw new Error(`Node-RED did not register ${missing.join(', ')} from the installed package; log: ${warnings.join(' | ')}`);
  }
  return { warnings, log, stop };
}

/** Resolves once a client has subscribed to `topic` on the broker (the flow's mqtt in node is live). */
export function subscribed(aedes: Aedes, topic: string, limitMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no client subscribed to ${topic} within ${limitMs} ms`)), limitMs);
    aedes.on('subscribe', (subs) => {
      if (subs.some((s) => s.topic === topic)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

/** An MQTT client on the test broker that keeps every message on `filter`. */
export async function listen(port: number, filter: string): Promise<{ client: MqttClient; messages: { topic: string; payload: any }[] }> {
  const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { protocolVersion: 4 });
  const messages: { topic: string; payload: any }[] = [];
  client.on('message', (topic, body) => messages.push({ topic, payload: JSON.parse(body.toString()) }));
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, messages };
}

export async function waitFor(ready: () => boolean, limitMs = 10_000, what = 'condition'): Promise<void> {
  for (let waited = 0; !ready(); waited += 20) {
    if (waited > limitMs) throw new Error(`${what} not met within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface RunningFlow {
  broker: Broker;
  red: NodeRed;
  /** Stops Node-RED, then the broker. */
  close(): Promise<void>;
}

/**
 * A flow of flows/ running: an aedes broker on an ephemeral port, the flow
 * pointed at it with `alertOptions` over its alert nodes (and `edit` applied to
 * each node), in a Node-RED started with the package; resolves once the flow's
 * mqtt in node has subscribed to `subscribedTo`.
 */
export async function runFlow(name: string, alertOptions: Record<string, unknown>, subscribedTo: string,
  edit: (n: FlowNode) => FlowNode = (n) => n): Promise<RunningFlow> {
  const broker = await startBroker();
  const flow = patchFlow(loadFlow(name), broker.port, alertOptions).map(edit);
  const live = subscribed(broker.aedes, subscribedTo);
  let red: NodeRed;
  try {
    red = await startNodeRed(flow);
  } catch (err) {
    await broker.close();
    throw err;
  }
  const close = async () => {
    await red.stop();
    await broker.close();
  };
  try {
    await live;
  } catch (err) {
    await close();
    throw err;
  }
  return { broker, red, close };
}
