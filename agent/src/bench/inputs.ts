/**
 * What the bench replays: the MIT-BIH records (WFDB replay at full speed) when
 * the data is there, else synthetic ECG (through the ADS1292 frame codec, like
 * the agent's default source) of the same length; `--quick` uses a few seconds
 * of synthetic ECG. Each input becomes a complete agent config (schema defaults
 * filled by the config loader), so the bench runs what `run` runs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../config/load.ts';
import type { AgentConfig } from '../config/types.ts';
import { findSignal, listRecords, MITDB_PRIMARY_LEAD, readHeader } from '../sources/wfdb/index.ts';

export interface BenchInput {
  name: string;
  /** The agent's source (and the rest) for this input; mqtt.url and outbox.dir filled by the caller. */
  source: Record<string, unknown>;
  /** Synthetic inputs: length, s (WFDB records end by themselves). */
  durationSec?: number;
  fast: boolean;
}

/** A MIT-BIH record is 30 min 5.6 s; synthetic inputs are as long. */
export const RECORD_SEC = 1805.6;

export async function benchInputs(o: { mitdbDir: string; records?: string[]; quick: boolean; syntheticCount?: number }): Promise<{ kind: 'mitdb' | 'synthetic'; inputs: BenchInput[] }> {
  if (!o.quick && existsSync(join(o.mitdbDir, 'RECORDS'))) {
    const all = await listRecords(o.mitdbDir);
    const wanted = o.records ?? all;
    const unknown = wanted.filter((r) => !all.includes(r));
    if (unknown.length > 0) throw new RangeError(`--records: ${unknown.join(', ')} not in ${join(o.mitdbDir, 'RECORDS')} (has ${all[0]} ... ${all.at(-1)})`);
    const inputs: BenchInput[] = [];
    for (const r of wanted) {
      // MLII, or V5 where a paced record lacks it (102, 104), as the evaluation tools choose.
      const header = await readHeader(join(o.mitdbDir, r));
      const signal = header.signals[findSignal(header, MITDB_PRIMARY_LEAD)].description;
      inputs.push({ name: r, source: { type: 'wfdb', record: join(o.mitdbDir, r), signal, speed: 'fast' }, fast: true });
    }
    return { kind: 'mitdb', inputs };
  }
  const n = o.records?.length ?? o.syntheticCount ?? (o.quick ? 2 : 48);
  return {
    kind: 'synthetic',
    inputs: Array.from({ length: n }, (_, i) => ({
      // Named as what it is: synthetic ECG standing in for a record (--quick, or no MIT-BIH here).
      name: o.records?.[i] !== undefined ? `synthetic-${i + 1} (for ${o.records[i]})` : `synthetic-${i + 1}`,
      source: { type: 'synthetic', seed: i + 1, pvcEverySeconds: 7, apcEverySeconds: 11 },
      durationSec: o.quick ? 4 : RECORD_SEC,
      fast: true,
    })),
  };
}

export async function benchConfig(input: Pick<BenchInput, 'source' | 'name'>, o: { brokerUrl: string; outboxDir: string; modelPath: string; gradcam: 'off' | 'non-normal' | 'all' }): Promise<AgentConfig> {
  return parseConfig({
    gateway: 'bench',
    channel: input.name.replace(/[^A-Za-z0-9_-]/g, '_'),
    source: input.source,
    model: { path: o.modelPath, gradcam: o.gradcam },
    mqtt: { url: o.brokerUrl },
    outbox: { dir: o.outboxDir },
    log: { level: 'silent' },
  }, `bench input ${input.name}`);
}
