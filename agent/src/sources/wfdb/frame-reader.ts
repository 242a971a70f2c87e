/**
 * Streams all signals of a record together, chunk by chunk, for consumers that
 * need frames (the simulator turns them into ADS1292 conversions).
 *
 * Built on readSignalAdc, one stream per signal advanced in lockstep: simple
 * and exact for any mix of files, skews and samples per frame, at the cost of
 * reading a shared data file once per signal (2 x 1.9 MB for an MIT-BIH record).
 */
import { WfdbError } from './errors.ts';
import { readHeader, type WfdbHeader } from './header.ts';
import type { AdcChunk } from './adc-chunk.ts';
import { readSignalAdc, type ReadSignalOptions } from './signal-reader.ts';

export interface ReadFramesOptions extends Omit<ReadSignalOptions, 'signal' | 'chunkSamples'> {
  /** Frames per chunk (the last chunk may be shorter). Default 4096. */
  chunkFrames?: number;
}

export interface FrameChunk {
  /** Frame index of the first frame. */
  start: number;
  /** Frame rate, Hz. */
  fs: number;
  /** Frames in this chunk. */
  frames: number;
  /** Per signal, in header order: frames x samplesPerFrame ADC values, with GAP flags if any. */
  signals: AdcChunk[];
}

export async function* readFrames(recordPath: string, options: ReadFramesOptions = {}): AsyncGenerator<FrameChunk> {
  const header: WfdbHeader = options.header ?? await readHeader(recordPath);
  const chunkFrames = options.chunkFrames ?? 4096;
  if (!Number.isSafeInteger(chunkFrames) || chunkFrames < 1) {
    throw new WfdbError(header.headerPath, `option chunkFrames must be a positive integer, got ${chunkFrames}`);
  }
  const streams = header.signals.map((s) => readSignalAdc(recordPath, {
    ...options, header, signal: s.index, chunkSamples: chunkFrames * s.samplesPerFrame,
  }));
  try {
    let start = options.from ?? 0;
    for (;;) {
      const results = await Promise.all(streams.map((s) => s.next()));
      if (results.every((r) => r.done)) return;
      const signals = results.map((r, i) => {
        if (r.done) throw new WfdbError(header.headerPath, `${header.headerPath}: signal ${i} ended before the others`);
        return r.value;
      });
      const frames = signals[0].adc.length / header.signals[0].samplesPerFrame;
      yield { start, fs: header.fs, frames, signals };
      start += frames;
    }
  } finally {
    await Promise.all(streams.map((s) => s.return(undefined)));
  }
}
