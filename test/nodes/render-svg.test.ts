import test from 'ava';
import { camColour, checkPicture, escapeXml, niceStep, renderBeatSvg } from '../../agent/src/explain/render/beat-svg.ts';

/** A synthetic beat: a QRS-like spike at the R index over a small T wave, mV. */
function beat(n = 256, before = 90) {
  return Array.from({ length: n }, (_, i) => 1.2 * Math.exp(-(((i - before) / 5) ** 2)) + 0.3 * Math.exp(-(((i - 190) / 18) ** 2)) - 0.1);
}

const points = (svg: string) => /<polyline class="trace" points="([^"]+)"/.exec(svg)![1].split(' ').map((p) => p.split(',').map(Number));

test('the trace spans the plot: R peak at 0 ms, highest sample at the top, one point per sample', (t) => {
  const w = beat();
  const svg = renderBeatSvg({ window: w, fs: 360, beforeSamples: 90, label: 'V', probabilities: { N: 0.1, V: 0.9 } });
  t.true(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  t.true(svg.trimEnd().endsWith('</svg>'));
  const pts = points(svg);
  t.is(pts.length, 256);
  const peak = pts[90];
  t.is(Math.min(...pts.map((p) => p[1])), peak[1], 'the R peak is the highest point');
  const rLine = /<line class="r-peak" x1="([\d.]+)"/.exec(svg)![1];
  t.is(Number(rLine), peak[0], 'R marker at the R sample');
  t.regex(svg, /time from R peak \(ms\)/);
  t.regex(svg, /amplitude \(mV\)/);
  const msTicks = [...svg.matchAll(/<text x="[\d.]+" y="\d+" text-anchor="middle">(-?\d+)<\/text>/g)].map((m) => Number(m[1]));
  t.deepEqual(msTicks, [-200, -100, 0, 100, 200, 300, 400], 'window -250 to +458 ms (90 and 165 samples at 360 Hz)');
  t.regex(svg, />beat: V<\/text>/);
  t.regex(svg, /font-weight="bold">90.0%<\/text>/);
});

test('Grad-CAM: one band per bin, hotter bins redder and more opaque', (t) => {
  const svg = renderBeatSvg({ window: beat(), fs: 360, beforeSamples: 90, gradcam: [0, 0.5, 1, 0.25] });
  const bands = [...svg.matchAll(/<rect x="[\d.]+" y="\d+" width="[\d.]+" height="\d+" fill="(rgb\([^)]+\))" fill-opacity="([\d.]+)"/g)];
  t.is(bands.length, 4);
  t.deepEqual(bands.map((b) => Number(b[2])), [0, 0.3, 0.6, 0.15]);
  t.is(bands[2][1], 'rgb(255,0,0)');
  t.deepEqual(camColour(2), camColour(1), 'values clamp to 1');
  t.false(renderBeatSvg({ window: beat(), fs: 360, beforeSamples: 90 }).includes('class="gradcam"'));
});

test('text is escaped; ticks are 1, 2 or 5 times a power of ten', (t) => {
  t.is(escapeXml(`<a & "b">`), '&lt;a &amp; &quot;b&quot;&gt;');
  const svg = renderBeatSvg({ window: beat(), fs: 360, beforeSamples: 90, title: 'bed <3> & co' });
  t.regex(svg, />bed &lt;3&gt; &amp; co</);
  t.is(niceStep(711, 6), 100);
  t.is(niceStep(1.5, 5), 0.2);
  t.is(niceStep(0.09, 5), 0.02);
});

test('a flat window still draws (no division by zero)', (t) => {
  const svg = renderBeatSvg({ window: new Array(10).fill(0.2), fs: 360, beforeSamples: 3 });
  t.true(points(svg).every((p) => p.every(Number.isFinite)));
});

test('bad pictures: errors name the field and what is allowed', (t) => {
  t.throws(() => checkPicture(null), { message: /msg.payload must be an object/ });
  t.throws(() => checkPicture({ window: [1], fs: 360, beforeSamples: 0 }), { message: /window must be an array of at least 2/ });
  t.throws(() => checkPicture({ window: [1, Number.NaN], fs: 360, beforeSamples: 0 }), { message: /window\[1\] is NaN/ });
  t.throws(() => checkPicture({ window: [1, 2], fs: 0, beforeSamples: 0 }), { message: /fs is 0; expected the sample rate in Hz/ });
  t.throws(() => checkPicture({ window: [1, 2], fs: 360, beforeSamples: 2 }), { message: /beforeSamples is 2; expected the R peak's index, 0 to 1/ });
});
