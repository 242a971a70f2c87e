import test from 'ava';
import { AmplitudeScale, normalise, rrFrom, stackChannels, StreamPreparer, TemplateHistory, windowFrom } from '../../nodes/src/classify/prepare.ts';
import { RrHistory } from '../../nodes/src/classify/model-input.ts';
import { parseSpec } from '../../nodes/src/classify/spec.ts';
import { gradcam, softmax } from '../../nodes/src/classify/model.ts';
import { DEFAULT_MODEL_FILE, shippedModel } from '../../nodes/src/classify/loader.ts';
import { parseConfig } from '../../agent/src/config/load.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

const ramp = (ptpMv: number) => Float32Array.from({ length: 4 }, (_, i) => (ptpMv * i) / 3);

test('amplitude scale: median peak-to-peak of the last historyBeats windows, at least minScaleMv', (t) => {
  const s = new AmplitudeScale(3, 0.05);
  t.is(s.next(ramp(1)), 1);
  t.is(s.next(ramp(3)), 2, 'even count: mean of the two middle values');
  t.is(s.next(ramp(2)), 2);
  t.is(s.next(ramp(10)), 3, 'the first window has left the history: median of 3, 2, 10');
  t.is(new AmplitudeScale(4, 0.05).next(ramp(0.01)), 0.05);
});

test('normalise subtracts the window mean and divides by the scale', (t) => {
  t.deepEqual(Array.from(normalise(Float32Array.of(1, 2, 3), 2)), [-0.5, 0, 0.5]);
});

test('window and RR input: accepted shapes and errors naming what is wrong', (t) => {
  t.is(windowFrom([1, 2, 3], 3).length, 3);
  t.is(windowFrom({ window: Float32Array.of(1, 2) }, 2)[1], 2);
  t.throws(() => windowFrom('abc', 3), { message: /must be a window \(Float32Array or number\[\] of 3 samples, mV\) or \{window, rr\}; got string/ });
  t.throws(() => windowFrom([1, 2], 3), { message: /the window has 2 samples; the model takes 3/ });
  t.throws(() => windowFrom([1, Number.POSITIVE_INFINITY, 3], 3), { message: /window sample 1 is Infinity/ });
  const spec = { tensor: 'rr', names: ['rrPrevS', 'rrLocalS', 'rrRatio'], defaultRrS: 0.8, localCount: 10, medianCount: 10 };
  t.deepEqual(Array.from(rrFrom({ rr: { prevS: 0.5, localS: 1 } }, spec).rr), [0.5, 1, 0.5]);
  t.deepEqual(Array.from(rrFrom({ rr: [0.4, 0.8] }, spec).rr), [0.4000000059604645, 0.800000011920929, 0.5]);
  t.deepEqual(rrFrom([1, 2], spec), { rr: Float32Array.of(0.8, 0.8, 1), assumed: true });
  t.throws(() => rrFrom({ rr: { prevS: 0 } }, spec), { message: /rr.prevS is 0; expected seconds > 0/ });
  t.throws(() => rrFrom({ rr: { prevS: 1, localS: 'x' } }, spec), { message: /rr.localS is "x"; expected seconds > 0, or absent/ });
});

test('RR with the stream history: localS from the earlier intervals when not given; rrMedianRatio over the medianCount before', (t) => {
  const spec = { tensor: 'rr', names: ['rrPrevS', 'rrLocalS', 'rrRatio', 'rrMedianRatio'], defaultRrS: 0.8, localCount: 2, medianCount: 3 };
  const h = new RrHistory(spec);
  const next = (rr: unknown) => Array.from(rrFrom({ rr }, spec, h).rr, (v) => Math.round(v * 1e6) / 1e6);
  const f = (v: number) => Math.round(Math.fround(v) * 1e6) / 1e6;
  t.deepEqual(next({ prevS: 1 }), [1, 1, 1, 1], 'no earlier interval: local = median = prev');
  t.deepEqual(next({ prevS: 0.8 }), [0.8, 1, 0.8, 0.8]);
  t.deepEqual(next([0.5]), [0.5, 0.9, f(0.5 / 0.9), f(0.5 / 0.9)], 'median of two: their mean');
  t.deepEqual(next({ prevS: 1.2, localS: 2 }), [1.2, 2, 0.6, 1.5], 'a given localS wins; median of 1, 0.8, 0.5');
  t.deepEqual(next({ prevS: 0.5 }), [0.5, 0.85, f(0.5 / 0.85), f(0.5 / 0.8)], 'the 1 s interval has left (medianCount 3)');
  t.deepEqual(Array.from(rrFrom({}, spec, h).rr), [0.800000011920929, 0.800000011920929, 1, 1], 'no rr: defaults, assumed');
});

