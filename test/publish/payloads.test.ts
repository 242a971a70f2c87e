import test from 'ava';
import fc from 'fast-check';
import { assertPayload, loadSchema, parsePayload, PayloadError, validatePayload } from '../../agent/src/publish/validate.ts';
import { buildBeat, buildEvent, classProbabilities, MODEL_CLASSES } from '../../agent/src/publish/payloads.ts';
import { EXPLAIN_BINS, summariseGradCam } from '../../agent/src/publish/explain-summary.ts';
import { TOPIC_KINDS } from '../../agent/src/publish/topics.ts';
import { EVENT_TYPES } from '../../agent/src/rhythm/types.ts';
import { bumpMap, examples, GEOMETRY, origin, rhythmEvent, T0 } from './examples.ts';

test('every builder makes a payload its schema accepts', (t) => {
  const ex = examples();
  for (const kind of TOPIC_KINDS) t.deepEqual(validatePayload(kind, ex[kind]), { valid: true, errors: [] }, kind);
});

test('schemas list every field the builders write, and nothing more is required', (t) => {
  const ex = examples();
  for (const kind of TOPIC_KINDS) {
    const schema = loadSchema(kind) as { properties: Record<string, unknown>; required: string[] };
    for (const key of Object.keys(ex[kind])) t.true(key in schema.properties, `${kind}.${key} not in schema`);
    for (const key of schema.required) t.true(key in ex[kind], `${kind}: required ${key} not written by the builder`);
  }
});

test('the event schema knows every event type of the rhythm rules', (t) => {
  const schema = loadSchema('event') as { properties: { type: { enum: string[] } } };
  t.deepEqual([...schema.properties.type.enum].sort(), [...EVENT_TYPES].sort());
  for (const type of EVENT_TYPES) {
    for (const phase of ['start', 'update', 'end'] as const) {
      t.true(validatePayload('event', buildEvent(origin, rhythmEvent({ type, phase }), 360, T0)).valid);
    }
  }
});

test('beats from random inputs are valid', (t) => {
  const label = fc.constantFrom('N', 'L', 'R', 'A', 'V', 'Q' as const);
  fc.assert(fc.property(fc.nat(), label, fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }), fc.option(fc.integer({ min: 150, max: 4000 })), (sample, l, p, rr) => {
    const beat = buildBeat(origin, { sample, fs: 360, wallMs: T0 + sample, label: l, probs: l === 'Q' ? null : p, rrPrevMs: rr, rrLocalMeanMs: rr, quality: { poor: l === 'Q' } });
    const r = validatePayload('beat', beat);
    t.true(r.valid, r.errors.join('; '));
  }), { numRuns: 200 });
});

test('invalid payloads fail, each error naming the field, the rule and the value', (t) => {
  const ex = examples();
  const cases: [keyof typeof ex, (p: any) => void, RegExp][] = [
    ['beat', (p) => (p.probs.V = 1.5), /^beat \/probs\/V: must be <= 1 \(got 1\.5\)$/],
    ['beat', (p) => (p.label = 'X'), /^beat \/label: must be one of "N", "L", "R", "A", "V", "Q" \(got "X"\)$/],
    ['beat', (p) => (p.label = 'Q'), /^beat \/probs: must be null/],
    ['beat', (p) => delete p.rrMs, /^beat \(top level\): missing field "rrMs"$/],
    ['beat', (p) => (p.time = 'yesterday'), /^beat \/time: must match pattern .* \(got "yesterday"\)$/],
    ['beat', (p) => (p.gateway = 'a/b'), /^beat \/gateway: must match pattern/],
    ['event', (p) => (p.type = 'afib'), /^event \/type: must be one of "pvc", .* \(got "afib"\)$/],
    ['event', (p) => (p.sample = 3), /^event \(top level\): unknown field "sample"$/],
    ['event', (p) => delete p.startWallMs, /^event \(top level\): must have property startWallMs when property startTime is present/],
    ['event', (p) => (p.v = 2), /^event \/v: must be 1 \(got 2\)$/],
    ['explain', (p) => p.bins.pop(), /^explain \/bins: must NOT have fewer than 32 items/],
    ['explain', (p) => (p.shares.qrs = -0.1), /^explain \/shares\/qrs: must be >= 0/],
    ['vitals', (p) => (p.counts.V = 1.5), /^vitals \/counts\/V: must be integer \(got 1\.5\)$/],
    ['status', (p) => (p.state = 'maybe'), /^status \/state: must be one of "online", "offline"/],
    ['status', (p) => delete p.counters.publishLatencyMs, /^status \/counters: missing field "publishLatencyMs"$/],
  ];
  for (const [kind, spoil, message] of cases) {
    const p = structuredClone(ex[kind]);
    spoil(p);
    const r = validatePayload(kind, p);
    t.false(r.valid, `${kind}: ${message}`);
    t.true(r.errors.some((e) => message.test(e)), `${kind}: expected ${message}, got ${JSON.stringify(r.errors)}`);
  }
});

