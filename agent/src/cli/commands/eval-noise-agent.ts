/**
 * `arrhythminet eval noise --agent`: the noise stress test through the whole
 * agent path (eval/noise-stress-agent.ts): per noise and SNR, the VEB and SVEB
 * statistics of the agent's labels (EC57 evaluator, gross over the records,
 * from minute 5), the share of beats it left unclassified (Q), how much of the
 * noisy time it called poor signal, and the V, A and VT events it raised that
 * the reference does not back (eval/false-events.ts), per hour of noisy signal
 * and, for comparison, per hour of the clean segments in between.
 */
import type { Ratio } from '../../eval/confusion.ts';
import { evaluateRecords } from '../../eval/evaluate.ts';
import { addCounts, type SegmentEventCounts } from '../../eval/false-events.ts';
import { runAgentStress, type AgentStressRun } from '../../eval/noise-stress-agent.ts';
import type { StressNoise, StressRecord } from '../../eval/noise-stress-run.ts';
import type { AgentConfig } from '../../config/types.ts';
import type { Model } from '../../model/index.ts';
import type { PipelineSpec } from '../../pipeline.ts';

export interface AgentNoiseResult {
  noise: string;
  snrDb: number | null;
  runs: AgentStressRun[];
  gross: { vebSensitivity: Ratio; vebPositivePredictivity: Ratio; svebSensitivity: Ratio; svebPositivePredictivity: Ratio };
  /** Beats labelled Q (not classified) among the detected beats from minute 5. */
  unclassified: { q: number; beats: number };
  noisy: SegmentEventCounts;
  clean: SegmentEventCounts;
}

export async function agentNoiseResult(records: readonly StressRecord[], noise: StressNoise, snr: number | null,
  o: { model: Model; config: AgentConfig; spec: PipelineSpec; fromS: number }): Promise<AgentNoiseResult> {
  const runs: AgentStressRun[] = [];
  for (const r of records) runs.push(await runAgentStress(r, noise, snr, o));
  const evaluation = await evaluateRecords(records.map((r) => r.name), async (name) => {
    const r = records.find((x) => x.name === name)!;
    return { fs: r.header.fs, lengthSamples: r.header.nsamp, reference: r.reference, test: runs.find((x) => x.record === name)!.test };
  }, { startS: o.fromS });
  const g = evaluation.summary.gross;
  let q = 0;
  let beats = 0;
  runs.forEach((run, i) => {
    const from = Math.round(o.fromS * records[i].header.fs);
    for (const b of run.test) if (b.sample >= from) { beats++; if (b.symbol === 'Q') q++; }
  });
  return {
    noise: noise.name, snrDb: snr, runs,
    gross: { vebSensitivity: g.vebSensitivity, vebPositivePredictivity: g.vebPositivePredictivity, svebSensitivity: g.svebSensitivity, svebPositivePredictivity: g.svebPositivePredictivity },
    unclassified: { q, beats },
    noisy: runs.map((r) => r.falseEvents.noisy).reduce(addCounts),
    clean: runs.map((r) => r.falseEvents.clean).reduce(addCounts),
  };
}

const pct = (r: Ratio): string => (r.percent === null ? '     -' : r.percent.toFixed(2).padStart(6));
const perHour = (n: number, s: number): string => (s > 0 ? ((n * 3600) / s).toFixed(1) : '-').padStart(6);

/** Text table, one line per noise and SNR. */
export function formatAgentNoise(results: readonly AgentNoiseResult[]): string {
  const lines = [
    'noise  SNR     VEB Se  VEB +P  SVEB Se SVEB +P  Q %   poor % noisy/clean   false/h noisy: V     A    VT    clean: V     A    VT   (events noisy: V A VT)',
  ];
  for (const r of results) {
    const n = r.noisy;
    const c = r.clean;
    lines.push([
      r.noise.padEnd(5), (r.snrDb === null ? 'clean' : `${r.snrDb} dB`).padEnd(7),
      pct(r.gross.vebSensitivity), ' ', pct(r.gross.vebPositivePredictivity), ' ', pct(r.gross.svebSensitivity), ' ', pct(r.gross.svebPositivePredictivity),
      ((100 * r.unclassified.q) / Math.max(1, r.unclassified.beats)).toFixed(1).padStart(5),
      `${((100 * n.poorS) / Math.max(1e-9, n.seconds)).toFixed(1)}/${((100 * c.poorS) / Math.max(1e-9, c.seconds)).toFixed(1)}`.padStart(12),
      '            ', perHour(n.falseV, n.seconds), perHour(n.falseA, n.seconds), perHour(n.falseVt, n.seconds),
      '      ', perHour(c.falseV, c.seconds), perHour(c.falseA, c.seconds), perHour(c.falseVt, c.seconds),
      `   (${n.vEvents} ${n.aEvents} ${n.vtEvents})`,
    ].join(' '));
  }
  return lines.join('\n') + '\n';
}

/** The JSON form of one result (the runs' beats and events left out). */
export function agentNoiseJson(r: AgentNoiseResult): unknown {
  return {
    noise: r.noise, snrDb: r.snrDb, gross: r.gross, unclassified: r.unclassified, noisy: r.noisy, clean: r.clean,
    records: r.runs.map((run) => ({ record: run.record, falseEvents: run.falseEvents, counters: run.counters })),
  };
}
