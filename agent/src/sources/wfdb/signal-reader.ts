/**
 * Streaming reader of one WFDB signal: ADC values or millivolts, in chunks.
 *
 * Reference: PhysioNet "signal(5)" and "header(5)"; the WFDB library's
 * getframe/isigsettime (lib/signal.c) for skew and seeking. The data file is
 * read in blocks (64 KiB by default) and decoded block by block, so a record is
 * never held in memory: only one block and one output chunk are alive at once.
 *
 * Invalid samples (the format's VFILL code: -2048 in 212, -32768 in 16) are
 * flagged SampleFlag.GAP; in millivolt chunks their value is the last good
 * value (0 mV before the first), as SampleFlag.GAP asks.
 *
 * Limits: one signal per pass, or several of one file with the same rate and
 * skew (readSignalsAdc; readFrames reads each signal's file once per signal);
 * formats as in formats.ts; single-segment records only.
 */
import { open, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SampleChunk } from '../../signal.ts';
import { ChunkBuilder, type AdcChunk } from './adc-chunk.ts';
import { WfdbError } from './errors.ts';
import { bytesForSamples, sampleFormat, samplesInBytes, SUPPORTED_FORMATS, type SampleFormat } from './formats.ts';
import { baseWallMs, findSignal, readHeader, type WfdbHeader, type WfdbSignalSpec } from './header.ts';

export interface ReadSignalOptions {
  /**
   * The signal: by description ('MLII'), 0-based index, or descriptions tried
   * in order (MITDB_PRIMARY_LEAD: MLII, else V5). Default 0.
   */
  signal?: string | number | readonly string[];
  /** Samples per chunk (the last chunk may be shorter). Default 4096. */
  chunkSamples?: number;
  /** First frame to read (= first sample when samplesPerFrame is 1). Default 0. */
  from?: number;
  /** Frame to stop before. Default: the header's sample count, or end of file. */
  to?: number;
  /** Bytes read from the data file at a time. Default 65536. */
  blockBytes?: number;
  /** The record's header, if already read (saves parsing it again). */
  header?: WfdbHeader;
}

const DEFAULT_CHUNK_SAMPLES = 4096;
const DEFAULT_BLOCK_BYTES = 65536;

function positiveInteger(name: string, value: number, file: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new WfdbError(file, `option ${name} must be a positive integer, got ${value}`);
  }
  return value;
}

/** The format of `spec`, or an error naming the format and the supported ones. */
export function formatOf(header: WfdbHeader, spec: WfdbSignalSpec): SampleFormat {
  const format = sampleFormat(spec.format);
  if (format === undefined) {
    throw new WfdbError(header.headerPath,
      `${header.headerPath} line ${spec.line}: signal ${spec.index} (${spec.description || spec.fileName}) has format ${spec.format}, `
      + `which is not supported (supported formats: ${SUPPORTED_FORMATS.join(', ')})`);
  }
  return format;
}

/** Where one signal lives inside its data file. */
interface Layout {
  datPath: string;
  format: SampleFormat;
  /** Samples of all signals of the file in one frame. */
  frameSamples: number;
  /** Position of this signal's first sample within a frame. */
  offsetInFrame: number;
  spec: WfdbSignalSpec;
}

function layoutOf(recordPath: string, header: WfdbHeader, index: number): Layout {
  const spec = header.signals[index];
  const format = formatOf(header, spec);
  const inFile = header.signals.filter((s) => s.fileName === spec.fileName);
  for (const s of inFile) {
    if (s.format !== spec.format || s.byteOffset !== spec.byteOffset) {
      throw new WfdbError(header.headerPath,
        `${header.headerPath} line ${s.line}: signals in one data file (${spec.fileName}) must share format and byte offset `
        + `(line ${spec.line} has ${spec.format}+${spec.byteOffset}, line ${s.line} has ${s.format}+${s.byteOffset})`);
    }
  }
  let offsetInFrame = 0;
  for (const s of inFile) {
    if (s.index === index) break;
    offsetInFrame += s.samplesPerFrame;
  }
  return {
    datPath: join(dirname(recordPath), spec.fileName),
    format,
    frameSamples: inFile.reduce((n, s) => n + s.samplesPerFrame, 0),
    offsetInFrame,
    spec,
  };
}

