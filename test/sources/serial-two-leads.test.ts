/**
 * The serial source with a second ECG channel (serial-chunks.ts,
 * `secondEcgChannel`): every chunk carries the second lead alongside the
 * first, sample for sample as sent, and the placeholders of a garbled line
 * stand for both leads (GAP on each). Bytes come from MockBinding in 100 ms
 * steps of a monotonic clock the test drives.
 */
import test from 'ava';
import { MockBinding } from '@serialport/binding-mock';
import { parseConfig } from '../../agent/src/config/load.ts';
import type { SerialSourceConfig } from '../../agent/src/config/types.ts';
import { OursEncoder } from '../../agent/src/sources/ads1292/index.ts';
import { serialChunks } from '../../agent/src/sources/serial-chunks.ts';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import { SyntheticEcg } from '../../agent/src/sources/synthetic.ts';
import { SampleFlag, type SampleChunk } from '../../agent/src/signal.ts';
import { waitUntil } from '../publish/mqtt-helpers.ts';
import { recordingBinding } from '../helpers/mock-serial.ts';

const PATH = '/dev/ttyTWO0';
const FS = 500;
const STEP_MS = 100;
const STEP = (FS * STEP_MS) / 1000;

test.serial('ECG on channel 2, second lead on channel 1: both leads in every chunk, garbled-line placeholders for both', async (t) => {
  MockBinding.reset();
  MockBinding.createPort(PATH);
  const { binding, opened } = recordingBinding();
  const source = (await parseConfig({ source: { type: 'serial', path: PATH, rateHz: FS, ecgChannel: 2, secondEcgChannel: 1 } }, 'test')).source as SerialSourceConfig;
  let elapsedMs = 0;
  const s = serialChunks(source, { serial: { binding, initialBackoffMs: 20, silenceTimeoutMs: 0 }, elapsedNow: () => elapsedMs, fillEveryMs: 5 });
  const chunks: SampleChunk[] = [];
  const sub = s.chunks$.subscribe((c) => chunks.push(c));
  const steps = 40;
  const garbled = (k: number) => k >= 15 && k < 30;
  const primary = new SyntheticEcg({ fs: FS, seed: 3, hrMeanBpm: 75 }).next(steps * STEP).mv;
  const second = new SyntheticEcg({ fs: FS, seed: 4, hrMeanBpm: 75 }).next(steps * STEP).mv;
  try {
    t.true(await waitUntil(() => opened.length === 1 && opened[0].isOpen, 5000), 'the mock port opened');
    const enc = new OursEncoder({ settings: { fsHz: FS, gain: [6, 6], vrefV: 2.42 }, samplesPerFrame: 10 });
    const random = mulberry32(5);
    for (let k = 0; k < steps; k++) {
      const frames = [...(k % 10 === 0 ? [enc.info()] : []), ...enc.push(second.subarray(k * STEP, (k + 1) * STEP), primary.subarray(k * STEP, (k + 1) * STEP))];
      const bytes = Buffer.concat(frames);
      elapsedMs += STEP_MS;
      opened[0].emitData(garbled(k) ? Buffer.from(Array.from({ length: bytes.length }, () => Math.floor(random() * 256))) : bytes);
      await new Promise((r) => setTimeout(r, 30));
    }
  } finally {
    sub.unsubscribe();
  }
  let n = 0;
  let gaps = 0;
  let checked = 0;
  for (const c of chunks) {
    t.is(c.start, n, 'contiguous sample indices');
    t.is(c.mv2?.length, c.mv.length, `chunk at ${c.start}: the second lead is as long as the first`);
    for (let i = 0; i < c.mv.length; i++) {
      const gap1 = ((c.flags?.[i] ?? 0) & SampleFlag.GAP) !== 0;
      const gap2 = ((c.flags2?.[i] ?? 0) & SampleFlag.GAP) !== 0;
      t.is(gap1, gap2, `sample ${n + i}: GAP on both leads or on neither`);
      if (gap1) { gaps++; continue; }
      if (n + i < 15 * STEP) {
        // Before the garbled stretch the indices are the device's own: compare with what was sent.
        if (Math.abs(c.mv[i] - primary[n + i]) > 1e-3 || Math.abs(c.mv2![i] - second[n + i]) > 1e-3) t.fail(`sample ${n + i} differs from the sent one`);
        checked++;
      }
    }
    n += c.mv.length;
  }
  t.is(checked, 15 * STEP, 'every sample before the garbled stretch checked on both leads');
  t.true(gaps >= 14 * STEP, `${gaps} placeholder samples for 1.5 s of garbage`);
});
