/**
 * ModelInputBuilder on a tiny spec, values worked out by hand from the
 * models/spec.json definitions (the full-size comparison with the Python data
 * builder is window.test.ts): scale = median peak-to-peak including this beat,
 * template = per-sample median of the beats BEFORE (own window first), RR from
 * every beat including those without a window, state per builder.
 */
import test from 'ava';
import { ModelInputBuilder } from '../../agent/src/model/input-builder.ts';
import type { ModelSpec } from '../../agent/src/model/spec.ts';

const spec: ModelSpec = {
  fs: 100, sos: [[1, 0, 0, 1, 0, 0]], before: 1, after: 2, align: { radius: 0, delay: 0 }, classes: ['N', 'V'],
  scaleHistoryBeats: 3, minScaleMv: 0.05, templateHistoryBeats: 2, rrLocalCount: 2, rrMedianCount: 3, rrIrregularityCount: 16, sideInputNames: ['rrPrevS', 'rrLocalS', 'rrRatio', 'rrMedianRatio'], defaultRrS: 0.8, sha256: '', path: 'tiny',
};
const w = (...v: number[]) => Float32Array.from(v);
const close = (a: ArrayLike<number>, b: number[]) => Array.from(a).every((x, i) => Math.abs(x - b[i]) < 1e-6);

test('first beat: own window as template, default RR', (t) => {
  const b = new ModelInputBuilder(spec);
  const r = b.next(50, w(0, 2, 1))!;
  t.is(r.scaleMv, 2);
  t.true(close(r.x, [-0.5, 0.5, 0, -0.5, 0.5, 0]));
  t.true(close(r.rr, [0.8, 0.8, 1, 1]));
});

test('scale is the median peak-to-peak with this beat; the template the median of earlier windows', (t) => {
  const b = new ModelInputBuilder(spec);
  b.next(50, w(0, 2, 1)); // ptp 2
  const second = b.next(150, w(0, 4, 0))!; // ptps [2, 4]: median 3; template = first window
  t.is(second.scaleMv, 3);
  t.true(close(second.templateMv, [0, 2, 1]));
  const third = b.next(230, w(1, 1, 1.01))!; // ptps [2, 4, 0.01]: median 2; template = median of 2 windows = mean
  t.true(Math.abs(third.scaleMv - 2) < 1e-6);
  t.true(close(third.templateMv, [0, 3, 0.5]));
  const fourth = b.next(330, w(0, 0.02, 0))!; // ptps [4, 0.01, 0.02] (history 3): median 0.02; template from beats 2, 3
  t.true(Math.abs(fourth.scaleMv - 0.05) < 1e-9, 'the floor minScaleMv');
  t.true(close(fourth.templateMv, [0.5, 2.5, 0.505]));
});

test('RR: previous interval, mean of the localCount intervals before it, ratio, ratio to the median of the medianCount before it; beats without a window count', (t) => {
  const b = new ModelInputBuilder(spec);
  t.true(close(b.next(0, w(0, 1, 0))!.rr, [0.8, 0.8, 1, 1]));
  t.true(close(b.next(100, w(0, 1, 0))!.rr, [1, 1, 1, 1])); // no earlier interval: local = median = prev
  t.is(b.next(180, null), null); // edge beat: no input, but its R counts
  t.true(close(b.next(230, w(0, 1, 0))!.rr, [0.5, 0.9, 0.5 / 0.9, 0.5 / 0.9])); // intervals before: 1.0, 0.8 (median of two = mean)
  // localCount 2: mean of 0.8, 0.5; medianCount 3: median of 1.0, 0.8, 0.5
  t.true(close(b.next(350, w(0, 1, 0))!.rr, [1.2, 0.65, 1.2 / 0.65, 1.2 / 0.8]));
  // medianCount 3: median of 0.8, 0.5, 1.2 (the 1.0 has left)
  t.true(close(b.next(400, w(0, 1, 0))!.rr, [0.5, 0.85, 0.5 / 0.85, 0.5 / 0.8]));
  t.throws(() => b.next(400, w(0, 1, 0)), { message: /R index 400 not after the previous 400/ });
  t.throws(() => b.next(450, w(0, 1)), { message: /window of 2 samples, the spec wants 3/ });
});

