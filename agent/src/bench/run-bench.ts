/**
 * The whole bench, in an order that keeps the memory numbers honest: the
 * end-to-end replay first (its peak RSS is the agent's, before anything else
 * is loaded), then time per stage, model speeds, and beat latency.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { loadPipelineSpec } from '../pipeline/model-spec.ts';
import type { BenchResult } from './bench-result.ts';
import { benchEndToEnd } from './end-to-end.ts';
import { benchInputs } from './inputs.ts';
import { benchLatency } from './latency.ts';
import { describeMachine } from './machine.ts';
import { benchModels, shippedModels } from './models.ts';
import { benchStages } from './stages.ts';

export interface BenchOptions {
  repoRoot: string;
  mitdbDir: string;
  records?: string[];
  quick: boolean;
  command: string;
  progress?: (line: string) => void;
}

/** The model the speed targets name (issue 4): V1 int8, the larger of the two (the agent's default is V2 int8). */
const E2E_MODEL = 'models/arrhythminet-v1.int8.onnx';

export async function runBench(o: BenchOptions): Promise<BenchResult> {
  const loadStart = loadavg();
  const say = o.progress ?? (() => {});
  const spec = loadPipelineSpec();
  const modelPath = join(o.repoRoot, E2E_MODEL);
  const { kind, inputs } = await benchInputs({ mitdbDir: o.mitdbDir, records: o.records, quick: o.quick });
  say(`end to end: ${inputs.length} ${kind} inputs at full speed`);
  const endToEnd = await benchEndToEnd(inputs, { modelPath, spec, progress: say });
  say(`end to end: ${endToEnd.timesRealTime}x real time, peak RSS ${endToEnd.memory.peakRssMb} MB`);
  const stageInputs = inputs.slice(0, o.quick ? 1 : 3);
  say(`time per stage over ${stageInputs.map((i) => i.name).join(', ')}`);
  const stages = await benchStages(stageInputs, { modelPath, spec });
  say('model speeds');
  const models = await benchModels(shippedModels(join(o.repoRoot, 'models')), { beats: o.quick ? 256 : 4096, repeats: o.quick ? 1 : 3 });
  const latencyS = o.quick ? 4 : 60;
  say(`beat latency: ${latencyS} s in real time`);
  const latency = await benchLatency({ modelPath, spec, seconds: latencyS });
  return {
    version: 1, date: new Date().toISOString(), quick: o.quick, command: o.command, data: kind,
    machine: describeMachine(loadStart), endToEnd, stages, models, latency,
  };
}

export interface SoakBenchResult {
  version: 1;
  kind: 'soak';
  date: string;
  command: string;
  data: 'mitdb' | 'synthetic';
  machine: ReturnType<typeof describeMachine>;
  endToEnd: Awaited<ReturnType<typeof benchEndToEnd>>;
}

/** `bench --soak`: the end-to-end replay alone (all records back to back), for its per-hour RSS and queues. */
export async function runSoak(o: BenchOptions): Promise<SoakBenchResult> {
  const loadStart = loadavg();
  const say = o.progress ?? (() => {});
  const { kind, inputs } = await benchInputs({ mitdbDir: o.mitdbDir, records: o.records, quick: o.quick });
  say(`soak: ${inputs.length} ${kind} inputs back to back at full speed`);
  const endToEnd = await benchEndToEnd(inputs, { modelPath: join(o.repoRoot, E2E_MODEL), spec: loadPipelineSpec(), progress: say });
  return { version: 1, kind: 'soak', date: new Date().toISOString(), command: o.command, data: kind, machine: describeMachine(loadStart), endToEnd };
}
