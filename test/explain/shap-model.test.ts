/**
 * SHAP on the shipped float model and DS2 beats: efficiency (the segment
 * values sum to f(beat) - f(background), each computed by its own model run)
 * within 1e-4, for exact enumeration and KernelSHAP, with both backgrounds; and
 * KernelSHAP with 256 coalitions (1/16 of them) against exact enumeration at 12
 * segments: Pearson r >= 0.95 on every beat. Efficiency on the INT8 model too.
 */
import { join } from 'node:path';
import { mitdb, repoRoot, testNeeding } from '../helpers/requires.ts';
import { loadModel, type Model } from '../../agent/src/model/load.ts';
import { backgroundPathOf, flatBackground, loadBackground, type Background } from '../../agent/src/explain/background.ts';
import { explainBeatShap, type BeatShapExplanation } from '../../agent/src/explain/shap.ts';
import type { SanityBeat } from '../../agent/src/explain/sanity.ts';
import { ds2Beats } from './beats.ts';
import { pearson } from '../../agent/src/explain/sanity.ts';

interface Case { beat: SanityBeat; background: Background; exact: BeatShapExplanation }
const test = testNeeding<{ model: Model; cases: Case[] }>(mitdb);

// One beat per DS2 test record, both backgrounds; exact enumeration once per case (4,096 runs).
test.before(async (t) => {
  const model = await loadModel(join(repoRoot, 'models', 'arrhythminet-v1.onnx'));
  const backgrounds = [flatBackground(model.spec.before + model.spec.after), loadBackground('mean:N', model.spec, backgroundPathOf(model.path))];
  const cases: Case[] = [];
  for (const beat of await ds2Beats(model.spec, 1)) {
    for (const background of backgrounds) cases.push({ beat, background, exact: await explainBeatShap(model, beat.input, background, { segments: 12 }) });
  }
  t.context = { model, cases };
});

test.after.always(async (t) => { await t.context.model?.release(); });

async function probability(model: Model, x: Float32Array, rr: Float32Array, cls: number): Promise<number> {
  const { probabilities } = await model.run(x, rr, 1);
  return probabilities[cls];
}

test('efficiency: sum of segment values = f(beat) - f(background) within 1e-4 (exact at 12 segments, KernelSHAP at 20)', async (t) => {
  const { model, cases } = t.context;
  const length = model.spec.before + model.spec.after;
  let worst = 0;
  let checked = 0;
  for (const { beat: b, background: bg, exact } of cases) {
    for (const e of [exact, await explainBeatShap(model, b.input, bg, { segments: 20, samples: 300 })]) {
      t.is(e.method, e.segments.length === 12 ? 'exact' : 'kernel');
      const masked = Float32Array.from(b.input.x);
      masked.set(bg.values, 0);
      const fx = await probability(model, b.input.x, b.input.rr, e.cls);
      const fb = await probability(model, masked, b.input.rr, e.cls);
      const sum = e.values.reduce((s, v) => s + v, 0);
      worst = Math.max(worst, Math.abs(sum - (fx - fb)));
      t.true(Math.abs(sum - (fx - fb)) <= 1e-4, `${b.record} ${b.symbol}, ${bg.name}: sum ${sum}, f(x) - f(b) = ${fx - fb}`);
      t.is(e.label, model.spec.classes[e.cls]);
      t.is(e.perSample.length, length);
      checked++;
    }
  }
  t.log(`${checked} explanations, worst |sum - (f(x) - f(b))| = ${worst.toExponential(2)}`);
});

test('KernelSHAP (256 coalitions) agrees with exact enumeration at 12 segments: r >= 0.95 on every beat', async (t) => {
  const { model, cases } = t.context;
  const rs: number[] = [];
  for (const { beat: b, background: bg, exact } of cases) {
    const kernel = await explainBeatShap(model, b.input, bg, { segments: 12, method: 'kernel', samples: 256, seed: 1 });
    t.is(exact.evaluations, 4096);
    t.true(kernel.evaluations <= 258);
    const r = pearson(exact.values, kernel.values);
    rs.push(r);
    t.true(r >= 0.95, `${b.record} beat at ${b.sample} (${b.symbol}), ${bg.name}: r = ${r}`);
  }
  t.log(`${rs.length} explanations: r min ${Math.min(...rs).toFixed(4)}, mean ${(rs.reduce((s, r) => s + r, 0) / rs.length).toFixed(4)}`);
  t.true(rs.length >= 12);
});

test('INT8 model too: efficiency within 1e-4 (exact, 10 segments, flat background)', async (t) => {
  const model = await loadModel(join(repoRoot, 'models', 'arrhythminet-v1.int8.onnx'));
  t.teardown(() => model.release());
  const length = model.spec.before + model.spec.after;
  const flat = flatBackground(length);
  for (const { beat: b } of t.context.cases.filter((_, i) => i % 2 === 0)) {
    const e = await explainBeatShap(model, b.input, flat, { segments: 10 });
    const masked = Float32Array.from(b.input.x);
    masked.fill(0, 0, length);
    const diff = (await probability(model, b.input.x, b.input.rr, e.cls)) - (await probability(model, masked, b.input.rr, e.cls));
    const sum = e.values.reduce((s, v) => s + v, 0);
    t.true(Math.abs(sum - diff) <= 1e-4, `${b.record} ${b.symbol}: sum ${sum}, f(x) - f(b) = ${diff}`);
  }
});
