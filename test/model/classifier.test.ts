/**
 * The Classifier with a committed model on generated beats: any batch size
 * gives the batch-1 results; abstention below minConfidence; beats whose
 * quality is not 'good', or with no window, are labelled Q and never run.
 */
import test from 'ava';
import { loadModel, type Model } from '../../agent/src/model/load.ts';
import { Classifier, type ClassifierItem } from '../../agent/src/model/classifier.ts';
import { ModelInputBuilder } from '../../agent/src/model/input-builder.ts';
import { committedModels } from './committed.ts';
import { syntheticBeats } from './fixtures.ts';

const current = committedModels().current;

function items(model: Model, n: number, seed: number): ClassifierItem[] {
  const builder = new ModelInputBuilder(model.spec);
  return syntheticBeats(model.spec, n, seed).map((b) => ({ input: builder.next(b.index, b.window), quality: 'good' }));
}

/** The model with a count of the beats it was run on. */
function counting(model: Model): Model & { beatsRun: number } {
  const m = { ...model, beatsRun: 0 };
  m.run = (x, rr, n, f) => { m.beatsRun += n; return model.run(x, rr, n, f); };
  return m;
}

test('there is a committed model to run', (t) => { t.true(current.length > 0); });

for (const { path, name } of current) {
  test(`${name}: batches of 7 and 64 give the results of batch 1`, async (t) => {
    const model = await loadModel(path);
    t.teardown(() => model.release());
    const beats = items(model, 150, 3);
    const one = await new Classifier(model, { batchSize: 1, gradcam: true }).classify(beats);
    for (const batchSize of [7, 64]) {
      const many = await new Classifier(model, { batchSize, gradcam: true }).classify(beats);
      many.forEach((r, i) => {
        t.is(r.label, one[i].label);
        const dp = Math.max(...r.probabilities!.map((p, c) => Math.abs(p - one[i].probabilities![c])));
        const dg = Math.max(...r.gradcam!.map((g, j) => Math.abs(g - one[i].gradcam![j])));
        if (dp > 1e-5 || dg > 1e-4) t.fail(`beat ${i}, batch ${batchSize}: probabilities differ by ${dp}, Grad-CAM by ${dg}`);
      });
    }
    t.true(new Set(one.map((r) => r.label)).size >= 2, 'the generated beats get more than one label');
  });

  test(`${name}: abstains (Q) exactly where the top probability is below minConfidence`, async (t) => {
    const model = await loadModel(path);
    t.teardown(() => model.release());
    const beats = items(model, 120, 5);
    const plain = await new Classifier(model).classify(beats);
    const tops = plain.map((r) => r.probabilities![r.top]).sort((a, b) => a - b);
    const threshold = tops[Math.floor(tops.length / 2)];
    const gated = await new Classifier(model, { minConfidence: threshold }).classify(beats);
    let abstained = 0;
    gated.forEach((r, i) => {
      const top = plain[i].probabilities![plain[i].top];
      if (top < threshold) {
        abstained++;
        t.is(r.label, 'Q');
        t.is(r.outcome, 'low-confidence');
        t.is(r.top, plain[i].top, 'the probabilities are still reported');
      } else {
        t.is(r.label, model.spec.classes[plain[i].top]);
        t.is(r.outcome, 'classified');
      }
    });
    t.true(abstained > 0 && abstained < beats.length, `${abstained} of ${beats.length} abstained`);
  });

  test(`${name}: beats of bad quality or with no window are Q and never run`, async (t) => {
    const base = await loadModel(path);
    t.teardown(() => base.release());
    const model = counting(base);
    const qualities = ['good', 'noisy', 'lead-off', 'good', 'edge', 'saturated', 'good'];
    const list = items(model, qualities.length, 9).map((it, i) => ({ ...it, quality: qualities[i] }));
    list[6] = { input: null, quality: 'good' };
    const out = await new Classifier(model, { batchSize: 4 }).classify(list);
    t.deepEqual(out.map((r) => r.outcome), ['classified', 'bad-signal', 'bad-signal', 'classified', 'bad-signal', 'bad-signal', 'no-window']);
    out.forEach((r) => {
      if (r.outcome !== 'classified') { t.is(r.label, 'Q'); t.is(r.probabilities, null); }
    });
    t.is(model.beatsRun, 2, 'only the two good beats with a window ran');
  });
}

test('bad classifier options are refused, naming the option', async (t) => {
  const model = { spec: { before: 1, after: 1 } } as unknown as Model;
  t.throws(() => new Classifier(model, { batchSize: 0 }), { message: /batchSize must be an integer >= 1, got 0/ });
  t.throws(() => new Classifier(model, { minConfidence: 1.5 }), { message: /minConfidence must be in \[0, 1\], got 1.5/ });
});
