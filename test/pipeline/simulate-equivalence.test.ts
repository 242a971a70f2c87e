/**
 * Acceptance (issue 3): a record streamed through `arrhythminet simulate` as
 * 500 SPS frames of our format, decoded by the agent's codec, yields the same
 * detections as the pipeline over the WFDB file directly: every R peak within
 * one sample at 360 Hz, none missing, none extra. The simulator runs as a child
 * process writing a file (the real CLI path: resampling 360 -> 500 Hz, ADS1292
 * codes, frames, CRC); the file is decoded with OursDecoder -> decodeFrames ->
 * toSampleChunks -> beatPipeline (500 -> 360 Hz), as the live agent reads a port.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { from, lastValueFrom, toArray } from 'rxjs';
import { beatPipeline, type Beat, type PipelineRecord } from '../../agent/src/pipeline.ts';
import { decodeFrames, OursDecoder, toSampleChunks } from '../../agent/src/sources/ads1292/index.ts';
import { MITDB_PRIMARY_LEAD, readSignal } from '../../agent/src/sources/wfdb/index.ts';
import { mitdb, mitdbDir, repoRoot, testNeeding } from '../helpers/requires.ts';

const test = testNeeding(mitdb);
const run = promisify(execFile);
const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');
const SECONDS = 300;
const FS = 360;

const beatsOf = (out: PipelineRecord[]): number[] => out.filter((r): r is Beat => r.kind === 'beat').map((b) => b.index);

/** Pairs two increasing index lists within `tol` samples; the rest are missing (a only) or extra (b only). */
function pairUp(a: readonly number[], b: readonly number[], tol: number) {
  const offsets = new Map<number, number>();
  const missing: number[] = [];
  const extra: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j] - tol)) missing.push(a[i++]);
    else if (i >= a.length || b[j] < a[i] - tol) extra.push(b[j++]);
    else { const d = b[j++] - a[i++]; offsets.set(d, (offsets.get(d) ?? 0) + 1); }
  }
  return { offsets: [...offsets.entries()].sort((x, y) => x[0] - y[0]), missing, extra };
}

for (const record of ['100', '208']) {
  test(`MIT-BIH ${record}, ${SECONDS} s through simulate (ours, 500 SPS) and the decoder: the same beats as the file`, async (t) => {
    const path = join(mitdbDir, record);
    const dir = await mkdtemp(join(tmpdir(), 'sim-eq-'));
    try {
      const file = join(dir, `${record}.bin`);
      await run(process.execPath, [bin, 'simulate', '--record', path, '--format', 'ours', '--rate', '500',
        '--duration', String(SECONDS), '--out', file]);
      const bytes = await readFile(file);
      // The bytes arrive as a serial port gives them: in pieces that split frames.
      const pieces: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += 4093) pieces.push(bytes.subarray(i, i + 4093));
      // Deliberately not the simulator's settings: the device-info frame must set them.
      const decoder = new OursDecoder({ settings: { fsHz: 250, gain: [1, 1], vrefV: 4.033 } });
      const viaSerial = beatsOf(await lastValueFrom(from(pieces).pipe(
        decodeFrames(decoder), toSampleChunks(1), beatPipeline(), toArray())));
      const direct = beatsOf(await lastValueFrom(from(readSignal(path, {
        signal: MITDB_PRIMARY_LEAD, to: SECONDS * FS, chunkSamples: 8192,
      })).pipe(beatPipeline(), toArray())));

      t.is(decoder.counters.framesCorrupt + decoder.counters.framesLost + decoder.counters.gaps, 0);
      t.true(direct.length > 300);
      const within1 = pairUp(direct, viaSerial, 1);
      const wide = pairUp(direct, viaSerial, 54); // 150 ms, for the diagnosis only
      t.log(`${record}: ${direct.length} beats from the file, ${viaSerial.length} via simulate; `
        + `offset (samples at 360 Hz) x count: ${wide.offsets.map(([d, n]) => `${d}:${n}`).join(' ')}`);
      t.deepEqual(within1.missing, [], 'beats of the file not found within 1 sample via simulate');
      t.deepEqual(within1.extra, [], 'beats via simulate not within 1 sample of one from the file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
