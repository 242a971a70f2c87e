import test from 'ava';
import { readFile } from 'node:fs/promises';
import { SampleFlag } from '../../../agent/src/signal.ts';
import {
  readFrames, readSignal, readSignalAdc, readSignalsAdc, readWholeSignal, SUPPORTED_FORMATS, WfdbError, type AdcChunk, type ReadSignalOptions,
} from '../../../agent/src/sources/wfdb/index.ts';
import { encodeSamples, interleave, syntheticAdc, tempDir, type TempDir } from './fixtures.ts';

const BITS: Record<number, number> = { 16: 16, 61: 16, 80: 8, 160: 16, 24: 24, 32: 32, 212: 12, 310: 10, 311: 10 };
const INVALID: Record<number, number> = { 16: -32768, 61: -32768, 80: -128, 160: -32768, 24: -(2 ** 23), 32: -(2 ** 31), 212: -2048, 310: -512, 311: -512 };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const c of it) out.push(c);
  return out;
}

function adcOf(chunks: AdcChunk[]): number[] {
  return chunks.flatMap((c) => [...c.adc]);
}

/** Writes a two-signal record `name` (one .dat) and returns its record path. */
async function writeRecord(tmp: TempDir, name: string, format: number, signals: number[][], extra = ''): Promise<string> {
  const n = signals[0].length;
  const lines = [`${name} ${signals.length} 360 ${n}`];
  signals.forEach((s, i) => lines.push(`${name}.dat ${format} 100(${i * 3})/mV ${BITS[format]} 0 ${s[0]} 0 0 sig${i}`));
  await tmp.write(`${name}.hea`, lines.join('\n') + '\n' + extra);
  await tmp.write(`${name}.dat`, encodeSamples(format, interleave(signals)));
  return `${tmp.dir}/${name}`;
}

test('every supported format decodes what its encoder wrote, invalid codes flagged GAP', async (t) => {
  t.deepEqual([...SUPPORTED_FORMATS], [16, 24, 32, 61, 80, 160, 212, 310, 311]);
  const tmp = await tempDir();
  try {
    for (const format of SUPPORTED_FORMATS) {
      // 301 frames x 2 signals: odd totals exercise 212's and 310/311's partial last group.
      const s0 = syntheticAdc(301, BITS[format], 1);
      const s1 = syntheticAdc(301, BITS[format], 2);
      s1[5] = INVALID[format];
      s0[300] = INVALID[format];
      const rec = await writeRecord(tmp, `f${format}`, format, [s0, s1]);
      for (const [i, expected] of [s0, s1].entries()) {
        const chunks = await collect(readSignalAdc(rec, { signal: i, chunkSamples: 64, blockBytes: 7 }));
        t.deepEqual(adcOf(chunks), expected, `format ${format} signal ${i}`);
        const gaps = chunks.flatMap((c, k) => [...(c.flags ?? new Uint8Array(c.adc.length))].map((f, j) => [k * 64 + j, f]))
          .filter(([, f]) => f !== 0);
        t.deepEqual(gaps, [[i === 0 ? 300 : 5, SampleFlag.GAP]], `format ${format} signal ${i} gaps`);
      }
    }
  } finally {
    await tmp.remove();
  }
});

test('readSignal gives (adc - baseline) / gain in mV and holds the last good value over a gap', async (t) => {
  const tmp = await tempDir();
  try {
    const s0 = [100, 103, -2048, -2048, 53, 0];
    const rec = await writeRecord(tmp, 'mv', 212, [s0, s0.map(() => 7)]);
    const [chunk] = await collect(readSignal(rec, { signal: 'sig1' }));
    t.deepEqual([...chunk.mv], [7, 7, 7, 7, 7, 7].map((v) => Math.fround((v - 3) / 100)));
    t.is(chunk.flags, undefined);
    const [c0] = await collect(readSignal(rec, { signal: 0 }));
    t.deepEqual([...c0.mv], [1, 1.03, 1.03, 1.03, 0.53, 0].map(Math.fround));
    t.deepEqual([...c0.flags!], [0, 0, SampleFlag.GAP, SampleFlag.GAP, 0, 0]);
    t.like(c0, { start: 0, fs: 360 });
  } finally {
    await tmp.remove();
  }
});

test('chunk sizes 1, 7, 360 and 100000 and any block size give identical samples and starts', async (t) => {
  const tmp = await tempDir();
  try {
    const n = 2001;
    const rec = await writeRecord(tmp, 'chunks', 212, [syntheticAdc(n, 12, 3), syntheticAdc(n, 12, 4)]);
    const reference = adcOf(await collect(readSignalAdc(rec, { signal: 1, chunkSamples: n })));
    t.is(reference.length, n);
    for (const chunkSamples of [1, 7, 360, 100000]) {
      for (const blockBytes of [1, 5, 65536]) {
        const chunks = await collect(readSignalAdc(rec, { signal: 1, chunkSamples, blockBytes }));
        t.deepEqual(adcOf(chunks), reference, `chunkSamples ${chunkSamples} blockBytes ${blockBytes}`);
        let start = 0;
        for (const c of chunks) {
          t.is(c.start, start);
          t.true(c.adc.length === chunkSamples || c === chunks.at(-1));
          start += c.adc.length;
        }
      }
    }
  } finally {
    await tmp.remove();
  }
});

