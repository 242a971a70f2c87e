/**
 * The bench's result (what the JSON file holds) and the metrics the
 * regression check compares, each with its better direction.
 */
import type { Metric } from './compare.ts';
import type { EndToEndResult } from './end-to-end.ts';
import type { LatencyResult } from './latency.ts';
import type { MachineInfo } from './machine.ts';
import type { ModelSpeed } from './models.ts';
import type { StagesResult } from './stages.ts';

export interface BenchResult {
  version: 1;
  date: string;
  quick: boolean;
  command: string;
  data: 'mitdb' | 'synthetic';
  machine: MachineInfo;
  endToEnd: EndToEndResult;
  stages: StagesResult;
  models: ModelSpeed[];
  latency: LatencyResult;
}

export function benchMetrics(r: BenchResult): Metric[] {
  const out: Metric[] = [
    { name: 'endToEnd.timesRealTime', value: r.endToEnd.timesRealTime, better: 'higher' },
    { name: 'endToEnd.peakRssMb', value: r.endToEnd.memory.peakRssMb, better: 'lower' },
  ];
  for (const s of r.stages.stages) if (s.seconds > 0) out.push({ name: `stages.${s.stage}.seconds`, value: s.seconds, better: 'lower' });
  for (const m of r.models) {
    out.push({ name: `models.${m.model}.batch1`, value: m.beatsPerSBatch1, better: 'higher' });
    out.push({ name: `models.${m.model}.batch64`, value: m.beatsPerSBatch64, better: 'higher' });
    out.push({ name: `models.${m.model}.batch64Gradcam`, value: m.beatsPerSBatch64Gradcam, better: 'higher' });
    // ?.: baselines recorded before the lone-beat latency have no singleBeat.
    if (m.singleBeat?.p99Ms != null) out.push({ name: `models.${m.model}.singleBeatP99Ms`, value: m.singleBeat.p99Ms, better: 'lower' });
  }
  if (r.latency.windowToBroker.p99Ms !== null) out.push({ name: 'latency.windowToBroker.p99Ms', value: r.latency.windowToBroker.p99Ms, better: 'lower' });
  if (r.latency.windowToBrokerAfterWarmup?.p99Ms != null) out.push({ name: 'latency.windowToBrokerAfterWarmup.p99Ms', value: r.latency.windowToBrokerAfterWarmup.p99Ms, better: 'lower' });
  if (r.latency.publishToBroker.p99Ms !== null) out.push({ name: 'latency.publishToBroker.p99Ms', value: r.latency.publishToBroker.p99Ms, better: 'lower' });
  return out;
}

/** Checks that a parsed JSON value has the shape of a BenchResult; returns what is wrong, or []. */
export function checkBenchResult(v: unknown): string[] {
  const problems: string[] = [];
  const o = v as Partial<BenchResult> | null;
  if (typeof o !== 'object' || o === null) return ['not an object'];
  if (o.version !== 1) problems.push(`version: expected 1, got ${JSON.stringify(o.version)}`);
  if (!o.machine || typeof o.machine.cores !== 'number') problems.push('machine.cores: missing');
  if (!o.endToEnd || !(o.endToEnd.timesRealTime > 0)) problems.push('endToEnd.timesRealTime: missing or not > 0');
  if (!o.stages || !Array.isArray(o.stages.stages)) problems.push('stages.stages: missing');
  if (!Array.isArray(o.models)) problems.push('models: missing');
  if (!o.latency || typeof o.latency.windowToBroker !== 'object') problems.push('latency.windowToBroker: missing');
  return problems;
}
