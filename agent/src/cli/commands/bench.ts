/**
 * `arrhythminet bench`: end-to-end throughput, time per stage, model speeds,
 * Grad-CAM overhead, beat latency and memory (agent/src/bench/), written to a
 * JSON file, compared with the recorded baseline (regressions > 10% flagged),
 * and, for a full run, written into docs/benchmarks.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { parseCommandArgs } from '../args.ts';
import { EXIT_OK, UsageError } from '../errors.ts';
import { benchMetrics, checkBenchResult, type BenchResult } from '../../bench/bench-result.ts';
import { compareMetrics, type Comparison } from '../../bench/compare.ts';
import { benchMarkdown, replaceGenerated, soakMarkdown } from '../../bench/report.ts';
import { runBench, runSoak } from '../../bench/run-bench.ts';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');

const usage = `usage: arrhythminet bench [--json] [--quick] [--records R,R,...] [--out FILE] [--baseline FILE] [--save-baseline] [--markdown FILE] [--strict]
       arrhythminet bench --soak [--json] [--quick] [--records R,R,...] [--out FILE]

  --json            print the result JSON on stdout (progress stays on stderr)
  --quick           a few seconds of synthetic ECG: checks the bench runs (numbers
                    not comparable with full runs; no file written unless --out)
  --records LIST    MIT-BIH records, comma-separated (default: all 48 in
                    $MITDB_DIR or ../shared/data/mitdb; synthetic when absent)
  --out FILE        result JSON (default for full runs: docs/benchmarks.json)
  --baseline FILE   compare with this result (default for full runs:
                    docs/benchmarks-baseline.json); > 10% worse is a regression
  --save-baseline   write this result as the baseline
  --markdown FILE   write the tables into FILE between the bench markers
                    (default for full runs: docs/benchmarks.md)
  --strict          exit 1 when a regression is flagged
  --soak            only the end-to-end replay (every record back to back at full
                    speed), with RSS and queue lengths per hour of signal; the
                    full bench includes the same table`;

export const benchCommand: Command = {
  name: 'bench',
  summary: 'throughput, latency and memory benchmarks',
  usage,
  async run(args) {
    const { values } = parseCommandArgs(args, {
      json: { type: 'boolean' }, quick: { type: 'boolean' }, records: { type: 'string' }, out: { type: 'string' },
      baseline: { type: 'string' }, 'save-baseline': { type: 'boolean' }, markdown: { type: 'string' }, strict: { type: 'boolean' },
      soak: { type: 'boolean' },
    }, false);
    const quick = Boolean(values.quick);
    const records = values.records?.split(',').map((r) => r.trim()).filter((r) => r.length > 0);
    if (values.records !== undefined && (!records || records.length === 0)) throw new UsageError(`--records: expected record names separated by commas, e.g. 100,208; got '${values.records}'`);
    if (values.soak) {
      for (const k of ['baseline', 'save-baseline', 'markdown', 'strict'] as const) if (values[k] !== undefined) throw new UsageError(`--${k} does not go with --soak (allowed with it: --json, --quick, --records, --out)`);
      const soak = await runSoak({ repoRoot, mitdbDir: process.env.MITDB_DIR ?? join(repoRoot, '..', 'shared', 'data', 'mitdb'), records, quick, command: `arrhythminet bench ${args.join(' ')}`.trim(), progress: (l) => process.stderr.write(`${l}\n`) })
        .catch((err: unknown) => { throw err instanceof RangeError ? new UsageError(err.message) : err; });
      const json = JSON.stringify(soak, null, 2);
      if (values.out) writeFileSync(values.out, `${json}\n`);
      process.stdout.write(values.json ? `${json}\n` : `${soakMarkdown(soak.endToEnd.soak).join('\n')}\n`);
      return EXIT_OK;
    }
    const full = !quick && records === undefined;
    const out = values.out ?? (quick ? undefined : join(repoRoot, 'docs', 'benchmarks.json'));
    const baselinePath = values.baseline ?? (quick ? undefined : join(repoRoot, 'docs', 'benchmarks-baseline.json'));
    const markdown = values.markdown ?? (full ? join(repoRoot, 'docs', 'benchmarks.md') : undefined);
    const baseline = baselinePath !== undefined && existsSync(baselinePath) ? readBaseline(baselinePath) : null;
    if (values.baseline !== undefined && baseline === null) throw new UsageError(`--baseline ${values.baseline}: no such file`);

    const mitdbDir = process.env.MITDB_DIR ?? join(repoRoot, '..', 'shared', 'data', 'mitdb');
    const progress = (line: string) => process.stderr.write(`${line}\n`);
    let result: BenchResult;
    try {
      result = await runBench({ repoRoot, mitdbDir, records, quick, command: `arrhythminet bench ${args.join(' ')}`.trim(), progress });
    } catch (err) {
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    const cmp: Comparison | null = baseline ? compareMetrics(benchMetrics(baseline), benchMetrics(result)) : null;
    const json = JSON.stringify({ ...result, comparison: cmp }, null, 2);
    if (out) writeFileSync(out, `${json}\n`);
    if (values['save-baseline']) writeFileSync(baselinePath ?? join(repoRoot, 'docs', 'benchmarks-baseline.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (markdown) writeFileSync(markdown, replaceGenerated(existsSync(markdown) ? readFileSync(markdown, 'utf8') : '# Benchmarks\n', benchMarkdown(result, cmp)));
    if (values.json) process.stdout.write(`${json}\n`);
    else process.stdout.write(`${benchMarkdown(result, cmp)}\n`);
    if (cmp) for (const r of cmp.regressions) progress(`REGRESSION ${r.name}: ${r.baseline} -> ${r.current} (${Math.round(r.worse * 100)}% worse)`);
    return values.strict && cmp && cmp.regressions.length > 0 ? 1 : EXIT_OK;
  },
};

function readBaseline(path: string): BenchResult {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`baseline ${path}: not JSON: ${(err as Error).message}`);
  }
  const problems = checkBenchResult(v);
  if (problems.length > 0) throw new UsageError(`baseline ${path}: not a bench result: ${problems.join('; ')}`);
  return v as BenchResult;
}
