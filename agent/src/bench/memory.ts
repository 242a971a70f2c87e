/**
 * Memory of this process for the bench: a snapshot split into V8 heap,
 * ArrayBuffers and the native rest (RSS minus the heap: code, onnxruntime's
 * arenas, libuv, the loader), and a sampler that keeps the peak RSS.
 */
export interface MemorySnapshot {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** RSS not in the V8 heap: native code and allocations (onnxruntime, Node itself). */
  nativeMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export function memorySnapshot(): MemorySnapshot {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external), arrayBuffersMb: mb(m.arrayBuffers), nativeMb: mb(m.rss - m.heapTotal) };
}

/** Samples RSS every `everyMs` until stopped; `peakMb` is the largest seen. */
export class RssSampler {
  private peak = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  constructor(everyMs = 100) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): number {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
    return rss;
  }
  get peakMb(): number {
    return mb(this.peak);
  }
  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }
}
