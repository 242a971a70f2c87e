/**
 * End-to-end throughput: every input replayed back to back at full speed by
 * the agent's wiring, in this process, publishing to an embedded aedes broker
 * through the agent's MQTT sink (durable outbox included), classified by one
 * loaded model with Grad-CAM. Reports times real time overall and per input,
 * and RSS after each input (the memory target: peak <= 150 MB, end
 * within 10 MB of the value after the first record), and the soak (soak.ts):
 * RSS and queue lengths per hour of signal.
 * Limits: one model session and one MQTT sink serve all inputs (like one
 * long-running agent); each input gets fresh per-stream state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { classifierOverModel } from '../agent/model-classifier.ts';
import { MqttSink } from '../agent/mqtt-sink.ts';
import { AGENT_VERSION } from '../agent/version.ts';
import { loadModel } from '../model/index.ts';
import type { PipelineSpec } from '../pipeline.ts';
import { startEmbeddedBroker } from '../publish/index.ts';
import type { AgentSnapshot } from '../agent/agent.ts';
import { runAgentOnce } from './agent-run.ts';
import { benchConfig, type BenchInput } from './inputs.ts';
import { memorySnapshot, RssSampler, type MemorySnapshot } from './memory.ts';
import { SoakSampler, type SoakResult } from './soak.ts';

export interface InputResult {
  name: string;
  signalS: number;
  wallS: number;
  timesRealTime: number;
  beats: number;
  events: number;
  rssMbAfter: number;
}

export interface EndToEndResult {
  model: string;
  broker: string;
  inputs: InputResult[];
  signalS: number;
  wallS: number;
  timesRealTime: number;
  /** CPU time of this process over the replay (all threads, onnxruntime's included), s; less sensitive to other load than wall time. */
  cpuS: number;
  /** Signal / CPU time. */
  timesRealTimePerCpu: number;
  beats: number;
  beatsPerS: number;
  memory: { beforeModel: MemorySnapshot; afterSetup: MemorySnapshot; afterFirst: MemorySnapshot; atEnd: MemorySnapshot; peakRssMb: number; endMinusFirstMb: number };
  /** RSS and queue lengths per hour of signal, and the queues' maxima (the soak). */
  soak: SoakResult;
}

export async function benchEndToEnd(inputs: BenchInput[], o: { modelPath: string; spec: PipelineSpec; progress?: (line: string) => void }): Promise<EndToEndResult> {
  const beforeModel = memorySnapshot();
  const sampler = new RssSampler();
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-bench-'));
  const broker = await startEmbeddedBroker({ port: 0 });
  const model = await loadModel(o.modelPath);
  const sinkConfig = await benchConfig({ name: 'replay', source: { type: 'synthetic' } }, { brokerUrl: broker.url, outboxDir: dir, modelPath: o.modelPath, gradcam: 'non-normal' });
  let last: AgentSnapshot | null = null;
  const mqtt = await MqttSink.open({
    config: sinkConfig, logger: pino({ level: 'silent' }), agentVersion: AGENT_VERSION, model: String(model.card.name), fs: o.spec.fs,
    window: { before: o.spec.before, after: o.spec.after }, snapshot: () => last,
  });
  const afterSetup = memorySnapshot();
  const results: InputResult[] = [];
  let afterFirst: MemorySnapshot | null = null;
  const soak = new SoakSampler({ fs: o.spec.fs, mqtt: () => mqtt.stats() });
  const cpu0 = process.cpuUsage();
  let soakResult: SoakResult | null = null;
  let cpuUs: NodeJS.CpuUsage | null = null;
  try {
    for (const input of inputs) {
      const config = await benchConfig(input, { brokerUrl: broker.url, outboxDir: dir, modelPath: o.modelPath, gradcam: 'non-normal' });
      const r = await runAgentOnce(input, config, {
        classifier: classifierOverModel(model, config.model), sinks: [mqtt], spec: o.spec, onStart: (agent) => soak.start(() => agent.snapshot()),
      });
      soak.end(r.signalS);
      last = r.snapshot;
      const rss = sampler.sample();
      afterFirst ??= memorySnapshot();
      const ir: InputResult = {
        name: input.name, signalS: round(r.signalS, 1), wallS: round(r.wallS, 3), timesRealTime: round(r.signalS / r.wallS, 1),
        beats: r.snapshot.agent.beats, events: r.snapshot.agent.events, rssMbAfter: round(rss / 2 ** 20, 1),
      };
      results.push(ir);
      o.progress?.(`  ${ir.name}: ${ir.signalS} s of signal in ${ir.wallS} s (${ir.timesRealTime}x), ${ir.beats} beats, RSS ${ir.rssMbAfter} MB`);
    }
    cpuUs = process.cpuUsage(cpu0);
    soakResult = soak.stop();
  } finally {
    cpuUs ??= process.cpuUsage(cpu0);
    soakResult ??= soak.stop();
    await mqtt.close(1000, 5000);
    await model.release();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
  sampler.stop();
  const atEnd = memorySnapshot();
  const signalS = results.reduce((s, r) => s + r.signalS, 0);
  const cpuS = cpuUs === null ? 0 : (cpuUs.user + cpuUs.system) / 1e6;
  const wallS = results.reduce((s, r) => s + r.wallS, 0);
  const beats = results.reduce((s, r) => s + r.beats, 0);
  const first = afterFirst ?? atEnd;
  const endRss = results.at(-1)?.rssMbAfter ?? atEnd.rssMb;
  return {
    model: o.modelPath, broker: 'embedded aedes', inputs: results,
    signalS: round(signalS, 1), wallS: round(wallS, 2), timesRealTime: round(signalS / wallS, 1), cpuS: round(cpuS, 2), timesRealTimePerCpu: round(signalS / cpuS, 1),
    beats, beatsPerS: Math.round(beats / wallS),
    memory: { beforeModel, afterSetup, afterFirst: first, atEnd, peakRssMb: sampler.peakMb, endMinusFirstMb: round(endRss - first.rssMb, 1) },
    soak: soakResult,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
