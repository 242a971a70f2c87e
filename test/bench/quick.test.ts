/**
 * `arrhythminet bench --quick` end to end on a few seconds of synthetic ECG:
 * it runs, writes well-formed JSON whose numbers hang together, and the
 * regression check over its own metrics flags a 20% slowdown and not a 5% one.
 * No assertion on speed (wall-clock numbers depend on the machine).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/requires.ts';
import { benchMetrics, checkBenchResult, type BenchResult } from '../../agent/src/bench/bench-result.ts';
import { compareMetrics } from '../../agent/src/bench/compare.ts';

const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, 'bench', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const guard = setTimeout(() => child.kill('SIGKILL'), 100_000);
    child.on('close', (code) => { clearTimeout(guard); resolve({ code, stdout, stderr }); });
  });
}

test('bench --quick: well-formed JSON, consistent numbers, and a baseline comparison that flags 20% and not 5%', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-quick-'));
  const out = join(dir, 'result.json');
  const r = await cli(['--quick', '--json', '--out', out, '--markdown', join(dir, 'bench.md')]);
  t.is(r.code, 0, r.stderr.slice(-2000));
  const result = JSON.parse(await readFile(out, 'utf8')) as BenchResult;
  t.deepEqual(JSON.parse(r.stdout), result, 'stdout carries the same JSON as the file');
  t.deepEqual(checkBenchResult(result), []);
  t.true(result.quick);
  t.is(result.data, 'synthetic');

  const e = result.endToEnd;
  t.is(e.inputs.length, 2);
  t.is(e.beats, e.inputs.reduce((s, i) => s + i.beats, 0));
  t.true(e.beats > 0, 'beats were detected');
  t.true(e.inputs.every((i) => Math.abs(i.signalS - 4) < 0.2), `each input is 4 s of signal: ${e.inputs.map((i) => i.signalS)}`);
  t.true(Math.abs(e.timesRealTime - e.signalS / e.wallS) / e.timesRealTime < 0.05);
  t.true(e.memory.peakRssMb >= e.memory.afterFirst.rssMb);

  t.deepEqual(result.stages.stages.map((s) => s.stage), ['read + decode', 'signal pipeline', 'classify + rules', 'Grad-CAM', 'publish (MQTT sink, outbox, aedes)']);
  t.true(Math.abs(result.stages.stages.reduce((s, x) => s + x.share, 0) - 1) < 0.01, 'stage shares sum to 1');

  const shipped = readdirSync(join(repoRoot, 'models')).filter((f) => f.endsWith('.onnx')).sort();
  t.deepEqual(result.models.map((m) => m.model), shipped);
  t.true(result.models.every((m) => m.beatsPerSBatch1 > 0 && m.beatsPerSBatch64 > 0 && m.beatsPerSBatch64Gradcam > 0));
  for (const m of result.models) {
    for (const l of [m.singleBeat, m.singleBeatGradcam]) {
      t.true(l.count >= 64, `${m.model}: one-beat calls timed: ${l.count}`);
      t.true(l.p50Ms! > 0 && l.p50Ms! <= l.p99Ms! && l.p99Ms! <= l.maxMs!, `${m.model}: ordered latency percentiles ${JSON.stringify(l)}`);
    }
  }

  t.true(result.latency.windowToBroker.count > 0, 'beat messages reached the subscriber');
  t.true(result.latency.windowToBroker.p50Ms! <= result.latency.windowToBroker.p99Ms!);
  t.true((await readFile(join(dir, 'bench.md'), 'utf8')).includes('| arrhythminet-v1.int8.onnx |'));

  // The result against itself made 20% and 5% faster as baselines: the first is a regression, the second not.
  const metrics = benchMetrics(result);
  t.true(metrics.length >= 2 + 4 * shipped.length);
  const scaled = (pct: number) => metrics.map((m) => ({ ...m, value: m.better === 'higher' ? m.value / (1 - pct / 100) : m.value * (1 - pct / 100) }));
  t.is(compareMetrics(scaled(20), metrics).regressions.length, metrics.length);
  t.is(compareMetrics(scaled(5), metrics).regressions.length, 0);

  // The same through the command, with a baseline whose model speeds are a thousand times ours (beyond any noise of tiny quick runs): flagged, and --strict exits 1.
  const faster = { ...result, models: result.models.map((m) => ({ ...m, beatsPerSBatch1: m.beatsPerSBatch1 * 1000, beatsPerSBatch64: m.beatsPerSBatch64 * 1000, beatsPerSBatch64Gradcam: m.beatsPerSBatch64Gradcam * 1000 })) };
  await writeFile(join(dir, 'baseline.json'), JSON.stringify(faster));
  const again = await cli(['--quick', '--json', '--strict', '--baseline', join(dir, 'baseline.json')]);
  t.is(again.code, 1, again.stderr.slice(-2000));
  const flagged = (JSON.parse(again.stdout) as { comparison: { regressions: { name: string }[] } }).comparison.regressions.map((x) => x.name);
  for (const m of shipped) for (const k of ['batch1', 'batch64', 'batch64Gradcam']) t.true(flagged.includes(`models.${m}.${k}`), `models.${m}.${k} flagged`);
  t.regex(again.stderr, /REGRESSION models\./);
});

test('bench: bad options exit 2 with a message', async (t) => {
  const r = await cli(['--records', ',']);
  t.is(r.code, 2);
  t.regex(r.stderr, /--records: expected record names/);
  const b = await cli(['--quick', '--baseline', '/nonexistent/baseline.json']);
  t.is(b.code, 2);
  t.regex(b.stderr, /--baseline \/nonexistent\/baseline.json: no such file/);
});
