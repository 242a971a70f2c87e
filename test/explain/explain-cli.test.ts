/**
 * `arrhythminet explain` on a real record (MIT-BIH 233, DS2): the beat is the
 * pipeline's N-th beat with the label the agent's classifier gives it; SVG,
 * PNG and JSON outputs; beat selection by index and time; usage errors.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { testNeeding, mitdb, mitdbDir, repoRoot } from '../helpers/requires.ts';
import { cli } from '../helpers/cli.ts';
import { recordBeats } from '../../agent/src/pipeline/record-beats.ts';
import { loadModel } from '../../agent/src/model/load.ts';
import { labelBeats } from '../../agent/src/model/classify-list.ts';
import { regionsForRr } from '../../agent/src/explain/regions.ts';
import { globalExplanation } from '../../agent/src/explain/global.ts';
import { byClass, findAll, parseSvg, textOf } from './svg-tree.ts';

const test = testNeeding(mitdb);
const record = join(mitdbDir, '233');
/** A beat well inside the record (233 has many PVCs: the label may be V or N). */
const BEAT = 200;
const dir = mkdtemp(join(tmpdir(), 'arrhythminet-explain-cli-'));

test('--beat N --out .json: the pipeline\'s N-th beat, labelled as the agent labels it, Grad-CAM and summary over its window', async (t) => {
  const out = join(await dir, 'beat.json');
  const r = await cli('explain', record, '--beat', String(BEAT), '--out', out);
  t.is(r.code, 0, r.stderr);
  const e = JSON.parse(await readFile(out, 'utf8'));
  const { beats } = await recordBeats(record);
  const model = await loadModel(join(repoRoot, 'models', 'arrhythminet-v1.int8.onnx'));
  t.teardown(() => model.release());
  const labels = await labelBeats(model, beats);
  const b = beats[BEAT - 1];
  t.is(e.beat.number, BEAT);
  t.is(e.beat.sample, b.index);
  t.is(e.label, labels[BEAT - 1], 'the whole record through the classify operator gives the same label');
  t.is(e.explainedClass, e.label);
  t.deepEqual(Object.keys(e.probabilities), model.spec.classes);
  t.true(Math.abs(Object.values(e.probabilities as Record<string, number>).reduce((a, p) => a + p, 0) - 1) < 1e-3);
  t.is(e.probabilities[e.label], Math.max(...Object.values(e.probabilities as Record<string, number>)));
  t.is(e.windowMv.length, model.spec.before + model.spec.after);
  t.true(e.windowMv.every((v: number, i: number) => Math.abs(v - b.window[i]) < 1e-4), 'the window the pipeline cut');
  t.is(e.attribution.length, e.windowMv.length);
  t.true(e.attribution.every((v: number) => v >= 0) && Math.max(...e.attribution) > 0, 'Grad-CAM: >= 0, not all zero');
  t.deepEqual(e.summary.regionsMs, regionsForRr(b.rrPrevMs));
  t.is(e.summary.bins.length, 32);
  const s = e.summary.shares;
  t.true(Math.abs(s.p + s.qrs + s.t + s.other - 1) < 1e-3);
  t.true(typeof e.beat.reference === 'string', 'record 233 has reference annotations');
  t.log(`beat ${BEAT}: ${e.label} (reference ${e.beat.reference}) at ${e.beat.time}`);

  // --time picks the same beat from its time, in seconds or m:ss, and from a little off it.
  const byTime = join(await dir, 'by-time.json');
  for (const time of [String(e.beat.timeS), e.beat.time, String(e.beat.timeS + 0.05)]) {
    const rt = await cli('explain', record, '--time', time, '--out', byTime);
    t.is(rt.code, 0, rt.stderr);
    t.is(JSON.parse(await readFile(byTime, 'utf8')).beat.number, BEAT, `--time ${time}`);
  }
});

test('--out .svg: well-formed SVG with axes in ms and mV, the overlay on the trace, P/QRS/T regions and the label', async (t) => {
  const out = join(await dir, 'beat.svg');
  const r = await cli('explain', record, '--beat', String(BEAT), '--out', out);
  t.is(r.code, 0, r.stderr);
  const text = await readFile(out, 'utf8');
  const svg = parseSvg(text);
  t.is(textOf(findAll(svg, byClass('xlabel'))[0]), 'time from R peak (ms)');
  t.is(textOf(findAll(svg, byClass('ylabel'))[0]), 'amplitude (mV)');
  t.is(findAll(svg, byClass('trace'))[0].attrs.points.split(' ').length, 256);
  const overlay = findAll(svg, byClass('overlay'))[0];
  t.true(overlay.children.length > 0 && overlay.children.every((c) => c.name === 'polyline'), 'Grad-CAM painted on the trace');
  t.true(findAll(svg, byClass('gradcam'))[0].children.length > 0, 'and as a band behind it');
  t.deepEqual(findAll(svg, byClass('region')).map((g) => textOf(g)), ['P', 'QRS', 'T']);
  const title = textOf(findAll(svg, byClass('title'))[0]);
  t.regex(title, new RegExp(`^record 233, beat ${BEAT} at \\d+:\\d\\d\\.\\d{3}: [NLRAV] \\(\\d+\\.\\d%\\), reference .$`));
  t.deepEqual(findAll(svg, byClass('prob')).map((p) => textOf(p)), ['N', 'L', 'R', 'A', 'V']);
  t.notThrows(() => new Resvg(text), 'resvg parses it');
});

