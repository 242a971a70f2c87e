/**
 * One agent run over one bench input: the agent's own wiring (startAgent:
 * source -> pipeline -> bounded batched classification with Grad-CAM ->
 * vitals and rhythm rules -> sinks), timed from start to the end of the stream.
 */
import { startAgent, type AgentSnapshot, type RunningAgent } from '../agent/agent.ts';
import type { BeatClassifier } from '../agent/classifier.ts';
import type { AgentSink } from '../agent/sink.ts';
import type { AgentConfig } from '../config/types.ts';
import type { PipelineSpec } from '../pipeline.ts';
import type { BenchInput } from './inputs.ts';

export interface AgentRunResult {
  wallS: number;
  /** Signal replayed, s (model-rate samples / fs). */
  signalS: number;
  snapshot: AgentSnapshot;
}

export async function runAgentOnce(input: BenchInput, config: AgentConfig, o: { classifier?: BeatClassifier; sinks: AgentSink[]; spec: PipelineSpec; onStart?: (agent: RunningAgent) => void }): Promise<AgentRunResult> {
  const t0 = performance.now();
  const agent = startAgent({ config, sinks: o.sinks, classifier: o.classifier, durationSec: input.durationSec, fast: input.fast, spec: o.spec });
  o.onStart?.(agent);
  const snapshot = await agent.done;
  const wallS = (performance.now() - t0) / 1000;
  return { wallS, signalS: snapshot.samplesAtModelRate / o.spec.fs, snapshot };
}
