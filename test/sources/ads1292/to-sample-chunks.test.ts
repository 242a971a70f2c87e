import test from 'ava';
import { from, lastValueFrom, toArray } from 'rxjs';
import { SampleFlag, type SampleChunk } from '../../../agent/src/signal.ts';
import {
  OursDecoder, OursEncoder, SampleChunkAdapter, decodeFrames, toSampleChunks, type Ads1292Settings,
} from '../../../agent/src/sources/ads1292/index.ts';

const settings: Ads1292Settings = { fsHz: 250, gain: [6, 6], vrefV: 2.42 };

function stream(dropFrames: number[]): Uint8Array[] {
  const enc = new OursEncoder({ settings, samplesPerFrame: 5 });
  const ch1 = Float32Array.from({ length: 30 }, (_, i) => i * 0.01);
  const ch2 = Float32Array.from({ length: 30 }, (_, i) => -i * 0.01);
  return enc.push(ch1, ch2).filter((_, i) => !dropFrames.includes(i));
}

function joined(chunks: SampleChunk[]) {
  const mv = chunks.flatMap((c) => Array.from(c.mv));
  const flags = chunks.flatMap((c) => Array.from(c.flags ?? new Uint8Array(c.mv.length)));
  return { mv, flags };
}

test('a gap becomes GAP-flagged placeholders holding the last good value; the sample clock stays exact', async (t) => {
  const d = new OursDecoder({ settings });
  const chunks = await lastValueFrom(from(stream([2, 3])).pipe(decodeFrames(d), toSampleChunks(1), toArray()));
  t.deepEqual(chunks.map((c) => c.start), [0, 5, 10, 20, 25]);
  chunks.forEach((c, i) => i > 0 && t.is(c.start, chunks[i - 1].start + chunks[i - 1].mv.length));
  const { mv, flags } = joined(chunks);
  t.is(mv.length, 30);
  t.deepEqual(flags.slice(10, 20), new Array(10).fill(SampleFlag.GAP));
  t.true(flags.slice(0, 10).concat(flags.slice(20)).every((f) => f === 0));
  t.true(mv.slice(10, 20).every((v) => v === mv[9])); // ch2 value of sample 9
  t.true(Math.abs(mv[9] + 0.09) < 1e-3);
  t.true(Math.abs(mv[20] + 0.20) < 1e-3);
});

test('clean blocks carry no flags array; info events give no chunk', (t) => {
  const a = new SampleChunkAdapter(0);
  const enc = new OursEncoder({ settings });
  const d = new OursDecoder({ settings });
  const evs = [enc.info(), ...enc.push(new Float32Array(10))].flatMap((f) => d.push(f));
  const out = evs.map((e) => a.push(e));
  t.is(out[0], null);
  t.is(out[1]?.flags, undefined);
  t.throws(() => new SampleChunkAdapter(-1), { message: /"channel" is -1/ });
  t.throws(() => new SampleChunkAdapter(3).push(evs[1]), { message: /"channel" 3 is not in the stream \(it has 2\)/ });
});

test('a second ECG channel rides along as mv2; a gap holds its own last good value; it must be another channel', async (t) => {
  const d = new OursDecoder({ settings });
  const a = new SampleChunkAdapter(0, 1);
  const chunks = (await lastValueFrom(from(stream([2, 3])).pipe(decodeFrames(d), toArray())))
    .map((e) => a.push(e)).filter((c): c is SampleChunk => c !== null);
  t.true(chunks.every((c) => c.mv2 !== undefined && c.mv2.length === c.mv.length));
  const mv = chunks.flatMap((c) => Array.from(c.mv));
  const mv2 = chunks.flatMap((c) => Array.from(c.mv2!));
  const flags2 = chunks.flatMap((c) => Array.from(c.flags2 ?? new Uint8Array(c.mv.length)));
  t.true(Math.abs(mv[25] - 0.25) < 1e-3, 'channel 1 is the primary');
  t.true(Math.abs(mv2[25] + 0.25) < 1e-3, 'channel 2 is the second lead');
  t.deepEqual(flags2.slice(10, 20), new Array(10).fill(SampleFlag.GAP));
  t.true(mv2.slice(10, 20).every((v) => v === mv2[9]));
  t.throws(() => new SampleChunkAdapter(1, 1), { message: /"channel2" is the same channel as "channel" \(1\)/ });
});
