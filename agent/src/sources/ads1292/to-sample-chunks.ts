/**
 * Adapter from decoder events to the pipeline's SampleChunk, for one channel.
 *
 * A gap becomes `samples` placeholder samples flagged GAP, holding the last
 * good value (signal.ts: so filters do not ring), so that the sample index, the
 * pipeline's clock, stays equal to elapsed device time. A reset (sequence went
 * backwards, loss unknown) and device-info produce nothing: the clock continues.
 * Limits: a gap is materialised whole; the decoders bound it (ours: < 32768).
 */
import { defer, filter, map, mergeMap, type OperatorFunction } from 'rxjs';
import { SampleFlag, type SampleChunk } from '../../signal.ts';
import type { DecoderEvent, FrameDecoder } from './types.ts';

export class SampleChunkAdapter {
  /** Last good value of the channel, mV (placeholder for gaps). */
  private lastMv = 0;

  /** @param channel index into SampleBlock.mv (ours: 0 = ch1, 1 = ch2; OpenView: 0 = ECG). */
  constructor(private readonly channel = 0) {
    if (!Number.isInteger(channel) || channel < 0) {
      throw new RangeError(`sample chunk adapter: "channel" is ${channel}; allowed: 0, 1`);
    }
  }

  /** The chunk for one event, or null for events that carry no samples. */
  push(ev: DecoderEvent, wallMs?: number): SampleChunk | null {
    if (ev.kind === 'gap') {
      const mv = new Float32Array(ev.samples).fill(this.lastMv);
      const flags = new Uint8Array(ev.samples).fill(SampleFlag.GAP);
      return { start: ev.start, fs: ev.fs, mv, flags, wallMs };
    }
    if (ev.kind !== 'samples') return null;
    const mv = ev.mv[this.channel];
    const flags = ev.flags[this.channel];
    if (!mv) {
      throw new RangeError(`sample chunk adapter: "channel" ${this.channel} is not in the stream (it has ${ev.mv.length})`);
    }
    if (mv.length > 0) this.lastMv = mv[mv.length - 1];
    return flags.some((f) => f !== 0) ? { start: ev.start, fs: ev.fs, mv, flags, wallMs } : { start: ev.start, fs: ev.fs, mv, wallMs };
  }
}

/** RxJS: bytes -> decoder events. */
export function decodeFrames(decoder: FrameDecoder): OperatorFunction<Uint8Array, DecoderEvent> {
  return (source) => source.pipe(mergeMap((bytes) => decoder.push(bytes)));
}

/**
 * RxJS: decoder events -> SampleChunks of one channel, gaps as GAP-flagged
 * placeholders; wallMs is the time the chunk was decoded. State per subscription.
 */
export function toSampleChunks(channel = 0): OperatorFunction<DecoderEvent, SampleChunk> {
  return (source) => defer(() => {
    const adapter = new SampleChunkAdapter(channel);
    return source.pipe(map((ev) => adapter.push(ev, Date.now())), filter((c): c is SampleChunk => c !== null));
  });
}