function truncated(header: WfdbHeader, layout: Layout, endByte: number, expectedFrames: number): WfdbError {
  const dataBytes = Math.max(0, endByte - layout.spec.byteOffset);
  const frames = Math.floor(samplesInBytes(layout.format, dataBytes) / layout.frameSamples);
  const needed = layout.spec.byteOffset + bytesForSamples(layout.format, expectedFrames * layout.frameSamples);
  const why = header.nsamp !== undefined
    ? `${header.headerPath} says ${header.nsamp} samples per signal`
    : `the requested range needs ${expectedFrames}`;
  return new WfdbError(layout.datPath,
    `${layout.datPath}: data ends at byte ${endByte}, after ${frames} complete samples per signal, but ${why} (${needed} bytes)`);
}

/**
 * Streams the raw ADC values of one signal of the record at `recordPath`
 * (the path without extension: '/data/mitdb/100').
 */
export async function* readSignalAdc(recordPath: string, options: ReadSignalOptions = {}): AsyncGenerator<AdcChunk> {
  const header = options.header ?? await readHeader(recordPath);
  const index = findSignal(header, options.signal ?? 0);
  for await (const [c] of readSignalsAdc(recordPath, [index], { ...options, header })) yield c;
}

/**
 * Whether `readSignalsAdc` can read these signals in one pass: the same data
 * file, samples per frame and skew (so their chunks cover the same samples).
 */
export function readableTogether(header: WfdbHeader, indexes: readonly number[]): boolean {
  const first = header.signals[indexes[0]];
  return indexes.every((i) => {
    const s = header.signals[i];
    return s.fileName === first.fileName && s.samplesPerFrame === first.samplesPerFrame && s.skew === first.skew;
  });
}

/**
 * Streams the raw ADC values of several signals of one data file in one pass
 * (the file read and decoded once): per step, one chunk per signal, in the
 * order of `indexes`, all covering the same samples. The signals must be
 * `readableTogether`; `options.signal` is ignored.
 */
