import test from 'ava';
import { designResampler, Resampler } from '../../agent/src/dsp/resampler.ts';
import { SampleFlag, type SampleChunk } from '../../agent/src/signal.ts';
import { chunked, rms, sine } from './synthetic-ecg.ts';

function run(fsIn: number, x: Float32Array, size: number, flags?: Uint8Array, fsOut = 360): SampleChunk[] {
  const r = new Resampler(fsIn, fsOut);
  return chunked(x, size, fsIn, flags).map((c) => r.process(c));
}

function joined(chunks: SampleChunk[]): { mv: number[]; flags: number[]; starts: number[] } {
  const mv: number[] = [];
  const flags: number[] = [];
  for (const c of chunks) {
    mv.push(...c.mv);
    for (let i = 0; i < c.mv.length; i++) flags.push(c.flags ? c.flags[i] : 0);
  }
  return { mv, flags, starts: chunks.filter((c) => c.mv.length > 0).map((c) => c.start) };
}

test('rational ratios in lowest terms', (t) => {
  for (const [fsIn, up, down] of [[500, 18, 25], [250, 36, 25], [125, 72, 25], [128, 45, 16], [1000, 9, 25], [257, 360, 257]]) {
    const d = designResampler(fsIn, 360);
    t.deepEqual([d.up, d.down], [up, down], `${fsIn} Hz`);
  }
  t.throws(() => designResampler(62.5, 360), { message: /input rate is 62.5 Hz; allowed: an integer from 50 to 20000 Hz/ });
  // A header's absurd rate must not design a filter of gigabytes (or stretch 1 Hz into 360 outputs per sample).
  t.throws(() => designResampler(99_999_999, 360), { message: /input rate is 99999999 Hz; allowed: an integer from 50 to 20000 Hz/ });
  t.throws(() => designResampler(1, 360), { message: /input rate is 1 Hz/ });
  t.is(designResampler(8000, 360).down, 200, 'the ADS1292 top rate');
  t.is(designResampler(10_000, 360).down, 250, 'the 10-kHz PhysioNet records');
});

test('a 10 Hz sine at 500 SPS keeps its frequency, amplitude and timing at 360 SPS', (t) => {
  const x = sine(10, 500, 500 * 5);
  const { mv, starts } = joined(run(500, x, 4096));
  t.is(starts[0], 0);
  // Output j is the input at time j/360 s: compare with the ideal sine there.
  let worst = 0;
  for (let j = 100; j < mv.length; j++) worst = Math.max(worst, Math.abs(mv[j] - Math.sin((2 * Math.PI * 10 * j) / 360)));
  t.true(worst < 2e-3, `max error ${worst}`);
  t.true(Math.abs(rms(mv, 100) * Math.SQRT2 - 1) < 2e-3);
  t.true(mv.length > 360 * 5 - 40 && mv.length <= 360 * 5);
});

test('up-sampling 125, 128, 250 and 257 SPS to 360 keeps a 5 Hz sine in time', (t) => {
  for (const fsIn of [125, 128, 250, 257]) {
    const { mv } = joined(run(fsIn, sine(5, fsIn, fsIn * 4), 1000));
    let worst = 0;
    for (let j = 100; j < mv.length; j++) worst = Math.max(worst, Math.abs(mv[j] - Math.sin((2 * Math.PI * 5 * j) / 360)));
    t.true(worst < 2e-3, `${fsIn} Hz: max error ${worst}`);
  }
});

test('components above the output Nyquist are attenuated, not aliased', (t) => {
  // 300 Hz at 1000 SPS would alias to 60 Hz at 360 SPS; 260 Hz at 500 SPS to 100 Hz.
  for (const [fsIn, hz] of [[1000, 300], [500, 260], [500, 200]]) {
    const { mv } = joined(run(fsIn, sine(hz, fsIn, fsIn * 4), 4096));
    const level = rms(mv, 100) * Math.SQRT2;
    t.true(level < 1e-3, `${hz} Hz at ${fsIn} SPS leaves ${level} (> -60 dB)`);
  }
});

test('output is identical whatever the chunking', (t) => {
  const x = sine(7, 500, 3000, 1.5, 0.3);
  for (const v of x.keys()) x[v] += (v % 13) / 50;
  const whole = joined(run(500, x, Infinity));
  for (const size of [1, 7, 360]) t.deepEqual(joined(run(500, x, size)).mv, whole.mv, `chunks of ${size}`);
});

test('chunk starts count output samples exactly', (t) => {
  const chunks = run(250, sine(3, 250, 2000), 100).filter((c) => c.mv.length > 0);
  let next = 0;
  for (const c of chunks) {
    t.is(c.start, next);
    t.is(c.fs, 360);
    next += c.mv.length;
  }
});

test('flags follow the samples they came from', (t) => {
  const x = new Float32Array(1000).fill(1);
  const flags = new Uint8Array(1000);
  flags.fill(SampleFlag.GAP, 500, 550); // input time 1.0 .. 1.1 s
  const { flags: out } = joined(run(500, x, 64, flags));
  const gapOut = out.map((f, j) => (f & SampleFlag.GAP ? j : -1)).filter((j) => j >= 0);
  t.true(gapOut.length > 0);
  t.true(gapOut[0] >= Math.floor(1.0 * 360) - 1 && gapOut[gapOut.length - 1] <= Math.ceil(1.1 * 360));
});

test('360 to 360 is the identity', (t) => {
  const x = sine(3, 360, 100);
  const r = new Resampler(360, 360);
  const out = r.process({ start: 0, fs: 360, mv: x });
  t.is(out.mv, x);
});

test('a chunk that does not follow on is refused with the indices named', (t) => {
  const r = new Resampler(500, 360);
  r.process({ start: 0, fs: 500, mv: new Float32Array(10) });
  t.throws(() => r.process({ start: 20, fs: 500, mv: new Float32Array(10) }), { message: /starts at sample 20, expected 10/ });
  t.throws(() => r.process({ start: 10, fs: 250, mv: new Float32Array(10) }), { message: /chunk at 250 Hz, expected 500 Hz/ });
});

test('wall time of each output chunk follows the input clock', (t) => {
  const r = new Resampler(500, 360);
  const chunks = chunked(sine(1, 500, 2000), 500, 500).map((c) => r.process({ ...c, wallMs: 1e12 + c.start * 2 }));
  for (const c of chunks.filter((c) => c.mv.length > 0)) t.true(Math.abs(c.wallMs! - (1e12 + (c.start * 1000) / 360)) < 1e-6);
});
