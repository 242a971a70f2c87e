/**
 * Operator: signal quality (dsp/signal-quality.ts) without holding samples back.
 *
 * Each sample is released as soon as it arrives, with its source flags
 * (lead-off, saturated, GAP: exact, known at once) and the judged FLAT/NOISY
 * bits of the verdict in force: that of the last complete block, i.e. over the
 * `windowS` (2 s) of signal ending at the last block boundary at or before the
 * sample. So a beat is judged on signal up to its own window's end, at most one
 * block (`blockS`, 0.25 s here) earlier, and is released the moment its window
 * is complete instead of waiting up to a whole block for a verdict on samples
 * after it (issue 5's latency). The price: judged FLAT/NOISY reaches a sample
 * up to one block later than a same-block verdict would (the 2-s window already
 * smooths over more than that), and no verdict applies before 1 s of signal.
 * A block's bad-signal spans (runs of blocks with the same worst reason over the
 * flags released, good stretches under 1 s included) ride on a piece of the
 * input chunk that ends with the block, after its samples, so the pipeline's
 * output is identical whatever the chunking; other chunks pass whole.
 */
import type { OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../signal.ts';
import { QualityFlag, SignalQuality, worstReason, type BadSignalReason, type QualityBlock, type SignalQualityOptions } from '../dsp/signal-quality.ts';
import type { QualityChunk } from './chunks.ts';
import { statefulOperator } from './stateful.ts';

/** Verdict step, s: a judged flag is at most this stale. Spans have this granularity. */
export const QUALITY_BLOCK_S = 0.25;
/** No judged verdict before this much signal, s: kurtosis over a fraction of a beat means nothing. */
const FIRST_VERDICT_S = 1;
/**
 * Good signal needed to end a span, s: a shorter good stretch inside bad signal
 * stays in the span (its samples keep their own flags), so a verdict that
 * flickers block by block gives one poor-signal episode, not one per block.
 */
const GOOD_HOLD_S = 1;

const JUDGED = QualityFlag.FLAT | QualityFlag.NOISY;

export function assessQuality(options: Omit<SignalQualityOptions, 'fs'> = {}): OperatorFunction<SampleChunk, QualityChunk> {
  return statefulOperator<SampleChunk, QualityChunk>(() => {
    let quality: SignalQuality | null = null;
    let fs = 0;
    /** Block length and first verdict, samples; the stream's first sample index (blocks count from it). */
    let block = 0;
    let firstVerdict = 0;
    let goodHold = 0;
    let origin = 0;
    /** Next sample index expected. */
    let n = 0;
    /** Judged bits in force (verdict of the last complete block). */
    let judged = 0;
    /** OR of the flags released in the block being filled. */
    let blockFlags = 0;
    /** Span in progress: reason, start sample; null when the signal is good. */
    let spanReason: BadSignalReason | null = null;
    let spanStart = 0;
    /** Within a span: first sample of the good blocks since its last bad one; null when the last block was bad. */
    let goodSince: number | null = null;

    /** Span changes at the end of the block [blockStart, n). A span ends after GOOD_HOLD_S of good blocks, at the first of them. */
    const closeBlock = (blockStart: number): QualityChunk['spans'] => {
      const spans: QualityChunk['spans'] = [];
      const reason = worstReason(blockFlags);
      blockFlags = 0;
      if (reason === null) {
        if (spanReason === null) return spans;
        goodSince ??= blockStart;
        if (n - goodSince >= goodHold) {
          spans.push({ kind: 'bad-signal', start: spanStart, end: goodSince, fs, reason: spanReason });
          spanReason = null;
          goodSince = null;
        }
        return spans;
      }
      if (reason !== spanReason) {
        if (spanReason !== null) spans.push({ kind: 'bad-signal', start: spanStart, end: goodSince ?? blockStart, fs, reason: spanReason });
        spans.push({ kind: 'bad-signal-start', start: blockStart, fs, reason });
        spanReason = reason;
        spanStart = blockStart;
      }
      goodSince = null;
      return spans;
    };
    /**
     * Samples [from, to) of the chunk (the second lead's too); the first piece
     * carries the chunk's own wall time (later stages extrapolate from it: one rounding).
     */
    const piece = (chunk: SampleChunk, from: number, to: number, flags: Uint8Array, spans: QualityChunk['spans']): QualityChunk => {
      const c: QualityChunk = { start: chunk.start + from, fs, mv: chunk.mv.subarray(from, to), flags: flags.subarray(from, to), spans };
      if (from === 0 && chunk.wallMs !== undefined) c.wallMs = chunk.wallMs;
      if (chunk.mv2 !== undefined) {
        if (chunk.mv2.length !== chunk.mv.length) {
          throw new RangeError(`signal quality: chunk at sample ${chunk.start} has ${chunk.mv2.length} samples of the second lead, ${chunk.mv.length} of the first`);
        }
        c.mv2 = chunk.mv2.subarray(from, to);
        if (chunk.flags2 !== undefined) c.flags2 = chunk.flags2.subarray(from, to);
      }
      return c;
    };

    return {
      next: (chunk) => {
        if (quality === null) {
          fs = chunk.fs;
          const o = { blockS: QUALITY_BLOCK_S, ...options, fs };
          quality = new SignalQuality(o);
          block = Math.round(o.blockS * fs);
          firstVerdict = Math.round(FIRST_VERDICT_S * fs);
          goodHold = Math.round(GOOD_HOLD_S * fs);
          origin = chunk.start;
          n = chunk.start;
        }
        const out: QualityChunk[] = [];
        const len = chunk.mv.length;
        const flags = new Uint8Array(len);
        /** Chunk offset where the next output piece begins. */
        let from = 0;
        for (let i = 0; i < len;) {
          const blockStart = origin + Math.floor((n - origin) / block) * block;
          const take = Math.min(len - i, blockStart + block - n);
          const source = chunk.flags?.subarray(i, i + take);
          for (let j = 0; j < take; j++) {
            const f = (source ? source[j] : 0) | judged;
            flags[i + j] = f;
            blockFlags |= f;
          }
          const done: QualityBlock[] = quality.process(chunk.mv.subarray(i, i + take), source);
          n += take;
          i += take;
          if (done.length === 0) continue;
          const last = done[done.length - 1];
          judged = last.flags.length > 0 && n - origin >= firstVerdict ? last.flags[0] & JUDGED : 0;
          const spans = closeBlock(blockStart);
          // A piece ends where spans change, so they follow exactly the samples before them.
          if (spans.length > 0) {
            out.push(piece(chunk, from, i, flags, spans));
            from = i;
          }
        }
        if (from < len) out.push(piece(chunk, from, len, flags, []));
        return out;
      },
      flush: () => {
        if (quality === null) return [];
        const blockStart = origin + Math.floor((n - origin) / block) * block;
        const spans = n > blockStart ? closeBlock(blockStart) : [];
        if (spanReason !== null) {
          spans.push({ kind: 'bad-signal', start: spanStart, end: goodSince ?? n, fs, reason: spanReason });
          spanReason = null;
        }
        return [{ start: n, fs, mv: new Float32Array(0), flags: new Uint8Array(0), spans }];
      },
    };
  });
}
