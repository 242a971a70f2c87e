/**
 * The serial source on a garbled line (serial-chunks.ts): bytes keep arriving,
 * no frame is valid. After a quality block (1 s) of that, GAP placeholders stand
 * for the missing signal while it lasts, so the pipeline reports poor signal;
 * a shorter burst is left to the decoder's own gap; silence alone fills nothing;
 * no corrupt frame ever becomes a sample. Bytes come from MockBinding in 100 ms
 * steps of a monotonic clock the test drives (injected `elapsedNow`).
 */
import test from 'ava';
import { MockBinding } from '@serialport/binding-mock';
import { parseConfig } from '../../agent/src/config/load.ts';
import type { SerialSourceConfig } from '../../agent/src/config/types.ts';
import { OursEncoder } from '../../agent/src/sources/ads1292/index.ts';
import { serialChunks, type SerialChunkCounters } from '../../agent/src/sources/serial-chunks.ts';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import { SyntheticEcg } from '../../agent/src/sources/synthetic.ts';
import { SampleFlag, type SampleChunk } from '../../agent/src/signal.ts';
import { waitUntil } from '../publish/mqtt-helpers.ts';
import { recordingBinding } from '../helpers/mock-serial.ts';

const PATH = '/dev/ttyGARBLE0';
const FS = 500;
const STEP_MS = 100;
const STEP = (FS * STEP_MS) / 1000;


/** What each 100 ms step of the line carries. */
type Step = 'clean' | 'garbage' | 'silent';

interface Run {
  chunks: { chunk: SampleChunk; atMs: number }[];
  counters: SerialChunkCounters;
  /** The clean ECG (channel 2) sent, sample by sample, and which samples went out as intact frames. */
  sentMv: Float32Array;
  sentIntact: boolean[];
  garbageBytes: number;
}

async function runLine(steps: Step[]): Promise<Run> {
  MockBinding.reset();
  MockBinding.createPort(PATH);
  const { binding, opened } = recordingBinding();
  const source = (await parseConfig({ source: { type: 'serial', path: PATH, rateHz: FS } }, 'test')).source as SerialSourceConfig;
  let elapsedMs = 0;
  const s = serialChunks(source, { serial: { binding, initialBackoffMs: 20, silenceTimeoutMs: 0 }, elapsedNow: () => elapsedMs, fillEveryMs: 5 });
  const chunks: Run['chunks'] = [];
  const sub = s.chunks$.subscribe((chunk) => chunks.push({ chunk, atMs: elapsedMs }));
  try {
    if (!(await waitUntil(() => opened.length === 1 && opened[0].isOpen, 5000))) throw new Error('the mock port never opened');
    const ecg = new SyntheticEcg({ fs: FS, seed: 3, hrMeanBpm: 75 }).next(steps.length * STEP).mv;
    const enc = new OursEncoder({ settings: { fsHz: FS, gain: [6, 6], vrefV: 2.42 }, samplesPerFrame: 10 });
    const random = mulberry32(99);
    const sentIntact: boolean[] = [];
    let garbageBytes = 0;
    for (const [k, kind] of steps.entries()) {
      const frames = [...(k % 10 === 0 ? [enc.info()] : []), ...enc.push(new Float32Array(STEP), ecg.subarray(k * STEP, (k + 1) * STEP))];
      sentIntact.push(...new Array<boolean>(STEP).fill(kind === 'clean'));
      elapsedMs += STEP_MS;
      // Garbage: as many random bytes as the frames would have taken; the frames themselves never go out.
      const bytes = kind === 'clean' ? Buffer.concat(frames) : Buffer.from(Array.from({ length: frames.reduce((n, f) => n + f.length, 0) }, () => Math.floor(random() * 256)));
      if (kind !== 'silent') opened[0].emitData(bytes);
      if (kind === 'garbage') garbageBytes += bytes.length;
      // Real time for the port's data event and several fill ticks at this step's monotonic time.
      await new Promise((r) => setTimeout(r, 30));
    }
    return { chunks, counters: s.counters(), sentMv: ecg, sentIntact, garbageBytes };
  } finally {
    sub.unsubscribe();
  }
}

/** Samples as emitted, in order, with their flags; asserts the indices are contiguous from 0. */
function flatten(t: import('ava').ExecutionContext, r: Run): { mv: number[]; gap: boolean[] } {
  const mv: number[] = [];
  const gap: boolean[] = [];
  for (const { chunk } of r.chunks) {
    t.is(chunk.start, mv.length, 'contiguous sample indices');
    chunk.mv.forEach((v, i) => { mv.push(v); gap.push(((chunk.flags?.[i] ?? 0) & SampleFlag.GAP) !== 0); });
  }
  return { mv, gap };
}

