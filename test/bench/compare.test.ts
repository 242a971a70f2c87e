import test from 'ava';
import { compareMetrics, type Metric } from '../../agent/src/bench/compare.ts';
import { percentile, summarizeLatency } from '../../agent/src/bench/percentiles.ts';
import { cpuModelName } from '../../agent/src/bench/machine.ts';
import { BEGIN_MARK, END_MARK, replaceGenerated } from '../../agent/src/bench/report.ts';

const baseline: Metric[] = [
  { name: 'endToEnd.timesRealTime', value: 1000, better: 'higher' },
  { name: 'stages.signal.seconds', value: 2, better: 'lower' },
  { name: 'latency.p99Ms', value: 40, better: 'lower' },
];

/** The baseline with each metric made `pct` percent worse (slower, or longer). */
const worseBy = (pct: number): Metric[] => baseline.map((m) => ({ ...m, value: m.better === 'higher' ? m.value * (1 - pct / 100) : m.value * (1 + pct / 100) }));

test('a 20% slowdown is flagged on every metric, whichever direction is better', (t) => {
  const c = compareMetrics(baseline, worseBy(20));
  t.deepEqual(c.regressions.map((r) => r.name), baseline.map((m) => m.name));
  for (const r of c.regressions) t.true(Math.abs(r.worse - 0.2) < 1e-9);
});

test('a 5% slowdown is not flagged, nor an improvement', (t) => {
  t.deepEqual(compareMetrics(baseline, worseBy(5)).regressions, []);
  const better = compareMetrics(baseline, worseBy(-30));
  t.deepEqual(better.regressions, []);
  t.true(better.compared.every((c) => c.worse < 0));
});

test('the threshold is a parameter; metrics on one side only are listed, not compared', (t) => {
  t.is(compareMetrics(baseline, worseBy(5), 4).regressions.length, 3);
  const c = compareMetrics(baseline, [...worseBy(0).slice(1), { name: 'new.metric', value: 1, better: 'higher' }]);
  t.deepEqual(c.unmatched.sort(), ['endToEnd.timesRealTime', 'new.metric']);
  t.is(c.compared.length, 2);
  t.throws(() => compareMetrics(baseline, baseline, 0), { message: /threshold/ });
});

test('nearest-rank percentiles', (t) => {
  const v = Array.from({ length: 100 }, (_, i) => 100 - i);
  t.is(percentile(v, 0.5), 50);
  t.is(percentile(v, 0.99), 99);
  t.is(percentile(v, 1), 100);
  t.is(percentile([], 0.5), null);
  t.deepEqual(summarizeLatency([3, 1, 2]), { count: 3, p50Ms: 2, p99Ms: 3, maxMs: 3 });
});

test('CPU model from /proc/cpuinfo text', (t) => {
  t.is(cpuModelName('processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n'), 'AMD EPYC 7B13');
  t.is(cpuModelName('processor\t: 0\nHardware\t: BCM2835\nModel\t: Raspberry Pi 4 Model B Rev 1.4\n'), 'BCM2835');
});

test('the generated block replaces only what is between the markers', (t) => {
  const doc = `# Benchmarks\n\nintro\n\n${BEGIN_MARK}\nold table\n${END_MARK}\n\nnotes after\n`;
  const once = replaceGenerated(doc, 'new table');
  t.is(once, `# Benchmarks\n\nintro\n\n${BEGIN_MARK}\nnew table\n${END_MARK}\n\nnotes after\n`);
  t.is(replaceGenerated(once, 'new table'), once);
  t.true(replaceGenerated('# B\n', 'x').endsWith(`${BEGIN_MARK}\nx\n${END_MARK}\n`));
});

test('without MIT-BIH (or with --quick) the inputs are synthetic and named so, also when records were asked for', async (t) => {
  const { benchInputs } = await import('../../agent/src/bench/inputs.ts');
  const r = await benchInputs({ mitdbDir: '/nonexistent', records: ['999', '100'], quick: true });
  t.is(r.kind, 'synthetic');
  t.deepEqual(r.inputs.map((i) => [i.name, i.source.type]), [['synthetic-1 (for 999)', 'synthetic'], ['synthetic-2 (for 100)', 'synthetic']]);
});
