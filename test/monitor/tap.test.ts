/**
 * The strip's tap in the signal path: `beatPipeline({ onConditioned })` sees
 * every conditioned sample once, in order, on the model-rate clock the beats
 * use, and tapping changes nothing downstream.
 */
import test from 'ava';
import { firstValueFrom, from, toArray } from 'rxjs';
import { beatPipeline, type PipelineRecord } from '../../agent/src/pipeline.ts';
import type { ConditionedChunk } from '../../agent/src/pipeline/chunks.ts';
import { syntheticEcg } from '../dsp/synthetic-ecg.ts';

test('onConditioned: contiguous conditioned samples at 360 Hz covering every beat; records unchanged', async (t) => {
  const fsIn = 500;
  const ecg = syntheticEcg({ fs: fsIn, seconds: 20, seed: 3 });
  const chunks = [];
  for (let s = 0; s < ecg.mv.length; s += 137) chunks.push({ start: s, fs: fsIn, mv: ecg.mv.slice(s, s + 137) });
  const seen: ConditionedChunk[] = [];
  const tapped = await firstValueFrom(from(chunks).pipe(beatPipeline({ onConditioned: (c) => seen.push(c) }), toArray()));
  const plain = await firstValueFrom(from(chunks).pipe(beatPipeline(), toArray()));
  const beats = (rs: PipelineRecord[]) => rs.filter((r) => r.kind === 'beat').map((b) => b.index);
  t.deepEqual(beats(tapped), beats(plain));
  t.true(beats(tapped).length > 15);
  let next = 0;
  for (const c of seen) {
    t.is(c.start, next);
    t.is(c.fs, 360);
    t.is(c.cond.length, c.mv.length);
    next += c.cond.length;
  }
  t.true(Math.abs(next - (ecg.mv.length * 360) / fsIn) < 360, `${next} conditioned samples for ${ecg.mv.length} at 500 Hz`);
  for (const i of beats(tapped)) t.true(i < next);
});