test('--out .png: a PNG of the SVG at twice its size', async (t) => {
  const out = join(await dir, 'beat.png');
  const r = await cli('explain', record, '--beat', String(BEAT), '--out', out, '--width', '700', '--height', '300');
  t.is(r.code, 0, r.stderr);
  const png = await readFile(out);
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  t.is(png.subarray(12, 16).toString('latin1'), 'IHDR');
  t.is(png.readUInt32BE(16), 1400);
  t.is(png.readUInt32BE(20), 600);
});

test('--method shap: signed SHAP over 12 segments of the window, values summing to f(beat) - f(background)', async (t) => {
  const out = join(await dir, 'shap.json');
  const r = await cli('explain', record, '--beat', String(BEAT), '--method', 'shap', '--out', out);
  t.is(r.code, 0, r.stderr);
  const e = JSON.parse(await readFile(out, 'utf8'));
  t.is(e.method, 'shap');
  t.is(e.shap.background, 'flat');
  t.is(e.shap.segments.length, 12);
  t.is(e.shap.evaluations, 2 ** 12);
  const sum = e.shap.segments.reduce((a: number, s: { value: number }) => a + s.value, 0);
  t.true(Math.abs(sum - (e.shap.full - e.shap.base)) < 1e-3, `sum ${sum} vs ${e.shap.full} - ${e.shap.base}`);
  t.true(Math.abs(e.shap.full - e.probabilities[e.explainedClass]) < 1e-3, 'f(beat) is the probability of the explained class');
  t.is(e.attribution.length, 256);
  t.true(Math.abs(e.attribution.reduce((a: number, v: number) => a + v, 0) - sum) < 1e-3, 'spread over the samples, the total is kept');
  // rrPrevMs is printed to 0.1 ms: the regions of that RR agree to within a rounding step.
  const expected = regionsForRr(e.beat.rrPrevMs);
  for (const k of ['p', 'qrs', 't'] as const) for (const i of [0, 1]) t.true(Math.abs(e.summary.regionsMs[k][i] - expected[k][i]) <= 0.2, `${k}[${i}]`);
});

test('usage errors exit 2 with a message naming the problem', async (t) => {
  const out = join(await dir, 'x.svg');
  const cases: [string[], RegExp][] = [
    [[record, '--beat', '99999', '--out', out], /--beat 99999: record 233 has \d+ detected beats \(1 to \d+\)/],
    [[record, '--time', '45:00', '--out', out], /--time 45:00.000: record 233 lasts 30:05.556/],
    [[record, '--beat', '3', '--method', 'lime', '--out', out], /--method must be gradcam or shap, got 'lime'/],
    [[record, '--beat', '3', '--out', join(await dir, 'x.gif')], /unknown extension '.gif'; it must end in .svg, .png or .json/],
    [[record, '--beat', '3'], /--out FILE.svg\|.png\|.json is required/],
    [[record, '--beat', '3', '--time', '4', '--out', out], /exactly one of --beat N/],
    [[record, '--beat', 'two', '--out', out], /--beat must be a whole number from 1/],
    [[record, '--beat', '3', '--model', 'nope.onnx', '--out', out], /model nope.onnx: cannot read it/],
    [['--global', '--out', out], /--global needs --db DIR/],
    [[join(mitdbDir, '108'), '--beat', '1', '--out', out], /beat 1 \(at 0:00.\d+\) of record 108: its window runs past the start or end of the record, so the agent does not classify it .*; try --beat 2$/m],
    [[record, '--beat', '3', '--method', 'shap', '--background', 'mean:Z', '--out', out], /no class-mean beat for 'Z'/],
    [[record, '--beat', '3', '--method', 'shap', '--segments', '1', '--out', out], /--segments must be 2 to 64/],
  ];
  for (const [args, message] of cases) {
    const r = await cli('explain', ...args);
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--global: per class the mean beat and the mean Grad-CAM of a capped, seeded sample, as JSON', async (t) => {
  const out = join(await dir, 'global.json');
  const r = await cli('explain', '--global', '--db', mitdbDir, '--records', '233', '--per-class', '25', '--out', out);
  t.is(r.code, 0, r.stderr);
  const g = JSON.parse(await readFile(out, 'utf8'));
  t.deepEqual(g.classes.map((c: { class: string }) => c.class), ['N', 'L', 'R', 'A', 'V']);
  const byClass = Object.fromEntries(g.classes.map((c: { class: string }) => [c.class, c]));
  for (const k of ['N', 'V']) {
    const c = byClass[k];
    t.is(c.beats, 25, `${k}: capped at --per-class`);
    t.true(c.available > 25);
    t.deepEqual(c.records, { 233: 25 });
    t.is(c.meanBeatMv.length, 256);
    t.is(c.meanAttribution.length, 256);
    t.true(Math.max(...c.meanAttribution) <= 1 && Math.min(...c.meanAttribution) >= 0, 'mean of maps scaled to max 1');
    t.true(c.correct >= 0 && c.correct <= c.beats);
  }
  t.is(byClass.L.beats, 0, 'record 233 has no LBBB beats');
  t.is(byClass.L.summary, null);
  // The sample is seeded: the library with the same seed (and the CLI's default model) gives the same JSON; another seed another sample.
  const model = await loadModel(join(repoRoot, 'models', 'arrhythminet-v2.int8.onnx'));
  t.teardown(() => model.release());
  const again = await globalExplanation({ model, method: 'gradcam', records: [record], perClass: 25, seed: 1 });
  t.deepEqual(JSON.parse(JSON.stringify(again)).classes, g.classes);
  const other = await globalExplanation({ model, method: 'gradcam', records: [record], perClass: 25, seed: 2 });
  t.notDeepEqual(other.classes[0].meanBeatMv, g.classes[0].meanBeatMv);
});
