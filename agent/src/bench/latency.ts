/**
 * Beat latency: the agent runs on a real-time synthetic source (360 SPS,
 * unframed, 100-ms chunks) publishing beats through its MQTT sink to a local
 * mosquitto (started here on a free port when installed; else an embedded aedes
 * broker), and a subscriber on the same machine timestamps each beat message.
 *   windowToBroker: from the arrival of the source chunk holding the last sample
 *     of the beat's window (computed from the chunk schedule) to the message at
 *     the subscriber: the "last sample of a beat window to broker".
 *   publishToBroker: from the agent handing the classified beat to its sink to
 *     the message at the subscriber (the MQTT part alone).
 * Both include the broker-to-subscriber hop (loopback) and timer lateness of a
 * loaded machine; they are upper bounds of the agent's own latency.
 * `windowToBrokerAfterWarmup` leaves out the beats of the detector's first
 * LEARNING period (2 s, dsp/qrs-detector.ts learningS): those are decided only
 * when it ends (once per stream, ~1 s late), the rest as their window completes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import pino from 'pino';
import { classifierOverModel } from '../agent/model-classifier.ts';
import { MqttSink } from '../agent/mqtt-sink.ts';
import type { AgentSink } from '../agent/sink.ts';
import { AGENT_VERSION } from '../agent/version.ts';
import { loadModel } from '../model/index.ts';
import type { PipelineSpec } from '../pipeline.ts';
import { startEmbeddedBroker } from '../publish/index.ts';
import { runAgentOnce } from './agent-run.ts';
import { benchConfig } from './inputs.ts';
import { summarizeLatency, type LatencySummary } from './percentiles.ts';

const MOSQUITTO = '/usr/sbin/mosquitto';
const SOURCE_FS = 360;
const CHUNK_SAMPLES = SOURCE_FS / 10;
/** The QRS detector's LEARNING period at a stream's start, s (its learningS default). */
const DETECTOR_WARMUP_S = 2;

export interface LatencyResult {
  broker: 'mosquitto' | 'embedded aedes';
  signalS: number;
  windowToBroker: LatencySummary;
  /** The same without the beats of the detector's start-up LEARNING period. */
  windowToBrokerAfterWarmup: LatencySummary;
  publishToBroker: LatencySummary;
}

interface Broker { url: string; close(): Promise<void> }

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function startMosquitto(dir: string): Promise<Broker> {
  const port = await freePort();
  const conf = join(dir, 'mosquitto.conf');
  // Started as root, mosquitto would drop to user "mosquitto"; keep ours.
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `user ${userInfo().username}`, 'log_dest stderr', 'log_type notice', 'log_type information', ''].join('\n'));
  const proc: ChildProcess = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  for (let i = 0; i < 250 && !err.includes(`port ${port}`) && proc.exitCode === null; i++) await new Promise((r) => setTimeout(r, 20));
  if (proc.exitCode !== null || !err.includes(`port ${port}`)) {
    proc.kill('SIGKILL');
    throw new Error(`mosquitto did not start: ${err.trim()}`);
  }
  return { url: `mqtt://127.0.0.1:${port}`, close: () => new Promise((r) => (proc.exitCode !== null ? r() : (proc.once('exit', () => r()), proc.kill('SIGTERM')))) };
}

export async function benchLatency(o: { modelPath: string; spec: PipelineSpec; seconds: number }): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-latency-'));
  const useMosquitto = existsSync(MOSQUITTO);
  const broker: Broker = useMosquitto ? await startMosquitto(dir) : await startEmbeddedBroker({ port: 0 });
  const model = await loadModel(o.modelPath);
  const input = { name: 'latency', source: { type: 'synthetic', rateHz: SOURCE_FS, framed: false, pvcEverySeconds: 7 }, durationSec: o.seconds, fast: false };
  const config = await benchConfig(input, { brokerUrl: broker.url, outboxDir: dir, modelPath: o.modelPath, gradcam: 'non-normal' });
  const sub = mqtt.connect(broker.url, { protocolVersion: 5 });
  const windowMs: number[] = [];
  const afterWarmupMs: number[] = [];
  const publishMs: number[] = [];
  /** Per beat (by its model-rate R index): when it was handed to the sink, and its window's last sample (a few samples off R + after: spec window.align). */
  const handed = new Map<number, { atMs: number; windowEnd: number }>();
  try {
    await new Promise<void>((resolve, reject) => {
      sub.once('error', reject);
      sub.once('connect', () => sub.subscribe(`arrhythminet/v1/${config.gateway}/${config.channel}/beat`, { qos: 0 }, (err) => (err ? reject(err) : resolve())));
    });
    sub.on('message', (_topic, payload) => {
      const now = Date.now();
      const b = JSON.parse(payload.toString()) as { sample: number; fs: number; wallMs: number };
      // Sample 0 of the stream is at wallMs - sample/fs; the window's last sample reaches the agent with its chunk.
      const t0 = b.wallMs - (b.sample * 1000) / b.fs;
      const h = handed.get(b.sample);
      handed.delete(b.sample);
      const end = h?.windowEnd ?? b.sample + o.spec.after - 1;
      const lastSample = Math.ceil(((end + 1) * SOURCE_FS) / b.fs) - 1;
      const chunkEnd = Math.ceil((lastSample + 1) / CHUNK_SAMPLES) * CHUNK_SAMPLES;
      const ms = now - (t0 + (chunkEnd * 1000) / SOURCE_FS);
      windowMs.push(ms);
      if (b.sample >= DETECTOR_WARMUP_S * b.fs) afterWarmupMs.push(ms);
      if (h !== undefined) publishMs.push(now - h.atMs);
    });
    const mqttSink = await MqttSink.open({
      config, logger: pino({ level: 'silent' }), agentVersion: AGENT_VERSION, model: String(model.card.name), fs: o.spec.fs,
      window: { before: o.spec.before, after: o.spec.after }, snapshot: () => null,
    });
    const timing: AgentSink = {
      beat: (b) => {
        handed.set(b.beat.index, { atMs: Date.now(), windowEnd: b.beat.windowStart + b.beat.window.length - 1 });
        mqttSink.beat(b);
      },
      event: (e) => mqttSink.event(e),
      vitals: (v) => mqttSink.vitals(v),
      close: (t, d) => mqttSink.close(t, d),
    };
    // Let the publisher connect before the stream starts.
    for (let i = 0; i < 250 && !mqttSink.publisher.connected; i++) await new Promise((r) => setTimeout(r, 20));
    const r = await runAgentOnce(input, config, { classifier: classifierOverModel(model, config.model), sinks: [timing], spec: o.spec });
    await new Promise((res) => setTimeout(res, 300));
    await timing.close(1000, 1000);
    return { broker: useMosquitto ? 'mosquitto' : 'embedded aedes', signalS: Math.round(r.signalS * 10) / 10, windowToBroker: summarizeLatency(windowMs), windowToBrokerAfterWarmup: summarizeLatency(afterWarmupMs), publishToBroker: summarizeLatency(publishMs) };
  } finally {
    await new Promise<void>((r) => sub.end(true, {}, () => r()));
    await model.release();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