test('from/to read the same samples as slicing the whole signal, from any group alignment', async (t) => {
  const tmp = await tempDir();
  try {
    for (const format of [212, 310, 311, 16]) {
      const n = 97;
      const sigs = [syntheticAdc(n, BITS[format], 5), syntheticAdc(n, BITS[format], 6)];
      const rec = await writeRecord(tmp, `r${format}`, format, sigs);
      for (const [from, to] of [[0, 97], [1, 2], [3, 50], [4, 97], [96, 97], [10, 10]]) {
        for (const signal of [0, 1]) {
          const chunks = await collect(readSignalAdc(rec, { signal, from, to, chunkSamples: 8 }));
          t.deepEqual(adcOf(chunks), sigs[signal].slice(from, to), `format ${format} ${from}..${to} signal ${signal}`);
          if (chunks.length > 0) t.is(chunks[0].start, from);
        }
      }
    }
  } finally {
    await tmp.remove();
  }
});

test('samples per frame, skew, byte offset and separate files are honoured', async (t) => {
  const tmp = await tempDir();
  try {
    const frames = 40;
    const fast = syntheticAdc(frames * 2, 16, 7); // 2 samples per frame
    const slow = syntheticAdc(frames + 2, 16, 8); // stored 2 frames late (skew 2)
    const other = syntheticAdc(frames, 12, 9); // in its own 212 file
    const header = [
      `mix 3 250 ${frames}`,
      `mix.dat 16x2+6 200 16 0 ${fast[0]} 0 0 fast`,
      `mix.dat 16:2+6 200 16 0 ${slow[2]} 0 0 slow`,
      `mix2.dat 212 200 12 0 ${other[0]} 0 0 other`,
    ];
    await tmp.write('mix.hea', header.join('\n'));
    const dat = encodeSamples(16, interleave([fast, slow.slice(0, frames)], [2, 1]));
    await tmp.write('mix.dat', Uint8Array.from([1, 2, 3, 4, 5, 6, ...dat])); // 6 bytes of prefix
    await tmp.write('mix2.dat', encodeSamples(212, other));
    const rec = `${tmp.dir}/mix`;
    const fastChunks = await collect(readSignalAdc(rec, { signal: 'fast' }));
    t.deepEqual(adcOf(fastChunks), fast);
    t.is(fastChunks[0].fs, 500);
    t.deepEqual(adcOf(await collect(readSignalAdc(rec, { signal: 'other' }))), other);
    // Skew 2: sample t is stored in frame t + 2, so the last 2 samples lie past the file: gaps.
    const slowChunks = await collect(readSignalAdc(rec, { signal: 'slow' }));
    t.deepEqual(adcOf(slowChunks), [...slow.slice(2, frames), -32768, -32768]);
    t.deepEqual([...slowChunks[0].flags!].slice(-3), [0, SampleFlag.GAP, SampleFlag.GAP]);

    const frameChunks = await collect(readFrames(rec, { chunkFrames: 16 }));
    t.deepEqual(frameChunks.map((c) => [c.start, c.frames]), [[0, 16], [16, 16], [32, 8]]);
    t.deepEqual(frameChunks.flatMap((c) => [...c.signals[0].adc]), fast);
    t.deepEqual(frameChunks.flatMap((c) => [...c.signals[2].adc]), other);
  } finally {
    await tmp.remove();
  }
});

test('without a sample count in the header, a signal is read to the end of the file', async (t) => {
  const tmp = await tempDir();
  try {
    const s = syntheticAdc(33, 16, 10);
    await tmp.write('open.hea', 'open 1 128\nopen.dat 16\n');
    await tmp.write('open.dat', Uint8Array.from([...encodeSamples(16, s), 0x55])); // a stray odd byte is ignored
    const chunks = await collect(readSignalAdc(`${tmp.dir}/open`, { chunkSamples: 10 }));
    t.deepEqual(adcOf(chunks), s);
    t.is(chunks[0].fs, 128);
  } finally {
    await tmp.remove();
  }
});

