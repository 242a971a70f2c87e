/**
 * The resynchronising byte framer both wire formats share: a buffer of pending
 * bytes, a search for the sync bytes, a length from the header, a verdict from
 * the codec. After anything wrong (garbage, a text banner, an impossible length,
 * a frame the codec rejects) it steps ONE byte past the failed sync and searches
 * again, so an intact frame that follows is never lost to a false sync.
 *
 * Modelled on node-serialport's parser-packet-length (packages/parser-packet-length/
 * lib/index.ts): little state, a buffer and a position.
 * Limits: the buffer never holds more than one maximal frame of pending bytes
 * plus the latest chunk; a partial frame older than the timeout is dropped whole.
 */
import type { DecoderCounters } from './types.ts';

export interface FrameShape {
  /** The bytes every frame starts with. */
  sync: readonly number[];
  /** Bytes from the frame start needed before `frameBytes` can be asked. */
  headerBytes: number;
  /** Total frame length in bytes from the header at buf[at], or 0 when the header is impossible. */
  frameBytes(buf: Uint8Array, at: number): number;
}

/** What the codec made of a complete candidate frame. */
export type Verdict = 'good' | 'corrupt' | 'ignored';

export class FrameScanner {
  /** Pending bytes not yet consumed: a partial frame, or a trailing part of the sync. */
  private buf = new Uint8Array(0);
  /** Clock time (ms) at which the pending bytes started waiting; null when none are pending. */
  private pendingSinceMs: number | null = null;

  constructor(
    private readonly shape: FrameShape,
    /** A partial frame waiting longer than this, ms, is dropped. */
    private readonly timeoutMs: number,
    private readonly now: () => number,
    private readonly counters: DecoderCounters,
  ) {}

  /** Appends `chunk` and hands every complete candidate frame to `onFrame`, in order. */
  push(chunk: Uint8Array, onFrame: (frame: Uint8Array) => Verdict): void {
    const nowMs = this.now();
    this.expire(nowMs);
    let buf: Uint8Array;
    if (this.buf.length === 0) buf = chunk;
    else {
      buf = new Uint8Array(this.buf.length + chunk.length);
      buf.set(this.buf);
      buf.set(chunk, this.buf.length);
    }
    const { sync, headerBytes } = this.shape;
    let pos = 0;
    for (;;) {
      const at = findSync(buf, pos, sync);
      if (at < 0) {
        const keep = trailingSyncPrefix(buf, pos, sync);
        this.counters.bytesSkipped += buf.length - keep - pos;
        pos = buf.length - keep;
        break;
      }
      this.counters.bytesSkipped += at - pos;
      pos = at;
      if (buf.length - pos < headerBytes) break;
      const n = this.shape.frameBytes(buf, pos);
      if (n <= 0) {
        // Impossible header: this sync was data, not a frame start.
        this.counters.framesCorrupt++;
        this.counters.bytesSkipped++;
        pos++;
        continue;
      }
      if (buf.length - pos < n) break;
      const verdict = onFrame(buf.subarray(pos, pos + n));
      if (verdict === 'corrupt') {
        this.counters.bytesSkipped++;
        pos++;
      } else {
        pos += n;
      }
    }
    // Copy: `buf` may be the caller's chunk, which it is free to reuse.
    this.buf = buf.slice(pos);
    if (this.buf.length === 0) this.pendingSinceMs = null;
    else if (pos > 0 || this.pendingSinceMs === null) this.pendingSinceMs = nowMs;
  }

  /** Drops pending bytes that have waited past the timeout. */
  poll(): void {
    this.expire(this.now());
  }

  private expire(nowMs: number): void {
    if (this.pendingSinceMs === null || nowMs - this.pendingSinceMs <= this.timeoutMs) return;
    this.counters.partialTimeouts++;
    this.counters.bytesSkipped += this.buf.length;
    this.buf = new Uint8Array(0);
    this.pendingSinceMs = null;
  }
}

function findSync(buf: Uint8Array, from: number, sync: readonly number[]): number {
  for (let i = buf.indexOf(sync[0], from); i >= 0; i = buf.indexOf(sync[0], i + 1)) {
    let k = 1;
    while (k < sync.length && i + k < buf.length && buf[i + k] === sync[k]) k++;
    // A sync cut off by the end of the buffer is not a match here; trailingSyncPrefix keeps it.
    if (k === sync.length) return i;
  }
  return -1;
}

/** Length of the longest proper prefix of `sync` that ends `buf` (after `from`). */
function trailingSyncPrefix(buf: Uint8Array, from: number, sync: readonly number[]): number {
  for (let k = Math.min(sync.length - 1, buf.length - from); k > 0; k--) {
    let match = true;
    for (let j = 0; j < k; j++) {
      if (buf[buf.length - k + j] !== sync[j]) { match = false; break; }
    }
    if (match) return k;
  }
  return 0;
}