export async function* readSignalsAdc(recordPath: string, indexes: readonly number[],
  options: Omit<ReadSignalOptions, 'signal'> = {}): AsyncGenerator<AdcChunk[]> {
  const header = options.header ?? await readHeader(recordPath);
  const layouts = indexes.map((i) => layoutOf(recordPath, header, i));
  const layout = layouts[0];
  const { format, frameSamples, spec, datPath } = layout;
  if (!readableTogether(header, indexes)) {
    throw new WfdbError(header.headerPath, `${header.headerPath}: signals ${indexes.join(', ')} differ in data file, samples per frame or skew; read them one by one`);
  }
  const chunkSamples = positiveInteger('chunkSamples', options.chunkSamples ?? DEFAULT_CHUNK_SAMPLES, datPath);
  const blockBytes = positiveInteger('blockBytes', options.blockBytes ?? DEFAULT_BLOCK_BYTES, datPath);
  const from = options.from ?? 0;
  const to = options.to ?? header.nsamp ?? Infinity;
  if (!Number.isSafeInteger(from) || from < 0 || !(to === Infinity || Number.isSafeInteger(to)) || to < from) {
    throw new WfdbError(datPath, `bad sample range from ${from} to ${to}: expected integers with 0 <= from <= to`);
  }
  if (header.nsamp !== undefined && to > header.nsamp) {
    throw new WfdbError(datPath, `sample range ends at ${to}, past the record's end (${header.headerPath}: ${header.nsamp} samples)`);
  }
  const spf = spec.samplesPerFrame;
  const fs = header.fs * spf;

  // Frames stored in the file that this read needs; skew shifts them later.
  const firstStored = from + spec.skew;
  const endStored = to + spec.skew;
  // Frames the file must hold: all the header promises (checked up front, so a
  // truncated file fails before any work is done), or the range asked for when
  // the header gives no count. Skewed frames past nsamp may be absent (gaps).
  const mustHave = header.nsamp ?? (options.to === undefined ? 0 : endStored);

  let size: number;
  try {
    size = (await stat(datPath)).size;
  } catch (err) {
    throw new WfdbError(datPath, `${datPath}: cannot read the signal file (${(err as Error).message})`);
  }
  const needBytes = spec.byteOffset + bytesForSamples(format, mustHave * frameSamples);
  if (size < needBytes) throw truncated(header, layout, size, mustHave);

  // Start at the group holding the first needed sample, then drop what precedes it.
  const firstGroup = Math.floor((firstStored * frameSamples) / format.samplesPerGroup);
  let position = spec.byteOffset + firstGroup * format.bytesPerGroup;
  const firstFlat = firstGroup * format.samplesPerGroup;
  let frame = Math.floor(firstFlat / frameSamples); // stored frame of the next decoded sample
  let inFrame = firstFlat - frame * frameSamples; // its position within that frame

  const groupsPerBlock = Math.max(1, Math.floor(blockBytes / format.bytesPerGroup));
  const buffer = new Uint8Array(groupsPerBlock * format.bytesPerGroup);
  const decoded = new Int32Array(groupsPerBlock * format.samplesPerGroup);
  const outs = layouts.map(() => new ChunkBuilder(chunkSamples, from * spf, fs, (to - from) * spf, format.invalid));
  // Which of `outs` each position of a frame goes to; -1: a signal not read.
  const target = new Int32Array(frameSamples).fill(-1);
  layouts.forEach((l, k) => target.fill(k, l.offsetInFrame, l.offsetInFrame + spf));
  const ready: (AdcChunk | undefined)[] = layouts.map(() => undefined);
  let readyCount = 0;
  // A chunk of each signal completes within the same frame (same rate and skew).
  const collect = (k: number, full: AdcChunk | undefined): AdcChunk[] | undefined => {
    if (full === undefined) return undefined;
    ready[k] = full;
    if (++readyCount < outs.length) return undefined;
    readyCount = 0;
    const step = ready.slice() as AdcChunk[];
    ready.fill(undefined);
    return step;
  };

  const handle = await open(datPath, 'r');
  try {
    let carry = 0; // bytes of a partial group kept from the previous read
    let atEof = false;
    while (!atEof && frame < endStored) {
      const { bytesRead } = await handle.read(buffer, carry, buffer.length - carry, position);
      position += bytesRead;
      const available = carry + bytesRead;
      let groups = Math.floor(available / format.bytesPerGroup);
      let samples = groups * format.samplesPerGroup;
      if (bytesRead === 0) {
        atEof = true;
        // The WFDB writer may leave a partial last group (an odd 212 sample as 2 bytes).
        const padded = new Uint8Array(format.bytesPerGroup);
        padded.set(buffer.subarray(0, available));
        format.decode(padded, 0, 1, decoded, 0);
        samples = format.samplesInPartial(available);
        groups = 0;
      } else {
        format.decode(buffer, 0, groups, decoded, 0);
      }
      for (let i = 0; i < samples && frame < endStored; i++) {
        if (inFrame === 0 && spf === 1 && frame >= firstStored) {
          // Whole frames of one-sample-per-frame signals: each signal's run at once.
          const frames = Math.min(Math.floor((samples - i) / frameSamples), endStored - frame, outs[0].room);
          if (frames > 0) {
            for (let k = 0; k < outs.length; k++) {
              const step = collect(k, outs[k].pushStrided(decoded, i + layouts[k].offsetInFrame, frameSamples, frames));
              if (step !== undefined) yield step;
            }
            i += frames * frameSamples - 1;
            frame += frames;
            continue;
          }
        }
        const k = target[inFrame];
        if (k >= 0 && frame >= firstStored) {
          const step = collect(k, outs[k].push(decoded[i]));
          if (step !== undefined) yield step;
        }
        if (++inFrame === frameSamples) {
          inFrame = 0;
          frame++;
        }
      }
      const used = groups * format.bytesPerGroup;
      buffer.copyWithin(0, used, available);
      carry = available - used;
    }
    if (frame < endStored && to !== Infinity) {
      if (frame < Math.min(mustHave, endStored)) throw truncated(header, layout, position, mustHave);
      // Skewed samples past the end of the file read as invalid, as in WFDB.
      while (outs[0].remaining > 0) {
        for (let k = 0; k < outs.length; k++) {
          const step = collect(k, outs[k].push(format.invalid));
          if (step !== undefined) yield step;
        }
      }
    }
    const last = outs.map((o) => o.flush());
    if (last[0] !== undefined) yield last as AdcChunk[];
  } finally {
    await handle.close();
  }
}

