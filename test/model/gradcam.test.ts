/**
 * Grad-CAM in the agent (exported gradcamAlpha x features, no gradients) equals
 * PyTorch autograd Grad-CAM of the committed float model
 * (models/training/gradcam_reference.py) on >= 200 reference beats of several
 * classes: Pearson r >= 0.99 per beat. The fixture is generated into a temp dir
 * by this test, never committed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mitdb, pythonTorch, repoRoot, testNeeding } from '../helpers/requires.ts';
import { loadModel } from '../../agent/src/model/load.ts';
import { Classifier } from '../../agent/src/model/classifier.ts';
import { gradcamMap } from '../../agent/src/model/gradcam.ts';
import { pearson } from '../../agent/src/explain/sanity.ts';
import { f32, i32, pythonScript } from './python.ts';
import { committedModels } from './committed.ts';

const test = testNeeding(mitdb, pythonTorch);


const maxAbs = (v: ArrayLike<number>) => Array.from(v).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

const floats = committedModels().current.filter((m) => !m.name.includes('.int8')).map((m) => m.name.replace(/\.onnx$/, ''));

test('there is a committed float model to check', (t) => { t.true(floats.length > 0); });

for (const name of floats) {
  test(`${name}: agent Grad-CAM equals PyTorch autograd Grad-CAM (r >= 0.99 per beat, >= 200 beats)`, async (t) => {
    const path = join(repoRoot, 'models', `${name}.onnx`);
    const model = await loadModel(path);
    const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-gradcam-'));
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }); return model.release(); });
    // L (109), R and A (118, 232), V (208, 119): every class the model knows.
    await pythonScript('gradcam_reference.py', [path, dir, '--records', '109', '118', '208', '232', '--per-record', '60']);
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { n: number; length: number };
    const x = f32(join(dir, 'x.f32'));
    const rr = f32(join(dir, 'rr.f32'));
    const ref = f32(join(dir, 'map.f32'));
    const cls = i32(join(dir, 'class.i32'));
    const L = meta.length;
    const side = model.spec.sideInputNames.length;
    const items = Array.from({ length: meta.n }, (_, i) => ({
      input: { x: x.subarray(i * 2 * L, (i + 1) * 2 * L), rr: rr.subarray(i * side, (i + 1) * side), scaleMv: 1, templateMv: new Float32Array(L) },
      quality: 'good',
    }));
    const results = await new Classifier(model, { gradcam: true, batchSize: 32 }).classify(items);
    let compared = 0;
    let worst = 1;
    let sameClass = 0;
    const classes = new Set<number>();
    const out = await model.run(x, rr, meta.n, true);
    const fsize = model.featureChannels * model.featureSteps;
    results.forEach((r, i) => {
      if (r.top === cls[i]) sameClass++;
      // The reference's class (torch argmax) for the agent's map, so a near tie cannot skip a beat.
      const agentMap = r.top === cls[i] ? r.gradcam! : gradcamMap(out.features!.subarray(i * fsize, (i + 1) * fsize), model.gradcamAlpha, cls[i], model.featureChannels, model.featureSteps, L);
      const refMap = ref.subarray(i * L, (i + 1) * L);
      const scale = Math.max(maxAbs(refMap), 1e-12);
      if (maxAbs(refMap) < 1e-6 || new Set(refMap).size === 1) {
        // Flat map (ReLU kept nothing, or one value): Pearson is undefined; compare values.
        t.true(maxAbs(agentMap.map((v, j) => v - refMap[j])) <= 1e-4 * Math.max(1, scale), `beat ${i}: flat map differs`);
      } else {
        const r2 = pearson(agentMap, refMap);
        worst = Math.min(worst, r2);
        if (r2 < 0.99) t.fail(`beat ${i} (class ${cls[i]}): r = ${r2}`);
      }
      classes.add(cls[i]);
      compared++;
    });
    t.log(`${name}: ${compared} beats, classes ${[...classes].sort().join(',')}, worst r ${worst}, same argmax ${sameClass}/${compared}`);
    t.true(compared >= 200);
    t.true(sameClass >= compared - 2, 'onnxruntime and the PyTorch interpreter agree on the class');
    t.true(classes.size >= 3, 'maps of several predicted classes');
  });
}
