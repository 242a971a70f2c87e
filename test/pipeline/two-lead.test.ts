/**
 * The pipeline with a second lead (SampleChunk.mv2): identical output whatever
 * the chunking (resampled from 500 SPS, with lead-off on either lead), the
 * beats on the primary lead's R peaks, `leads: 1` ignoring the second lead,
 * and clear errors for a stream that loses its second lead or a bad `leads`.
 */
import test from 'ava';
import { from, lastValueFrom, toArray } from 'rxjs';
import { beatPipeline, type Beat, type PipelineOptions, type PipelineRecord } from '../../agent/src/pipeline.ts';
import { loadPipelineSpec } from '../../agent/src/pipeline/model-spec.ts';
import { SampleFlag, type SampleChunk } from '../../agent/src/signal.ts';
import { matchBeats, syntheticEcg } from '../dsp/synthetic-ecg.ts';

const spec = loadPipelineSpec();

function run(chunks: SampleChunk[], o: PipelineOptions = {}): Promise<PipelineRecord[]> {
  return lastValueFrom(from(chunks).pipe(beatPipeline({ spec, ...o }), toArray()));
}

const beatsOf = (r: PipelineRecord[]) => r.filter((x): x is Beat => x.kind === 'beat');

/** Two leads in chunks of `size` (Infinity: one chunk). */
function chunks2(mv: Float32Array, mv2: Float32Array, size: number, fs: number, flags?: Uint8Array, flags2?: Uint8Array): SampleChunk[] {
  const out: SampleChunk[] = [];
  const step = Number.isFinite(size) ? size : mv.length;
  for (let s = 0; s < mv.length; s += step) {
    const c: SampleChunk = { start: s, fs, mv: mv.slice(s, s + step), mv2: mv2.slice(s, s + step) };
    if (flags) c.flags = flags.slice(s, s + step);
    if (flags2) c.flags2 = flags2.slice(s, s + step);
    out.push(c);
  }
  return out;
}

/** A 500-SPS primary lead with motion noise from 10 to 20 s and a second lead of the same beats. */
function leads() {
  const ecg = syntheticEcg({ fs: 500, seconds: 30, seed: 3, noiseMv: 0.03 });
  const second = syntheticEcg({ fs: 500, seconds: 30, seed: 3, noiseMv: 0.01, rMv: 0.7 });
  const mv = ecg.mv.slice();
  for (let i = 5000; i < 10000; i++) mv[i] += 0.4 * Math.sin(i * 0.21) * Math.sin(i * 0.013);
  return { ecg, mv, mv2: second.mv };
}

test('two leads: identical output whatever the chunking, lead-off on either lead included', async (t) => {
  const { mv, mv2 } = leads();
  const flags = new Uint8Array(mv.length);
  flags.fill(SampleFlag.LEAD_OFF, 12000, 12400);
  const flags2 = new Uint8Array(mv.length);
  flags2.fill(SampleFlag.LEAD_OFF, 3000, 4000);
  const whole = await run(chunks2(mv, mv2, Infinity, 500, flags, flags2));
  t.true(beatsOf(whole).length > 25);
  for (const size of [1, 7, 360]) t.deepEqual(await run(chunks2(mv, mv2, size, 500, flags, flags2)), whole, `chunks of ${size}`);
});

test('two leads: beats land on the primary lead\'s R peaks; leads 1 ignores the second lead', async (t) => {
  const { ecg, mv, mv2 } = leads();
  const two = beatsOf(await run(chunks2(mv, mv2, 500, 500)));
  const m = matchBeats(ecg.rIndices, two.map((b) => b.sourceIndex), Math.round(0.15 * 500));
  t.true(m.tp >= ecg.rIndices.length - 2, `${m.tp} of ${ecg.rIndices.length} beats found`);
  t.true(m.offsets.every((o) => Math.abs(o) <= 10), 'within 20 ms of the R peak');
  const oneLead = await run(chunks2(mv, mv2, 500, 500), { leads: 1 });
  const primaryOnly = await run(chunks2(mv, mv2, 500, 500).map(({ mv2: _m, flags2: _f, ...c }) => c));
  t.deepEqual(oneLead, primaryOnly);
});

test('a stream that began with two leads must keep both; leads must be 1 or 2; the leads must be as long as each other', async (t) => {
  const { mv, mv2 } = leads();
  const cs = chunks2(mv, mv2, 1000, 500);
  const { mv2: _dropped, ...bare } = cs[3];
  cs[3] = bare;
  await t.throwsAsync(run(cs), { message: /began with two leads but the chunk at sample \d+ has no second lead/ });
  await t.throwsAsync(run(chunks2(mv, mv2, 1000, 500), { leads: 3 as 1 }), { message: /leads must be 1 or 2, got 3/ });
  const short = chunks2(mv, mv2, 1000, 500);
  short[0] = { ...short[0], mv2: short[0].mv2!.subarray(0, 999) };
  await t.throwsAsync(run(short), { message: /chunk at sample 0 has 999 samples of the second lead, 1000 of the first/ });
});