/**
 * Streams one signal in millivolts (physical units): (adc - baseline) / gain.
 * Pick MIT-BIH leads by name: `readSignal(recordPath(dir, '114'), { signal: 'MLII' })`.
 * Chunks carry wallMs when the header gives a base time and date (taken as UTC).
 */
export async function* readSignal(recordPath: string, options: ReadSignalOptions = {}): AsyncGenerator<SampleChunk> {
  const header = options.header ?? await readHeader(recordPath);
  const spec = header.signals[findSignal(header, options.signal ?? 0)];
  const toMv = adcToMv(header, spec);
  for await (const c of readSignalAdc(recordPath, { ...options, header })) yield toMv(c);
}

/**
 * The converter of one signal's ADC chunks, in stream order, to millivolt
 * chunks: (adc - baseline) / gain, GAP samples holding the last good value.
 */
export function adcToMv(header: WfdbHeader, spec: WfdbSignalSpec): (c: AdcChunk) => SampleChunk {
  const { baseline, adcGain } = spec;
  const t0Ms = baseWallMs(header);
  let lastMv = 0; // value held over gaps, so filters downstream do not ring
  return (c) => {
    const mv = new Float32Array(c.adc.length);
    const adc = c.adc;
    const flags = c.flags;
    if (flags === undefined) {
      for (let i = 0; i < mv.length; i++) mv[i] = (adc[i] - baseline) / adcGain;
      if (mv.length > 0) lastMv = (adc[mv.length - 1] - baseline) / adcGain;
    } else {
      for (let i = 0; i < mv.length; i++) {
        if (flags[i] !== 0) mv[i] = lastMv;
        else mv[i] = lastMv = (adc[i] - baseline) / adcGain;
      }
    }
    const chunk: SampleChunk = { start: c.start, fs: c.fs, mv };
    if (flags !== undefined) chunk.flags = flags;
    if (t0Ms !== undefined) chunk.wallMs = t0Ms + (c.start / c.fs) * 1000;
    return chunk;
  };
}

/**
 * One signal (or a stretch of it, with from/to) as a single chunk, for offline
 * tools that want random access. Holds the whole stretch: 2.6 MB per MIT-BIH signal.
 */
export async function readWholeSignal(recordPath: string, options: Omit<ReadSignalOptions, 'chunkSamples'> = {}): Promise<SampleChunk> {
  const header = options.header ?? await readHeader(recordPath);
  const spec = header.signals[findSignal(header, options.signal ?? 0)];
  const from = (options.from ?? 0) * spec.samplesPerFrame;
  const parts: SampleChunk[] = [];
  let n = 0;
  for await (const c of readSignal(recordPath, { ...options, header, chunkSamples: 1 << 18 })) {
    parts.push(c);
    n += c.mv.length;
  }
  const mv = new Float32Array(n);
  const flags = parts.some((p) => p.flags !== undefined) ? new Uint8Array(n) : undefined;
  let at = 0;
  for (const p of parts) {
    mv.set(p.mv, at);
    if (p.flags !== undefined) flags!.set(p.flags, at);
    at += p.mv.length;
  }
  const whole: SampleChunk = { start: from, fs: header.fs * spec.samplesPerFrame, mv };
  if (flags !== undefined) whole.flags = flags;
  if (parts[0]?.wallMs !== undefined) whole.wallMs = parts[0].wallMs;
  return whole;
}