test('spec: errors name the file and the field', (t) => {
  t.throws(() => parseSpec({ sampleRateHz: 360, window: { before: 90 }, classes: ['N'] }, 'x/spec.json'), { message: 'x/spec.json: window.after is undefined; expected a positive integer' });
  const s = parseSpec({ sampleRateHz: 360, window: { before: 90, after: 166 }, classes: ['N', 'V'] }, 'spec.json');
  t.is(s.normalisation, undefined, 'the spec on main has no normalisation: windows go in as they are');
});

test('softmax and Grad-CAM', (t) => {
  const p = softmax([0, Math.log(3)]);
  t.true(Math.abs(p[0] - 0.25) < 1e-12 && Math.abs(p[1] - 0.75) < 1e-12);
  // Two channels over three bins; class 1 weighs channel 0 by 1 and channel 1 by -1.
  const features = Float32Array.of(1, 2, 3, 3, 1, 0);
  const alpha = Float32Array.of(0, 0, 1, -1);
  t.deepEqual(gradcam(features, 2, 3, alpha, 1), [0, 1 / 3, 1]);
  t.deepEqual(gradcam(features, 2, 3, alpha, 0), [0, 0, 0], 'no evidence: all zero, no division by zero');
});

test('template: per-sample median of the earlier windows (the window itself for the first); channels stacked', (t) => {
  const h = new TemplateHistory(2);
  t.deepEqual(Array.from(h.next(Float32Array.of(1, 2))), [1, 2]);
  t.deepEqual(Array.from(h.next(Float32Array.of(3, 6))), [1, 2]);
  t.deepEqual(Array.from(h.next(Float32Array.of(9, 9))), [2, 4], 'median of the two before');
  t.deepEqual(Array.from(h.next(Float32Array.of(0, 0))), [6, 7.5], 'the first has left the history');
  t.deepEqual(Array.from(stackChannels(2, Float32Array.of(1, 2), { channel: 1, values: Float32Array.of(3, 4) })), [1, 2, 3, 4]);
});

test('stream preparer: without a normalisation the window goes in as it is; with one, scale and template', (t) => {
  const base = parseSpec({ sampleRateHz: 360, window: { before: 1, after: 1 }, classes: ['N'] }, 'spec.json');
  const w = Float32Array.of(1, 3);
  t.deepEqual(new StreamPreparer(base).next(w), { input: w });
  const raw = {
    sampleRateHz: 360, window: { before: 1, after: 1 }, classes: ['N'],
    normalisation: { historyBeats: 4, minScaleMv: 0.05, shape: ['batch', 2, 'before+after'] }, template: { historyBeats: 4, channel: 1 },
  };
  const spec = parseSpec(raw, 'spec.json');
  const p = new StreamPreparer(spec);
  t.deepEqual(p.next(w), { input: Float32Array.of(-0.5, 0.5, -0.5, 0.5), scaleMv: 2 });
  t.deepEqual(p.next(Float32Array.of(0, 6)), { input: Float32Array.of(-0.75, 0.75, -0.25, 0.25), scaleMv: 4 });
  t.throws(() => parseSpec({ ...raw, template: undefined }, 'm/spec.json'),
    { message: /m\/spec.json: template is undefined; expected present: normalisation.shape has 2 channels/ });
});

test('the shipped model a classify node uses by default: the agent\'s default, else the first INT8, else the first .onnx', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-shipped-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.is(shippedModel(dir), null);
  writeFileSync(join(dir, 'b.onnx'), '');
  t.is(shippedModel(dir), join(dir, 'b.onnx'));
  writeFileSync(join(dir, 'arrhythminet-v1.int8.onnx'), '');
  t.is(shippedModel(dir), join(dir, 'arrhythminet-v1.int8.onnx'));
  writeFileSync(join(dir, DEFAULT_MODEL_FILE), '');
  t.is(shippedModel(dir), join(dir, 'arrhythminet-v2.int8.onnx'));
  // The agent's own default is the same file.
  t.is(basename((await parseConfig({}, 'test')).model.path), DEFAULT_MODEL_FILE);
});
