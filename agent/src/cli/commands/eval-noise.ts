/**
 * `arrhythminet eval noise`: the MIT-BIH Noise Stress Test (eval/noise-stress.ts)
 * with the project's detector: records 118 and 119 with an NSTDB noise recording
 * added at each SNR as PhysioNet's nst does, run through the pipeline, EC57
 * beat-by-beat from minute 5. Noise goes on both leads (each scaled to its own
 * lead); `--leads` says whether the detector uses the second. Prints Se and +P per record and SNR, the gross per
 * SNR, and what the quality stage flagged (or JSON). With --agent, the whole
 * agent path instead (eval-noise-agent.ts): V/A classification, poor-signal
 * time and false V, A and VT events per hour.
 */
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { parseCommandArgs } from '../args.ts';
import { recordPath } from '../../sources/wfdb/index.ts';
import type { Ratio } from '../../eval/confusion.ts';
import { loadConfig } from '../../config/load.ts';
import { loadModel } from '../../model/index.ts';
import { DEFAULT_MODEL_PATH } from '../../config/schema.ts';
import { loadPipelineSpec } from '../../pipeline/model-spec.ts';
import { parseLeads } from './eval.ts';
import { agentNoiseJson, agentNoiseResult, formatAgentNoise, type AgentNoiseResult } from './eval-noise-agent.ts';
import {
  evaluateRuns, falsePositivesByQuality, loadStressNoise, loadStressRecord, runStress, type StressRecord, type StressRun,
} from '../../eval/noise-stress-run.ts';
import type { DetectionLeads } from '../../pipeline.ts';
import { requireRecords } from '../record-args.ts';

export const NOISE_USAGE = [
  'arrhythminet eval noise --db DIR --noise-dir DIR [--records 118,119] [--noise em] [--snr 24,18,12,6,0,-6] [--leads 2] [--json]',
  '  --db DIR         MIT-BIH directory (headers, signals, reference annotations)',
  '  --noise-dir DIR  directory of the NSTDB noise recordings bw, em, ma',
  '  --noise NAME     noise recording(s), comma-separated (default em)',
  '  --snr LIST       SNRs in dB, comma-separated; "clean" for no noise (default clean,24,18,12,6,0,-6)',
  '  --from TIME      start of the comparison, s (default 300, the EC57 rule)',
  '  --leads 1|2      detection on the primary lead (MLII) alone, or with the second lead (V1) too; noise is',
  '                   added to both either way (default 2; with --agent: the config\'s dsp.leads)',
  '  --agent          the whole agent path: classification, signal quality, rhythm rules; reports VEB/SVEB',
  '                   statistics, poor-signal time and false V, A, VT events per hour',
  `  --model FILE     with --agent: the ONNX model (default: the config's, ${DEFAULT_MODEL_PATH})`,
  '  --config FILE    with --agent: agent config (model settings, rhythm thresholds, mains); default: the defaults',
].join('\n');

const OPTIONS = {
  db: { type: 'string' },
  'noise-dir': { type: 'string' },
  records: { type: 'string', default: '118,119' },
  noise: { type: 'string', default: 'em' },
  snr: { type: 'string', default: 'clean,24,18,12,6,0,-6' },
  from: { type: 'string', default: '300' },
  json: { type: 'boolean', default: false },
  agent: { type: 'boolean', default: false },
  leads: { type: 'string' },
  model: { type: 'string' },
  config: { type: 'string' },
} as const;

const list = (text: string): string[] => text.split(',').map((s) => s.trim()).filter((s) => s !== '');

function parseSnrs(text: string): (number | null)[] {
  const out = list(text).map((s) => {
    if (s === 'clean') return null;
    const v = Number(s);
    if (!Number.isFinite(v)) throw new UsageError(`--snr: '${s}' is not a number of dB (allowed: numbers such as 24 or -6, or "clean")`);
    return v;
  });
  if (out.length === 0) throw new UsageError('--snr is empty');
  return out;
}