/** The non-GAP samples are exactly the intact ones sent, in order: no corrupt frame became a sample. */
function assertOnlyIntactSamples(t: import('ava').ExecutionContext, r: Run, got: { mv: number[]; gap: boolean[] }): void {
  const real = got.mv.filter((_, i) => !got.gap[i]);
  const intact = Array.from(r.sentMv).filter((_, i) => r.sentIntact[i]);
  // The last step's frames may still sit in the decoder when the run ends.
  t.true(real.length >= intact.length - STEP && real.length <= intact.length, `${real.length} real samples, ${intact.length} intact sent`);
  t.true(real.every((v, i) => Math.abs(v - intact[i]) < 1e-3), 'every real sample is the intact sample sent, in order');
}

/** Runs of consecutive GAP samples as [first index, length]. */
function gapRuns(gap: boolean[]): [number, number][] {
  const runs: [number, number][] = [];
  gap.forEach((g, i) => {
    if (!g) return;
    const last = runs.at(-1);
    if (last && last[0] + last[1] === i) last[1]++;
    else runs.push([i, 1]);
  });
  return runs;
}

test.serial('2 s of garbage mid-stream: placeholders from 1 s into it, covering it once, samples after it intact and in order', async (t) => {
  const steps: Step[] = [...new Array(20).fill('clean'), ...new Array(20).fill('garbage'), ...new Array(20).fill('clean')];
  const r = await runLine(steps);
  const got = flatten(t, r);
  assertOnlyIntactSamples(t, r, got);
  const runs = gapRuns(got.gap);
  t.is(runs.length, 1, `one stretch of placeholders: ${JSON.stringify(runs)}`);
  const [first, length] = runs[0];
  t.is(first, 20 * STEP, 'placeholders start right after the last intact sample');
  // 2 s lost; the host may count up to one step more than the device's sequence numbers say (its timing is not the device's).
  t.true(length >= 20 * STEP && length <= 21 * STEP, `${length} placeholder samples for 2 s`);
  // Reported while the line is garbled, a block after the last good frame, not only when frames come back.
  const firstGapAtMs = r.chunks.find(({ chunk }) => chunk.flags?.[0] === SampleFlag.GAP)!.atMs;
  t.true(firstGapAtMs >= 3000 && firstGapAtMs <= 3100, `first placeholders at ${firstGapAtMs} ms (last good frame at 2000 ms)`);
  t.is(r.counters.garbledSamples, length);
  t.is(r.counters.holeSamples, 0);
  t.is(r.counters.framesGood, 40 * 5 + 4, 'data frames of the clean steps + their info frames');
  t.is(r.counters.samplesLost, 20 * STEP, 'the decoder counts the same 2 s from its sequence numbers');
  t.true(r.counters.framesCorrupt + r.counters.bytesSkipped > 0);
});

test.serial('a 0.5 s burst of garbage is left to the decoder: its exact gap, no garbled-line placeholders', async (t) => {
  const steps: Step[] = [...new Array(10).fill('clean'), ...new Array(5).fill('garbage'), ...new Array(10).fill('clean')];
  const r = await runLine(steps);
  const got = flatten(t, r);
  assertOnlyIntactSamples(t, r, got);
  t.deepEqual(gapRuns(got.gap), [[10 * STEP, 5 * STEP]]);
  t.is(r.counters.garbledSamples, 0);
});

test.serial('garbage from the first byte: the sample clock starts there, placeholders only, no sample', async (t) => {
  const steps: Step[] = [...new Array(30).fill('garbage'), ...new Array(20).fill('silent')];
  const r = await runLine(steps);
  const got = flatten(t, r);
  t.is(got.gap.filter((g) => !g).length, 0, 'no sample from garbage');
  t.is(r.counters.framesGood, 0);
  // Random bytes rarely hold a sync pattern: they are skipped as noise, every one (the silence lets a partial frame time out).
  t.is(r.counters.bytesSkipped, r.garbageBytes);
  // Garbage from 100 ms (the first byte) to 3000 ms; filling stops a block after the last byte.
  t.true(got.gap.length >= 2.9 * FS && got.gap.length <= 3.9 * FS, `${got.gap.length / FS} s of placeholders for 2.9 s of garbage`);
  t.true(r.chunks[0].atMs >= 1100 && r.chunks[0].atMs <= 1200, `first placeholders at ${r.chunks[0].atMs} ms, first byte at 100 ms`);
  t.is(r.counters.garbledSamples, got.gap.length);
});

test.serial('silence on an open port is not a garbled line: nothing is filled before the silence timeout', async (t) => {
  const steps: Step[] = [...new Array(10).fill('clean'), ...new Array(30).fill('silent')];
  const r = await runLine(steps);
  const got = flatten(t, r);
  t.is(got.gap.filter(Boolean).length, 0);
  t.is(r.counters.garbledSamples + r.counters.holeSamples, 0);
});
