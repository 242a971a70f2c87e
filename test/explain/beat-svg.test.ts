import test from 'ava';
import { renderBeatSvg, signedColour } from '../../agent/src/explain/render/beat-svg.ts';
import { gridSvg } from '../../agent/src/explain/render/grid-svg.ts';
import { svgToPng } from '../../agent/src/explain/render/png.ts';
import { byClass, findAll, parseSvg, textOf } from './svg-tree.ts';

const n = 256;
const before = 90;
const beat = Array.from({ length: n }, (_, i) => 1.2 * Math.exp(-(((i - before) / 5) ** 2)) + 0.3 * Math.exp(-(((i - 190) / 18) ** 2)) - 0.1);
/** Evidence only around the QRS: samples 80..100. */
const qrsMap = Array.from({ length: n }, (_, i) => (i >= 80 && i <= 100 ? 1 : 0));
const regions = [{ name: 'P', fromMs: -250, toMs: -60 }, { name: 'QRS', fromMs: -60, toMs: 80 }, { name: 'T', fromMs: 80, toMs: 410 }];

test('regions: a labelled strip per region over its ms span, clipped to the window', (t) => {
  const svg = parseSvg(renderBeatSvg({ window: beat, fs: 360, beforeSamples: before, regions: [...regions, { name: 'late', fromMs: 400, toMs: 900 }] }));
  const marks = findAll(svg, byClass('region'));
  t.deepEqual(marks.map((m) => m.attrs['data-region']), ['P', 'QRS', 'T', 'late']);
  t.deepEqual(marks.map((m) => textOf(m)), ['P', 'QRS', 'T', 'late']);
  t.is(marks[3].attrs['data-to-ms'], String(Math.round(((n - 1 - before) * 1000) / 360 * 10) / 10), 'clipped at the window end');
  // The strip of QRS spans x(-60 ms) .. x(80 ms): R (0 ms) lies inside it.
  const rect = marks[1].children.find((c) => c.name === 'rect')!;
  const rLine = findAll(svg, byClass('r-peak'))[0];
  const x0 = Number(rect.attrs.x);
  t.true(x0 < Number(rLine.attrs.x1) && Number(rLine.attrs.x1) < x0 + Number(rect.attrs.width));
});

test('the map is painted on the trace only where it is strong, wider and redder where stronger', (t) => {
  const svg = parseSvg(renderBeatSvg({ window: beat, fs: 360, beforeSamples: before, attribution: qrsMap, attributionName: 'Grad-CAM', label: 'V' }));
  const runs = findAll(svg, byClass('overlay'))[0].children;
  // Segments joining a 0 and a 1 sample take level 3 of 5; those inside the stretch level 5.
  t.deepEqual(runs.map((r) => Number(r.attrs['data-level'])), [3, 5, 3]);
  const trace = findAll(svg, byClass('trace'))[0].attrs.points.split(' ');
  const pts = runs[1].attrs.points.split(' ');
  t.is(pts[0], trace[80]);
  t.is(pts.at(-1), trace[100]);
  t.is(pts.length, 21);
  t.is(runs[0].attrs.points.split(' ')[0], trace[79]);
  t.is(runs[1].attrs.stroke, 'rgb(255,0,0)');
  t.true(Number(runs[1].attrs['stroke-width']) > Number(runs[0].attrs['stroke-width']));
  t.regex(textOf(findAll(svg, byClass('legend'))[0]), /Grad-CAM.*evidence for V/);
  // A map of 4 bins over 256 samples colours whole quarters.
  const quarter = parseSvg(renderBeatSvg({ window: beat, fs: 360, beforeSamples: before, gradcam: [0, 1, 0, 0] }));
  const q = findAll(quarter, byClass('overlay'))[0].children;
  t.deepEqual(q.map((r) => Number(r.attrs['data-level'])), [3, 5, 3]);
  t.is(q[1].attrs.points.split(' ').length, 64, 'samples 64..127: the second quarter');
});

test('signed maps: red for the class, blue against, scaled by the largest magnitude', (t) => {
  const map = Array.from({ length: n }, (_, i) => (i < 60 ? -0.02 : i >= 80 && i <= 100 ? 0.04 : 0));
  const svg = parseSvg(renderBeatSvg({ window: beat, fs: 360, beforeSamples: before, attribution: map, attributionKind: 'signed', attributionName: 'SHAP', label: 'A' }));
  const runs = findAll(svg, byClass('overlay'))[0].children;
  // -0.02 scales to -0.5 (level -3 of 5); the edges of the +1 stretch join 0 and 1 (level 3).
  const blue = signedColour(-1).fill;
  const red = signedColour(1).fill;
  t.deepEqual(runs.map((r) => [r.attrs.stroke, Number(r.attrs['data-level'])]), [[blue, -3], [red, 3], [red, 5], [red, 3]]);
  t.truthy(findAll(svg, byClass('attribution'))[0], 'signed band');
  t.regex(textOf(findAll(svg, byClass('legend'))[0]), /SHAP.*against.*for.*evidence for \/ against A/);
});

test('a grid nests each panel as its own viewport under one title; resvg reads it', (t) => {
  const panel = renderBeatSvg({ window: beat, fs: 360, beforeSamples: before, title: 'one' }, { widthPx: 400, heightPx: 200 });
  const grid = parseSvg(gridSvg('all <classes>', [panel, panel, panel], 400, 200, 2));
  t.is(grid.attrs.width, '800');
  t.is(grid.attrs.height, String(32 + 2 * 200));
  const panels = findAll(grid, byClass('panel'));
  t.deepEqual(panels.map((p) => [p.attrs.x, p.attrs.y]), [['0', '32'], ['400', '32'], ['0', '232']]);
  t.is(textOf(findAll(grid, byClass('grid-title'))[0]), 'all &lt;classes&gt;');
  const png = svgToPng(gridSvg('x', [panel], 400, 200), 1);
  t.is(png.readUInt32BE(16), 400);
  t.is(png.readUInt32BE(20), 232);
});
