/**
 * Time per stage, by cumulative runs over the same inputs: (1) read the source
 * (file or synthetic + ADS1292 codec), (2) + signal pipeline (resample,
 * quality, filters, QRS detection, segmentation), (3) + classification and
 * rhythm rules (the agent's wiring, Grad-CAM off), (4) + Grad-CAM, (5) +
 * publishing through the MQTT sink to an embedded broker. Each stage's time is
 * the difference from the run before it; run-to-run noise can make a small
 * stage's difference slightly off: the sequence runs twice and each cumulative
 * time is the better of the two (the first pass also warms the JIT and onnxruntime).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, lastValueFrom } from 'rxjs';
import pino from 'pino';
import { classifierOverModel } from '../agent/model-classifier.ts';
import { MqttSink } from '../agent/mqtt-sink.ts';
import { AGENT_VERSION } from '../agent/version.ts';
import { loadModel } from '../model/index.ts';
import { beatPipeline, type PipelineSpec } from '../pipeline.ts';
import { startEmbeddedBroker } from '../publish/index.ts';
import { openSource } from '../sources/open-source.ts';
import { runAgentOnce } from './agent-run.ts';
import { benchConfig, type BenchInput } from './inputs.ts';

export interface StageTime {
  stage: string;
  /** Wall time of this stage alone, s, and its share of the whole. */
  seconds: number;
  share: number;
  /** Cumulative run up to this stage, times real time. */
  cumulativeTimesRealTime: number;
}

export interface StagesResult {
  inputs: string[];
  signalS: number;
  stages: StageTime[];
}

export async function benchStages(inputs: BenchInput[], o: { modelPath: string; spec: PipelineSpec }): Promise<StagesResult> {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-stages-'));
  const broker = await startEmbeddedBroker({ port: 0 });
  const model = await loadModel(o.modelPath);
  const cumulative: { stage: string; seconds: number }[] = [];
  let signalS = 0;
  let pass = 0;
  try {
    const configs = await Promise.all(inputs.map((input, i) => benchConfig({ ...input, name: `stage-${i}` }, { brokerUrl: broker.url, outboxDir: dir, modelPath: o.modelPath, gradcam: 'off' })));
    const timed = async (stage: string, each: (i: number) => Promise<unknown>) => {
      const t0 = performance.now();
      for (let i = 0; i < inputs.length; i++) await each(i);
      const seconds = (performance.now() - t0) / 1000;
      const seen = cumulative.find((c) => c.stage === stage);
      if (seen) seen.seconds = Math.min(seen.seconds, seconds);
      else cumulative.push({ stage, seconds });
    };
    const once = async () => {
      const source = (i: number) => openSource(configs[i].source, { durationSec: inputs[i].durationSec, fast: inputs[i].fast }).chunks$;
      await timed('read + decode', (i) => lastValueFrom(source(i).pipe(count())));
      await timed('signal pipeline', (i) => lastValueFrom(source(i).pipe(beatPipeline({ spec: o.spec, mainsHz: configs[i].dsp.mainsHz }), count())));
      await timed('classify + rules', async (i) => {
        const r = await runAgentOnce(inputs[i], configs[i], { classifier: classifierOverModel(model, configs[i].model), sinks: [], spec: o.spec });
        if (pass === 0) signalS += r.signalS;
      });
      const withCam = configs.map((c) => ({ ...c, model: { ...c.model, gradcam: 'non-normal' as const } }));
      await timed('Grad-CAM', (i) => runAgentOnce(inputs[i], withCam[i], { classifier: classifierOverModel(model, withCam[i].model), sinks: [], spec: o.spec }));
      const mqtt = await MqttSink.open({
        config: withCam[0], logger: pino({ level: 'silent' }), agentVersion: AGENT_VERSION, model: String(model.card.name), fs: o.spec.fs,
        window: { before: o.spec.before, after: o.spec.after }, snapshot: () => null,
      });
      try {
        await timed('publish (MQTT sink, outbox, aedes)', (i) => runAgentOnce(inputs[i], withCam[i], { classifier: classifierOverModel(model, withCam[i].model), sinks: [mqtt], spec: o.spec }));
      } finally {
        await mqtt.close(1000, 5000);
      }
    };
    for (pass = 0; pass < 2; pass++) await once();
  } finally {
    await model.release();
    await broker.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const total = cumulative.at(-1)!.seconds;
  const stages = cumulative.map((c, i) => {
    const seconds = c.seconds - (i > 0 ? cumulative[i - 1].seconds : 0);
    return { stage: c.stage, seconds: Math.round(seconds * 1000) / 1000, share: Math.round((seconds / total) * 1000) / 1000, cumulativeTimesRealTime: Math.round(signalS / c.seconds) };
  });
  return { inputs: inputs.map((i) => i.name), signalS: Math.round(signalS * 10) / 10, stages };
}