const pct = (r: Ratio): string => (r.percent === null ? '     -' : r.percent.toFixed(2).padStart(6));
const snrText = (snr: number | null): string => (snr === null ? 'clean' : `${snr} dB`);

export async function evalNoise(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'\n${NOISE_USAGE}`);
  if (values.db === undefined) throw new UsageError(`--db DIR is required\n${NOISE_USAGE}`);
  if (values['noise-dir'] === undefined) throw new UsageError(`--noise-dir DIR is required\n${NOISE_USAGE}`);
  const records = list(values.records);
  if (records.length === 0) throw new UsageError('--records is empty');
  const noises = list(values.noise);
  if (noises.length === 0) throw new UsageError('--noise is empty');
  const snrs = parseSnrs(values.snr);
  const fromS = Number(values.from);
  if (!(fromS >= 0)) throw new UsageError(`--from '${values.from}': expected seconds >= 0`);

  if (!values.agent && (values.model !== undefined || values.config !== undefined)) throw new UsageError(`--model and --config go with --agent\n${NOISE_USAGE}`);
  requireRecords(records.map((r) => recordPath(values.db!, r)), '--records');
  const loaded = [];
  for (const r of records) loaded.push(await loadStressRecord(recordPath(values.db, r), r));
  const leads = values.leads === undefined ? undefined : parseLeads(values.leads);
  if (values.agent) return agentMode(loaded, noises, snrs, { noiseDir: values['noise-dir'], fromS, json: values.json, model: values.model, config: values.config, leads });
  const results = [];
  const tty = process.stderr.isTTY;
  for (const noiseName of noises) {
    const noise = await loadStressNoise(join(values['noise-dir'], noiseName), noiseName);
    for (const snr of snrs) {
      const runs: StressRun[] = [];
      for (const rec of loaded) {
        if (tty) process.stderr.write(`\r\x1b[K${noiseName} ${snrText(snr)} ${rec.name}`);
        runs.push(await runStress(rec, noise, snr, { fromS, leads: leads ?? 2 }));
      }
      const evaluation = await evaluateRuns(loaded, runs, fromS);
      results.push({ noise: noiseName, snr, runs, evaluation });
    }
  }
  if (tty) process.stderr.write('\r\x1b[K');

  if (values.json) {
    process.stdout.write(JSON.stringify({
      mode: 'noise', db: values.db, noiseDir: values['noise-dir'], fromS,
      leads: leads ?? 2,
      records: loaded.map((r) => ({
        record: r.name, signal: r.header.signals[r.signal].description, signalPtpMv: r.signalPtpMv,
        ...(r.second === null ? {} : { signal2: r.header.signals[r.second.signal].description, signal2PtpMv: r.second.signalPtpMv }),
      })),
      results: results.map((x) => ({
        noise: x.noise, snrDb: x.snr,
        records: x.runs.map((run, i) => ({
          record: run.record, leads: run.leads, gain: run.gain, counts: x.evaluation.records[i].counts,
          qrsSensitivity: x.evaluation.records[i].statistics.qrsSensitivity,
          qrsPositivePredictivity: x.evaluation.records[i].statistics.qrsPositivePredictivity,
          quality: run.quality,
          falsePositives: falsePositivesByQuality(x.evaluation.records[i].comparison.pairs, run.unclassifiable),
        })),
        gross: { qrsSensitivity: x.evaluation.summary.gross.qrsSensitivity, qrsPositivePredictivity: x.evaluation.summary.gross.qrsPositivePredictivity },
      })),
    }, null, 2) + '\n');
    return 0;
  }
  const lines = [`detection: ${detectionText(loaded, leads ?? 2)}`, 'noise  SNR     record   Se %    +P %    FN    FP  FP-poor  unclass.beats noisy/clean  bad-signal s noisy/clean'];
  for (const x of results) {
    const rows = x.runs.map((run, i) => ({
      name: run.record, stats: x.evaluation.records[i].statistics, q: run.quality,
      fpPoor: falsePositivesByQuality(x.evaluation.records[i].comparison.pairs, run.unclassifiable).unclassifiable,
    }));
    const g = x.evaluation.summary.gross;
    const sum = (f: (q: StressRun['quality']) => number) => x.runs.reduce((a, r) => a + f(r.quality), 0);
    const total = {
      name: 'gross', stats: { qrsSensitivity: g.qrsSensitivity, qrsPositivePredictivity: g.qrsPositivePredictivity },
      fpPoor: rows.reduce((a, r) => a + r.fpPoor, 0),
      q: {
        unclassifiableNoisy: sum((q) => q.unclassifiableNoisy), unclassifiableClean: sum((q) => q.unclassifiableClean),
        beatsNoisy: sum((q) => q.beatsNoisy), beatsClean: sum((q) => q.beatsClean),
        badSNoisy: sum((q) => q.badSNoisy), badSClean: sum((q) => q.badSClean), noisyS: sum((q) => q.noisyS), cleanS: sum((q) => q.cleanS),
      },
    };
    for (const row of [...rows, total]) {
      const se = row.stats.qrsSensitivity;
      const pp = row.stats.qrsPositivePredictivity;
      lines.push([
        x.noise.padEnd(5), snrText(x.snr).padEnd(7), row.name.padEnd(6), pct(se), '', pct(pp),
        String(se.denominator - se.numerator).padStart(5), String(pp.denominator - pp.numerator).padStart(5),
        String(row.fpPoor).padStart(8),
        `${row.q.unclassifiableNoisy}/${row.q.beatsNoisy} ${row.q.unclassifiableClean}/${row.q.beatsClean}`.padStart(26),
        `${row.q.badSNoisy.toFixed(0)}/${row.q.noisyS.toFixed(0)} ${row.q.badSClean.toFixed(0)}/${row.q.cleanS.toFixed(0)}`.padStart(26),
      ].join(' '));
    }
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** Which leads the detector used, per record: "two leads (118: MLII + V1, ...)". */
function detectionText(records: readonly StressRecord[], leads: DetectionLeads): string {
  const name = (r: StressRecord, i: number) => r.header.signals[i].description || `signal ${i}`;
  const per = records.map((r) => `${r.name}: ${name(r, r.signal)}${leads === 2 && r.second !== null ? ` + ${name(r, r.second.signal)}` : ''}`);
  return `${leads === 2 ? 'two leads where the record has them' : 'primary lead only'} (${per.join(', ')})`;
}

async function agentMode(records: StressRecord[], noises: string[], snrs: (number | null)[],
  o: { noiseDir: string; fromS: number; json: boolean; model?: string; config?: string; leads?: DetectionLeads }): Promise<number> {
  const loadedConfig = await loadConfig(o.config);
  const config = o.leads === undefined ? loadedConfig : { ...loadedConfig, dsp: { ...loadedConfig.dsp, leads: o.leads } };
  const model = await loadModel(o.model ?? config.model.path);
  const spec = loadPipelineSpec();
  const results: AgentNoiseResult[] = [];
  const tty = process.stderr.isTTY;
  try {
    for (const noiseName of noises) {
      const noise = await loadStressNoise(join(o.noiseDir, noiseName), noiseName);
      for (const snr of snrs) {
        if (tty) process.stderr.write(`\r\x1b[K${noiseName} ${snrText(snr)}`);
        results.push(await agentNoiseResult(records, noise, snr, { model, config, spec, fromS: o.fromS }));
      }
    }
  } finally {
    await model.release();
  }
  if (tty) process.stderr.write('\r\x1b[K');
  if (o.json) {
    process.stdout.write(JSON.stringify({ mode: 'noise-agent', model: String(model.card.name), leads: config.dsp.leads, fromS: o.fromS, records: records.map((r) => r.name), results: results.map(agentNoiseJson) }, null, 2) + '\n');
  } else {
    process.stdout.write(`model ${String(model.card.name)}, records ${records.map((r) => r.name).join(' ')}, from ${o.fromS} s, detection: ${detectionText(records, config.dsp.leads)}\n${formatAgentNoise(results)}`);
  }
  return 0;
}
