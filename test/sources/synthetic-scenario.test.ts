import test from 'ava';
import { firstValueFrom, toArray } from 'rxjs';
import { ConfigError, parseConfig } from '../../agent/src/config/load.ts';
import { framedSyntheticEcg$ } from '../../agent/src/sources/framed-synthetic.ts';
import { synthesize } from '../../agent/src/sources/synthetic.ts';
import { scenarioOptions, type ScenarioStep } from '../../agent/src/sources/synthetic/scenario.ts';
import { SampleFlag } from '../../agent/src/signal.ts';

const base = { fs: 250, hrMeanBpm: 72, hrStdBpm: 0 };

test('a run of V: count beats in a row, the rest rrMs apart, then sinus resumes at least half an RR later', (t) => {
  const { beats } = synthesize({ ...base, ...scenarioOptions([{ atS: 5, ectopic: 'V', count: 5, rrMs: 400 }]) }, 15);
  const first = beats.findIndex((b) => b.kind === 'V');
  t.true(first > 0 && beats[first].rIndex >= 5 * base.fs, 'the run starts at or after atS');
  t.deepEqual(beats.slice(first, first + 6).map((b) => b.kind), ['V', 'V', 'V', 'V', 'V', 'N']);
  for (const b of beats.slice(first + 1, first + 5)) t.true(Math.abs(b.rrMs - 400) <= 1000 / base.fs, `rr ${b.rrMs}`);
  t.true(beats[first + 5].rrMs >= 0.5 * (60_000 / 72));
  t.is(beats.filter((b) => b.kind === 'V').length, 5);
});

test('an A run resets the sinus node; couplingMs sets the first interval; a pause leaves durationS without a beat', (t) => {
  const steps: ScenarioStep[] = [{ atS: 3, ectopic: 'A', count: 3, couplingMs: 500, rrMs: 450 }, { atS: 8, pause: { durationS: 3 } }];
  const { beats } = synthesize({ ...base, ...scenarioOptions(steps) }, 15);
  const first = beats.findIndex((b) => b.kind === 'A');
  t.true(Math.abs(beats[first].rrMs - 500) <= 4);
  t.deepEqual(beats.slice(first, first + 4).map((b) => b.kind), ['A', 'A', 'A', 'N']);
  t.true(Math.abs(beats[first + 3].rrMs - 60_000 / 72) <= 4, 'one sinus RR after the last A');
  const long = beats.filter((b) => b.rrMs > 2000);
  t.is(long.length, 1);
  t.true(Math.abs(long[0].rrMs - 3000) <= 4 && long[0].rIndex >= 8 * base.fs);
});

test('lead-off and saturation go through the ADS1292 codec: the decoder flags exactly those samples', async (t) => {
  const fs = 250;
  const opts = { ...base, fs, ...scenarioOptions([{ atS: 2, leadOff: { durationS: 1.5 } }, { atS: 5, saturate: { durationS: 0.5 } }]) };
  const chunks = await firstValueFrom(framedSyntheticEcg$(opts, { pace: 'fast', durationSec: 7 }).chunks$.pipe(toArray()));
  const flags = new Uint8Array(7 * fs);
  for (const c of chunks) if (c.flags) flags.set(c.flags, c.start);
  const where = (f: number) => [...flags.keys()].filter((i) => flags[i] & f);
  const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
  t.deepEqual(where(SampleFlag.LEAD_OFF), range(2 * fs, 3.5 * fs));
  t.deepEqual(where(SampleFlag.SATURATED), range(5 * fs, 5.5 * fs));
  t.deepEqual(where(SampleFlag.GAP), []);
});

test('config: scenario steps are checked, each problem named by its step', async (t) => {
  const problems = async (scenario: unknown) => {
    try {
      await parseConfig({ source: { type: 'synthetic', scenario } }, 'test', {});
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };
  t.deepEqual(await problems([{ atS: 20, ectopic: 'V', count: 5, rrMs: 400 }, { atS: 40, leadOff: { durationS: 8 } }]), []);
  t.deepEqual(await problems([{ atS: 1 }]), ['source.scenario.0: no action; each step has exactly one of ectopic, leadOff, saturate, pause']);
  t.deepEqual(await problems([{ atS: 1, ectopic: 'V', leadOff: { durationS: 1 } }]), ['source.scenario.0: ectopic and leadOff together; each step has exactly one of ectopic, leadOff, saturate, pause']);
  t.deepEqual(await problems([{ atS: 1, pause: { durationS: 3 }, count: 2 }]), ['source.scenario.0.count: only with ectopic']);
  t.deepEqual(await problems([{ atS: 1, ectopic: 'V', rrMs: 400 }]), ['source.scenario.0.rrMs: only for a run (count >= 2)']);
  const bad = await problems([{ atS: 1, ectopic: 'X' }, { atS: -1, leadOff: {} }]);
  t.true(bad.some((p) => /^source\.scenario\.0\.ectopic = "X": must be one of "V", "A"$/.test(p)), bad.join(' | '));
  t.true(bad.some((p) => /^source\.scenario\.1\.atS = -1: must be >= 0$/.test(p)), bad.join(' | '));
  t.true(bad.some((p) => /^source\.scenario\.1\.leadOff\.durationS: required, missing$/.test(p)), bad.join(' | '));
});
