import test from 'ava';
import { Segmenter, type Segment } from '../../agent/src/dsp/segmenter.ts';
import { QualityFlag } from '../../agent/src/dsp/signal-quality.ts';
import { loadPipelineSpec } from '../../agent/src/pipeline/model-spec.ts';

const spec = loadPipelineSpec();

/** A ramp: sample i has value i, so a window shows which samples it holds. */
function ramp(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i);
}

function segment(cond: Float32Array, peaks: number[], size: number, flags?: Uint8Array, align?: { radius: number; delay: number }): Segment[] {
  const s = new Segmenter({ fs: 360, before: spec.before, after: spec.after, align });
  const out: Segment[] = [];
  for (let start = 0; start < cond.length; start += size) {
    const end = Math.min(cond.length, start + size);
    // Peaks are handed over once the detector could have decided them (R + 0.3 s).
    const due = peaks.filter((r) => (r + 108 >= start && r + 108 < end) || (end === cond.length && r + 108 >= end));
    out.push(...s.process(cond.subarray(start, end), flags?.subarray(start, end), due));
  }
  out.push(...s.flush());
  return out;
}

test('windows are exactly the spec length with R at index before', (t) => {
  const cond = ramp(4000);
  const peaks = [500, 800, 1100, 1500];
  const beats = segment(cond, peaks, 4000);
  t.is(beats.length, 4);
  for (const [i, b] of beats.entries()) {
    t.is(b.index, peaks[i]);
    t.is(b.window.length, spec.before + spec.after);
    t.is(b.window[spec.before], peaks[i]);
    t.is(b.window[0], peaks[i] - spec.before);
    t.is(b.window[b.window.length - 1], peaks[i] + spec.after - 1);
    t.is(b.quality, 'good');
  }
});

test('RR intervals: previous and local mean, in ms; none for the first beat', (t) => {
  const peaks = [400, 760, 1120, 1300, 1840];
  const beats = segment(ramp(3000), peaks, 100);
  t.deepEqual(beats.map((b) => b.rrPrevMs), [null, 1000, 1000, 500, 1500]);
  t.deepEqual(beats.map((b) => b.rrLocalMs), [null, 1000, 1000, 2500 / 3, 1000]);
});

test('an interval across missing signal (gap, lead-off) is unknown and not remembered; noise does not break it', (t) => {
  const peaks = [400, 760, 1120, 1480, 1840, 2200, 2560];
  const flags = new Uint8Array(3000);
  flags.fill(QualityFlag.GAP, 1300, 1310); // between 1120 and 1480
  flags[1900] = QualityFlag.LEAD_OFF; // between 1840 and 2200
  flags[2300] = QualityFlag.NOISY; // between 2200 and 2560: signal was there
  const beats = segment(ramp(3000), peaks, 100, flags);
  t.deepEqual(beats.map((b) => b.rrPrevMs), [null, 1000, 1000, null, 1000, null, 1000]);
  // The local mean keeps the measured intervals only.
  t.deepEqual(beats.map((b) => b.rrLocalMs), [null, 1000, 1000, 1000, 1000, 1000, 1000]);
});

test('missing signal after the last R peak does not break the interval before it', (t) => {
  const flags = new Uint8Array(3000);
  flags.fill(QualityFlag.GAP, 1200, 1205); // inside beat 1120's window but after its R
  const beats = segment(ramp(3000), [760, 1120, 1480], 3000, flags);
  t.deepEqual(beats.map((b) => b.rrPrevMs), [null, 1000, null]);
});

test('local mean RR covers the last 8 intervals', (t) => {
  const peaks = Array.from({ length: 12 }, (_, i) => 400 + i * 360 + (i >= 9 ? 180 : 0));
  const last = segment(ramp(6000), peaks, 360).at(-1)!;
  // intervals: 8 of 1 s then one of 1.5 s (the 9->10 step), then 1 s, 1 s: last 8 = 6 x 1 s + 1.5 s + 1 s.
  t.is(last.rrLocalMs, (7 * 1000 + 1500) / 8);
});

test('edge beats are padded and marked; flagged samples mark the beat', (t) => {
  const cond = ramp(2000);
  const flags = new Uint8Array(2000);
  flags[1000] = QualityFlag.NOISY;
  const beats = segment(cond, [30, 1000, 1950], 2000, flags);
  t.is(beats[0].quality, 'edge');
  t.is(beats[0].window[0], 0);
  t.is(beats[0].window[spec.before], 30);
  t.is(beats[1].quality, 'noisy');
  t.is(beats[2].quality, 'edge');
  t.is(beats[2].window[beats[2].window.length - 1], 1999);
});

