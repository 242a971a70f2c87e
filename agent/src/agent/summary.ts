/** The agent's counters as one line (final summary on shutdown) and as a log object. */
import type { AgentSnapshot } from './agent.ts';

export interface PublishSummary {
  published: Record<string, number>;
  beatsShed: number;
  latencyMs: { p50: number | null; p99: number | null };
}

export function formatSummary(s: AgentSnapshot, fs: number, publish?: PublishSummary): string {
  const a = s.agent;
  const f = s.source;
  const parts = [
    `${(s.samplesAtModelRate / fs).toFixed(1)} s of signal`,
    `frames good ${f.framesGood} corrupt ${f.framesCorrupt} lost ${f.framesLost}`,
    `samples ${a.samples} (lost ${f.samplesLost}, unplug placeholders ${f.holeSamples}, garbled-line placeholders ${f.garbledSamples})`,
    `beats ${a.beats} (classified ${a.classified})`,
    `events ${a.events}`,
    `drops ${a.beatsDropped + a.overflowUnclassified + (publish?.beatsShed ?? 0)} (beats dropped ${a.beatsDropped}, unclassified for backlog ${a.overflowUnclassified}${publish ? `, beats shed offline ${publish.beatsShed}` : ''})`,
  ];
  if (publish) {
    const p = publish.latencyMs;
    parts.push(`published ${Object.entries(publish.published).map(([k, n]) => `${k} ${n}`).join(' ')}`,
      `publish latency p50 ${p.p50 ?? '-'} ms p99 ${p.p99 ?? '-'} ms`);
  }
  return parts.join('; ');
}
