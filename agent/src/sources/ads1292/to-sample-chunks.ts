/**
 * Adapter from decoder events to the pipeline's SampleChunk, for one channel
 * (and optionally a second ECG channel, carried as SampleChunk.mv2/flags2).
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
  /** Last good value of the channel(s), mV (placeholder for gaps). */
  private lastMv = 0;
  private lastMv2 = 0;

  /**
   * @param channel index into SampleBlock.mv (ours: 0 = ch1, 1 = ch2; OpenView: 0 = ECG).
   * @param channel2 index of a second ECG channel, or null for none.
   */
  constructor(private readonly channel = 0, private readonly channel2: number | null = null) {
    for (const [name, c] of [['channel', channel], ['channel2', channel2 ?? 0]] as const) {
      if (!Number.isInteger(c) || c < 0) throw new RangeError(`sample chunk adapter: "${name}" is ${c}; allowed: 0, 1`);
    }
    if (channel2 === channel) throw new RangeError(`sample chunk adapter: "channel2" is the same channel as "channel" (${channel})`);
  }

  /** The chunk for one event, or null for events that carry no samples. */
  push(ev: DecoderEvent, wallMs?: number): SampleChunk | null {
    if (ev.kind === 'gap') {
      const mv = new Float32Array(ev.samples).fill(this.lastMv);
      const flags = new Uint8Array(ev.samples).fill(SampleFlag.GAP);
      const c: SampleChunk = { start: ev.start, fs: ev.fs, mv, flags, wallMs };
      if (this.channel2 !== null) { c.mv2 = new Float32Array(ev.samples).fill(this.lastMv2); c.flags2 = flags.slice(); }
      return c;
    }
    if (ev.kind !== 'samples') return null;
    const mv = ev.mv[this.channel];
    const flags = ev.flags[this.channel];
    for (const [name, c] of [['channel', this.channel], ['channel2', this.channel2 ?? this.channel]] as const) {
      if (!ev.mv[c]) throw new RangeError(`sample chunk adapter: "${name}" ${c} is not in the stream (it has ${ev.mv.length})`);
    }
    if (mv.length > 0) this.lastMv = mv[mv.length - 1];
    const c: SampleChunk = flags.some((f) => f !== 0) ? { start: ev.start, fs: ev.fs, mv, flags, wallMs } : { start: ev.start, fs: ev.fs, mv, wallMs };
    if (this.channel2 !== null) {
      const mv2 = ev.mv[this.channel2];
      const flags2 = ev.flags[this.channel2];
      if (mv2.length > 0) this.lastMv2 = mv2[mv2.length - 1];
      c.mv2 = mv2;
      if (flags2.some((f) => f !== 0)) c.flags2 = flags2;
    }
    return c;
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