test('output is the same whatever the chunking', (t) => {
  const cond = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i / 10));
  const peaks = [200, 600, 1000, 1500, 2200, 2600, 3400, 4900];
  const whole = segment(cond, peaks, 5000);
  for (const size of [1, 7, 360]) t.deepEqual(segment(cond, peaks, size), whole, `chunks of ${size}`);
});

test('bad window geometry is refused', (t) => {
  t.throws(() => new Segmenter({ fs: 360, before: -1, after: 10 }), { message: /window.before must be an integer >= 0/ });
});

/** Zeros with the given samples set: a signal whose peaks are known. */
function spikes(n: number, at: Record<number, number>): Float32Array {
  const x = new Float32Array(n);
  for (const [i, v] of Object.entries(at)) x[Number(i)] = v;
  return x;
}

test('align: the window is cut at the largest |sample| within the radius (delay after it), the beat keeps its R mark', (t) => {
  const align = { radius: 4, delay: 4 };
  // Marks 3 before and 2 after the peak (a negative one counts by magnitude), one 5 away: out of reach.
  const cond = spikes(4000, { 1007: 2, 1500: 0.5, 1508: -3, 2204: 1.5 });
  const beats = segment(cond, [1000, 1506, 2195], 4000, undefined, align);
  t.deepEqual(beats.map((b) => b.index), [1000, 1506, 2195], 'R marks (and so RR) unchanged');
  t.deepEqual(beats.map((b) => b.rrPrevMs), [null, 1000 * 506 / 360, 1000 * 689 / 360]);
  t.is(beats[0].window[spec.before + 4], 2, 'peak at r + delay: r = 1003');
  t.is(beats[1].window[spec.before + 4], -3, 'negative peak: r = 1504');
  // 2204 is 5 past 2195 + delay's reach (2191..2199 + 4 = 2195..2203): nothing there, so the earliest of equal zeros.
  t.is(beats[2].window.indexOf(1.5), spec.before + 4 + 5 + 4, 'no peak in reach: r = 2195 - 4, earliest of a tie');
});

test('align: a tie goes to the earliest sample; the same windows whatever the chunking', (t) => {
  const align = { radius: 4, delay: 4 };
  const cond = spikes(3000, { 1002: 1, 1006: 1 });
  const [b] = segment(cond, [1000], 3000, undefined, align);
  t.is(b.window[spec.before + 4], 1, 'r = 998: 1002 is the earlier of the two equal peaks');
  t.is(b.window[spec.before + 8], 1);
  const wavy = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i / 7) * Math.cos(i / 31));
  const peaks = [200, 600, 1000, 1500, 2200, 2600, 3400, 4900];
  const whole = segment(wavy, peaks, 5000, undefined, align);
  t.true(whole.some((s, i) => s.window[spec.before] !== wavy[peaks[i]]), 'some window moved');
  for (const size of [1, 7, 360]) t.deepEqual(segment(wavy, peaks, size, undefined, align), whole, `chunks of ${size}`);
});

test('align: bad radius or delay is refused', (t) => {
  t.throws(() => new Segmenter({ fs: 360, before: 90, after: 166, align: { radius: -1, delay: 4 } }), { message: /align radius and delay must be integers >= 0/ });
  t.throws(() => new Segmenter({ fs: 360, before: 90, after: 10, align: { radius: 4, delay: 6 } }), { message: /radius \+ delay < window.after \(10\)/ });
});

test('align: a beat is released with its window\'s own last sample once the samples that place it are in: earlier when the window moved back', (t) => {
  const align = { radius: 4, delay: 4 };
  const cond = spikes(3000, { 1001: 2, 2011: 2 }); // windows at 997 (3 back) and 2007 (3 forward) of marks 1000 and 2004
  const s = new Segmenter({ fs: 360, before: spec.before, after: spec.after, align });
  const released: [number, number][] = [];
  for (let n = 0; n < cond.length; n++) {
    const due = [1000, 2004].filter((r) => r + 108 === n);
    for (const b of s.process(cond.subarray(n, n + 1), undefined, due)) released.push([b.windowStart + spec.before, n + 1]);
  }
  t.deepEqual(released, [[997, 997 + spec.after], [2007, 2007 + spec.after]], 'aligned R, samples received when it came out');
});