test('a truncated .dat names the file, where the data ended and what the header expects', async (t) => {
  const tmp = await tempDir();
  try {
    const rec = await writeRecord(tmp, 'trunc', 212, [syntheticAdc(1000, 12, 11), syntheticAdc(1000, 12, 12)]);
    await tmp.write('trunc.dat', encodeSamples(212, interleave([syntheticAdc(700, 12, 11), syntheticAdc(700, 12, 12)])).subarray(0, 2000));
    const err = await t.throwsAsync(collect(readSignalAdc(rec, { signal: 1 })), { instanceOf: WfdbError });
    t.is(err!.message,
      `${tmp.dir}/trunc.dat: data ends at byte 2000, after 666 complete samples per signal, `
      + `but ${tmp.dir}/trunc.hea says 1000 samples per signal (3000 bytes)`);
    t.is(err!.file, `${tmp.dir}/trunc.dat`);
  } finally {
    await tmp.remove();
  }
});

test('an unknown format names the format and the supported ones; bad options name the option', async (t) => {
  const tmp = await tempDir();
  try {
    await tmp.write('odd.hea', 'odd 2 360 10\nodd.dat 16\nodd.dat 16 200 12 0 0 0 0 weird\n');
    await tmp.write('odd.dat', new Uint8Array(40));
    await tmp.write('fmt.hea', 'fmt 1 360 10\nfmt.dat 999 200 12 0 0 0 0 ECG\n');
    const err = await t.throwsAsync(collect(readSignal(`${tmp.dir}/fmt`)), { instanceOf: WfdbError });
    t.is(err!.message, `${tmp.dir}/fmt.hea line 2: signal 0 (ECG) has format 999, which is not supported `
      + '(supported formats: 16, 24, 32, 61, 80, 160, 212, 310, 311)');
    const bad: [ReadSignalOptions, RegExp][] = [
      [{ chunkSamples: 0 }, /option chunkSamples must be a positive integer, got 0/],
      [{ from: 5, to: 2 }, /bad sample range from 5 to 2/],
      [{ to: 11 }, /sample range ends at 11, past the record's end \(.*odd\.hea: 10 samples\)/],
      [{ signal: 'MLII' }, /no signal named "MLII"; the record has 0: \(no description\), 1: weird/],
    ];
    for (const [options, message] of bad) {
      t.regex((await t.throwsAsync(collect(readSignalAdc(`${tmp.dir}/odd`, options))))!.message, message);
    }
    const missing = await t.throwsAsync(collect(readSignal(`${tmp.dir}/nothere`)), { instanceOf: WfdbError });
    t.regex(missing!.message, /nothere\.hea: cannot read the header/);
  } finally {
    await tmp.remove();
  }
});

test('readWholeSignal joins the chunks of a stretch; wallMs follows the header\'s base time', async (t) => {
  const tmp = await tempDir();
  try {
    const s0 = syntheticAdc(1000, 12, 13);
    s0[600] = -2048;
    const rec = await writeRecord(tmp, 'whole', 212, [s0, syntheticAdc(1000, 12, 14)]);
    const streamed = await collect(readSignal(rec, { from: 100, to: 900, chunkSamples: 64 }));
    const whole = await readWholeSignal(rec, { from: 100, to: 900 });
    t.like(whole, { start: 100, fs: 360, wallMs: undefined });
    t.deepEqual([...whole.mv], streamed.flatMap((c) => [...c.mv]));
    t.deepEqual([...whole.flags!].flatMap((f, i) => (f ? [i + 100] : [])), [600]);

    const header = await readFile(`${rec}.hea`, 'utf8');
    await tmp.write('whole.hea', header.replace('whole 2 360 1000', 'whole 2 360 1000 10:00:00 02/01/2020'));
    const timed = await collect(readSignal(rec, { from: 720, to: 1000, chunkSamples: 180 }));
    const t0 = Date.UTC(2020, 0, 2, 10);
    t.deepEqual(timed.map((c) => c.wallMs), [t0 + 2000, t0 + 2500]);
  } finally {
    await tmp.remove();
  }
});

test('readSignalsAdc reads several signals in one pass exactly as readSignalAdc reads each, chunk for chunk', async (t) => {
  const tmp = await tempDir();
  try {
    for (const format of SUPPORTED_FORMATS) {
      const n = 203;
      const sigs = [syntheticAdc(n, BITS[format], 11), syntheticAdc(n, BITS[format], 12), syntheticAdc(n, BITS[format], 13)];
      sigs[2][7] = INVALID[format];
      sigs[0][202] = INVALID[format];
      const rec = await writeRecord(tmp, `m${format}`, format, sigs);
      for (const indexes of [[0, 1, 2], [2, 0], [1]]) {
        for (const [from, to] of [[0, 203], [5, 120], [202, 203]]) {
          const options = { from, to, chunkSamples: 16, blockBytes: 7 };
          const steps = await collect(readSignalsAdc(rec, indexes, options));
          for (const [k, signal] of indexes.entries()) {
            const alone = await collect(readSignalAdc(rec, { ...options, signal }));
            t.deepEqual(steps.map((s) => s[k]), alone, `format ${format} signals ${indexes.join(',')} ${from}..${to}: signal ${signal}`);
          }
        }
      }
    }
  } finally {
    await tmp.remove();
  }
});