test('assertPayload and parsePayload throw a PayloadError listing the problems', (t) => {
  t.notThrows(() => parsePayload('vitals', Buffer.from(JSON.stringify(examples().vitals))));
  const err = t.throws(() => assertPayload('vitals', { v: 1 }), { instanceOf: PayloadError });
  t.regex(err!.message, /invalid vitals payload: .*missing field "gateway".*missing field "counts"/);
  t.throws(() => parsePayload('beat', '{"v":'), { instanceOf: PayloadError, message: /not JSON/ });
});

test('classProbabilities takes model order or a record, and checks the count', (t) => {
  t.deepEqual(classProbabilities([0.1, 0.2, 0.3, 0.15, 0.25]), { N: 0.1, L: 0.2, R: 0.3, A: 0.15, V: 0.25 });
  t.throws(() => classProbabilities([0.5, 0.5]), { message: /expected 5 values \(N, L, R, A, V\), got 2/ });
  t.is(MODEL_CLASSES.length, 5);
});

test('Grad-CAM summary: bins aligned to the window, peak offset from R, shares by region', (t) => {
  const qrs = summariseGradCam(bumpMap(20, 15), GEOMETRY);
  t.is(qrs.bins.length, EXPLAIN_BINS);
  t.is(Math.max(...qrs.bins), 1);
  // R sits 90 samples into 256: bin floor(90 * 32 / 256) = 11; +20 ms is 7 samples later, still bin 11 or 12.
  t.true([11, 12].includes(qrs.bins.indexOf(1)));
  t.true(Math.abs(qrs.peakOffsetMs - 20) <= 1000 / 360, `peak ${qrs.peakOffsetMs}`);
  t.true(qrs.shares.qrs > 0.95, JSON.stringify(qrs.shares));
  t.is(qrs.window.beforeMs, 250);
  t.is(qrs.binMs, Number(((256 / 360) * 1000 / 32).toFixed(3)));

  const tWave = summariseGradCam(bumpMap(250, 40), GEOMETRY);
  t.true(tWave.shares.t > 0.9 && Math.abs(tWave.peakOffsetMs - 250) < 3);
  const pWave = summariseGradCam(bumpMap(-150, 25), GEOMETRY);
  t.true(pWave.shares.p > 0.9 && pWave.peakOffsetMs < -140);
  for (const s of [qrs, tWave, pWave]) t.true(Math.abs(s.shares.p + s.shares.qrs + s.shares.t + s.shares.other - 1) < 1e-3);
});

test('Grad-CAM summary: negative evidence is clamped, an empty map is all "other", bad lengths are refused', (t) => {
  const map = bumpMap(20, 15).map((v) => v - 0.5);
  const s = summariseGradCam(map, GEOMETRY);
  t.true(s.bins.every((b) => b >= 0));
  t.deepEqual(summariseGradCam(new Float32Array(256), GEOMETRY).shares, { p: 0, qrs: 0, t: 0, other: 1 });
  t.throws(() => summariseGradCam(new Float32Array(100), GEOMETRY), { message: /expected 256 values \(window 90 before \+ 166 after R\), got 100/ });
});
