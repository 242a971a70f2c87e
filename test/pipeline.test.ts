import test from 'ava';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { beatPipeline, type Beat, type PipelineRecord, type SignalSpan } from '../agent/src/pipeline.ts';
import { loadPipelineSpec } from '../agent/src/pipeline/model-spec.ts';
import { SosFilter } from '../agent/src/dsp/sos-filter.ts';
import { SampleFlag, type SampleChunk } from '../agent/src/signal.ts';
import { chunked, matchBeats, syntheticEcg } from './dsp/synthetic-ecg.ts';

const spec = loadPipelineSpec();

function runPipeline(chunks: SampleChunk[] | Observable<SampleChunk>): Promise<PipelineRecord[]> {
  return lastValueFrom(from(chunks).pipe(beatPipeline({ spec }), toArray()));
}
const beatsOf = (r: PipelineRecord[]) => r.filter((x): x is Beat => x.kind === 'beat');

test('the whole pipeline gives identical output whatever the chunking', async (t) => {
  const ecg = syntheticEcg({ fs: 500, seconds: 25, seed: 11, noiseMv: 0.05 });
  const flags = new Uint8Array(ecg.mv.length);
  flags.fill(SampleFlag.LEAD_OFF, 9000, 9500);
  const whole = await runPipeline(chunked(ecg.mv, Infinity, 500, flags));
  t.true(beatsOf(whole).length > 20);
  for (const size of [1, 7, 360]) t.deepEqual(await runPipeline(chunked(ecg.mv, size, 500, flags)), whole, `chunks of ${size}`);
});

for (const fs of [125, 128, 250, 257, 360, 500, 1000]) {
  test(`beats of a ${fs} SPS source come out at their R peaks in the source's own samples`, async (t) => {
    const ecg = syntheticEcg({ fs, seconds: 60, seed: fs });
    const beats = beatsOf(await runPipeline(chunked(ecg.mv, 1000, fs)));
    const m = matchBeats(ecg.rIndices, beats.map((b) => b.sourceIndex), Math.round(0.15 * fs));
    t.is(m.fn, 0);
    t.is(m.fp, 0);
    t.true(m.offsets.every((o) => Math.abs(o) <= Math.ceil(0.01 * fs)), `offsets ${[...new Set(m.offsets)]}`);
    for (const b of beats) {
      t.is(b.fs, 360);
      t.is(b.sourceFs, fs);
      t.is(b.sourceIndex, Math.round((b.index * fs) / 360));
    }
  });
}

test('windows are the spec conditioning of the whole record, cut at R-before .. R+after-1', async (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 30, seed: 3 });
  const cond = new SosFilter(spec.sos).process(ecg.mv, new Float32Array(ecg.mv.length));
  const beats = beatsOf(await runPipeline(chunked(ecg.mv, 700, 360)));
  t.true(beats.length > 25);
  for (const b of beats.filter((x) => x.quality === 'good')) {
    t.is(b.window.length, spec.before + spec.after);
    t.deepEqual(b.window, cond.slice(b.index - spec.before, b.index + spec.after));
  }
});

test('no beat inside GAP samples, and the gap is reported as a span in both clocks', async (t) => {
  const fs = 500;
  const ecg = syntheticEcg({ fs, seconds: 40, seed: 21 });
  const flags = new Uint8Array(ecg.mv.length);
  const [from_, to] = [12 * fs, 20 * fs];
  flags.fill(SampleFlag.GAP, from_, to);
  ecg.mv.fill(ecg.mv[from_ - 1], from_, to);
  const out = await runPipeline(chunked(ecg.mv, 333, fs, flags));
  const inGap = beatsOf(out).filter((b) => b.sourceIndex >= from_ && b.sourceIndex < to);
  t.deepEqual(inGap.map((b) => b.sourceIndex), []);
  const gaps = out.filter((r): r is SignalSpan => r.kind === 'bad-signal' && r.reason === 'gap');
  t.is(gaps.length, 1);
  t.true(Math.abs(gaps[0].sourceStart - from_) <= fs && Math.abs(gaps[0].sourceEnd - to) <= fs, `${gaps[0].sourceStart}..${gaps[0].sourceEnd}`);
  t.is(gaps[0].start, Math.round(gaps[0].start));
  t.true(beatsOf(out).some((b) => b.sourceIndex > to + fs), 'beats resume after the gap');
});

test('wall time of a beat follows the source clock', async (t) => {
  const ecg = syntheticEcg({ fs: 250, seconds: 20, seed: 5 });
  const wall0 = Date.UTC(2026, 0, 1);
  const chunks = chunked(ecg.mv, 250, 250).map((c) => ({ ...c, wallMs: wall0 + c.start * 4 }));
  const beats = beatsOf(await runPipeline(chunks));
  // Within a microsecond: a double holds ms since the epoch to ~0.25 us (2^-12 ms), so 1e-6 ms held only by luck of the arithmetic.
  for (const b of beats) t.true(Math.abs(b.wallMs! - (wall0 + (b.index * 1000) / 360)) < 1e-3);
});

test('state is per subscription: one pipeline value runs twice with the same result', async (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 15, seed: 8 });
  const source = from(chunked(ecg.mv, 512, 360)).pipe(beatPipeline({ spec }));
  const a = await lastValueFrom(source.pipe(toArray()));
  const b = await lastValueFrom(source.pipe(toArray()));
  t.deepEqual(a, b);
});

test('an empty source completes with nothing; a broken chunk sequence is an error', async (t) => {
  t.deepEqual(await runPipeline([]), []);
  const bad = [{ start: 0, fs: 360, mv: new Float32Array(100) }, { start: 500, fs: 360, mv: new Float32Array(100) }];
  const good = await runPipeline([bad[0]]);
  t.true(Array.isArray(good));
  const badRate = [{ start: 0, fs: 500, mv: new Float32Array(100) }, { start: 100, fs: 250, mv: new Float32Array(100) }];
  await t.throwsAsync(runPipeline(badRate), { message: /chunk at 250 Hz, expected 500 Hz/ });
});

test('the spec is checked with the field named', async (t) => {
  const { parsePipelineSpec } = await import('../agent/src/pipeline/model-spec.ts');
  t.throws(() => parsePipelineSpec({ sampleRateHz: 360, conditioning: { sos: [[1, 2]] }, window: { before: 1, after: 2 } }, 'x.json'),
    { message: 'x.json: conditioning.sos[0] must be 6 finite numbers [b0 b1 b2 a0 a1 a2] with a0 != 0' });
  t.throws(() => parsePipelineSpec({ sampleRateHz: 360, conditioning: { sos: [[1, 0, 0, 1, 0, 0]] }, window: { before: 1 } }, 'x.json'),
    { message: /x.json: window.after must be an integer > 0/ });
});