test('an unknown interval (signal missing since the previous beat) reads as the local mean and is not remembered', (t) => {
  const b = new ModelInputBuilder(spec);
  b.next(0, w(0, 1, 0));
  b.next(100, w(0, 1, 0)); // interval 1.0
  b.next(150, w(0, 1, 0)); // interval 0.5
  // 3 s later, after a dropout: prev = local = mean(1.0, 0.5) = 0.75; median of [1.0, 0.5] = 0.75
  t.true(close(b.next(450, w(0, 1, 0), false)!.rr, [0.75, 0.75, 1, 1]));
  // The next interval (0.7) follows the remembered 1.0, 0.5: the 3 s is not among them.
  t.true(close(b.next(520, w(0, 1, 0))!.rr, [0.7, 0.75, 0.7 / 0.75, 0.7 / 0.75]));
  const first = new ModelInputBuilder(spec);
  t.true(close(first.next(50, w(0, 1, 0), false)!.rr, [0.8, 0.8, 1, 1]), 'a first beat is the default either way');
});

test('a beat without a window enters no history', (t) => {
  const a = new ModelInputBuilder(spec);
  const c = new ModelInputBuilder(spec);
  a.next(10, w(0, 9, 0));
  a.next(110, null);
  c.next(10, w(0, 9, 0));
  const x = a.next(210, w(0, 1, 0))!;
  const y = c.next(210, w(0, 1, 0))!;
  t.deepEqual(x.x, y.x);
  t.deepEqual(x.templateMv, y.templateMv);
});

test('nextBeat, the rule of every caller: an edge beat (padded window) gets no input and enters no history but counts for RR; rrPrevMs null is an unknown interval', (t) => {
  const beat = (index: number, window: Float32Array, quality = 'good', rrPrevMs: number | null = 1) => ({ index, window, quality, rrPrevMs });
  const a = new ModelInputBuilder(spec);
  const c = new ModelInputBuilder(spec);
  t.is(a.nextBeat(beat(10, w(0, 9, 0), 'edge')), null);
  c.next(10, null);
  t.deepEqual(a.nextBeat(beat(110, w(0, 1, 0))), c.next(110, w(0, 1, 0)));
  t.deepEqual(a.nextBeat(beat(210, w(0, 2, 0), 'noisy', null)), c.next(210, w(0, 2, 0), false), 'a noisy beat is cut: it is in the history');
  const x = a.nextBeat(beat(300, w(0, 1, 0)))!;
  t.deepEqual(x, c.next(300, w(0, 1, 0))!);
  t.true(close(x.templateMv, [0, 1.5, 0]), 'template from the two cut windows only');
});

test('the template is exactly the per-sample median of the earlier windows, odd and even counts, ties included', (t) => {
  const big: ModelSpec = { ...spec, before: 3, after: 5, templateHistoryBeats: 5 };
  const b = new ModelInputBuilder(big);
  let seed = 7;
  // Values on a coarse grid so that ties are common.
  const rand = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return Math.round((seed / 2 ** 31) * 8) / 4 - 1; };
  const history: Float32Array[] = [];
  for (let k = 0; k < 60; k++) {
    const win = Float32Array.from({ length: 8 }, rand);
    const got = b.next(100 * (k + 1), win)!.templateMv;
    const earlier = history.slice(-5);
    const want = earlier.length === 0 ? Array.from(win) : Array.from({ length: 8 }, (_, i) => {
      const col = earlier.map((e) => e[i]).sort((x, y) => x - y);
      const h = col.length >> 1;
      return col.length % 2 === 1 ? col[h] : (col[h - 1] + col[h]) / 2;
    });
    t.deepEqual(Array.from(got), Array.from(Float32Array.from(want)), `beat ${k}`);
    history.push(win);
  }
});

test('rr follows the spec\'s names: a spec without rrMedianRatio gets three features', (t) => {
  const b = new ModelInputBuilder({ ...spec, sideInputNames: ['rrPrevS', 'rrLocalS', 'rrRatio'] });
  b.next(0, w(0, 1, 0));
  b.next(100, w(0, 1, 0));
  t.true(close(b.next(150, w(0, 1, 0))!.rr, [0.5, 1, 0.5]));
  t.is(b.next(200, w(0, 1, 0))!.rr.length, 3);
});
