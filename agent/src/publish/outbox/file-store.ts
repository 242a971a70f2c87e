/**
 * The outbox store on disk: an append-only log of put and ack records
 * (record-log.ts) with group commit, compacted when mostly dead.
 *
 * Group commit (to spare SD cards): every record is written to the file as it
 * comes (one write(2) into the kernel's page cache, which outlives the process:
 * a SIGKILL loses nothing that put() accepted), and fsynced together with the
 * others when `commitRecords` are waiting or `commitIntervalMs` after the first,
 * whichever is first; never one fsync per message. The fsync is what costs an
 * SD card; a put's `durable` promise resolves after it, so what a power cut can
 * lose is at most the unsynced tail, and the caller knows which.
 *
 * On open, a torn or corrupt tail is cut off (the file is truncated to its last
 * good record) and the live entries are rebuilt. Compaction writes the live
 * entries to `<file>.compact`, fsyncs it, renames it over the log and fsyncs
 * the directory, so a crash at any point leaves either the old or the new log.
 *
 * Limits: file I/O is synchronous (small appends; the fsync is the slow part,
 * at most once per interval); one process per file (no lock is taken).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, ftruncateSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeRecords, encodeRecord, type LogRecord } from './record-log.ts';
import { entryBytes, type OutboxEntry, type OutboxStore, type PutResult } from './store.ts';

export interface FileOutboxOptions {
  /** Group commit: fsync at most this long after the first uncommitted record, ms. Default 200. */
  commitIntervalMs?: number;
  /** Group commit: commit at once when this many records wait. Default 256. */
  commitRecords?: number;
  /** Compact when the log is over this size and less than half of it is live, bytes. Default 1 MiB. */
  compactMinBytes?: number;
  /** For tests: count or fail fsyncs. Default fs.fsyncSync. */
  fsync?: (fd: number) => void;
  /** For tests: fake timers. */
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

export interface OpenReport {
  /** Live entries found. */
  pending: number;
  /** Bytes cut off the end of the log (a torn or corrupt tail), and why. */
  discardedBytes: number;
  problem?: string;
}

const DEFAULTS = { commitIntervalMs: 200, commitRecords: 256, compactMinBytes: 1 << 20 };

export class FileOutboxStore implements OutboxStore {
  private readonly entries = new Map<number, OutboxEntry>();
  private nextSeq = 1;
  private liveBytes = 0;
  private fileBytes = 0;
  private fd: number;
  /** Bytes known to be on disk (fsynced); fileBytes - syncedBytes are in the page cache only. */
  private syncedBytes = 0;
  /** Records written since the last fsync. */
  private unsynced = 0;
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly opts: Required<Omit<FileOutboxOptions, 'timers' | 'fsync'>>;
  private readonly fsync: (fd: number) => void;
  private readonly timers: NonNullable<FileOutboxOptions['timers']>;
  /** What open found. */
  readonly report: OpenReport;

  /** Opens (creating if absent) the log at `path` and recovers its live entries. */
  static open(path: string, options: FileOutboxOptions = {}): FileOutboxStore {
    return new FileOutboxStore(path, options);
  }

  private constructor(readonly path: string, options: FileOutboxOptions) {
    this.opts = { ...DEFAULTS, ...definedOnly(options) };
    for (const k of ['commitIntervalMs', 'commitRecords'] as const) {
      if (!(this.opts[k] > 0)) throw new RangeError(`outbox ${k}: must be greater than 0, got ${this.opts[k]}`);
    }
    this.fsync = options.fsync ?? fsyncSync;
    this.timers = options.timers ?? { setTimeout, clearTimeout };
    mkdirSync(dirname(path), { recursive: true });
    const buf = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
    const decoded = decodeRecords(buf);
    for (const r of decoded.records) this.apply(r);
    this.report = { pending: this.entries.size, discardedBytes: buf.length - decoded.goodBytes, ...(decoded.problem ? { problem: decoded.problem } : {}) };
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    if (decoded.goodBytes < buf.length) {
      ftruncateSync(this.fd, decoded.goodBytes);
      this.fsync(this.fd);
    }
    this.fileBytes = this.syncedBytes = decoded.goodBytes;
    // Start from a log that holds only live entries: recovery time stays bounded.
    if (decoded.records.length > this.entries.size) this.compact();
  }

  put(entry: Omit<OutboxEntry, 'seq'>): PutResult {
    if (this.closed) throw new Error(`outbox ${this.path} is closed`);
    const e: OutboxEntry = { seq: this.nextSeq, kind: entry.kind, topic: entry.topic, payload: entry.payload };
    this.apply({ op: 'put', ...e });
    return { seq: e.seq, durable: this.append({ op: 'put', ...e }) };
  }

  del(seq: number): Promise<void> {
    if (this.closed || !this.entries.has(seq)) return Promise.resolve();
    this.apply({ op: 'ack', seq });
    return this.append({ op: 'ack', seq });
  }

  pending(): IterableIterator<OutboxEntry> {
    return this.entries.values();
  }

  get(seq: number): OutboxEntry | undefined {
    return this.entries.get(seq);
  }

  get size(): { records: number; bytes: number } {
    return { records: this.entries.size, bytes: this.liveBytes };
  }

  async flush(): Promise<void> {
    if (this.unsynced > 0) this.commit();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.commit();
    this.closed = true;
    closeSync(this.fd);
  }

  private apply(r: LogRecord): void {
    if (r.op === 'put') {
      const e: OutboxEntry = { seq: r.seq, kind: r.kind, topic: r.topic, payload: r.payload };
      this.entries.set(r.seq, e);
      this.liveBytes += entryBytes(e);
      this.nextSeq = Math.max(this.nextSeq, r.seq + 1);
    } else {
      const e = this.entries.get(r.seq);
      if (e) {
        this.entries.delete(r.seq);
        this.liveBytes -= entryBytes(e);
      }
    }
  }

  private append(r: LogRecord): Promise<void> {
    const data = encodeRecord(r);
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off, data.length - off, this.fileBytes + off);
    } catch (err) {
      return Promise.reject(this.cutBack(err as Error));
    }
    this.fileBytes += data.length;
    this.unsynced += 1;
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    if (this.unsynced >= this.opts.commitRecords) this.commit();
    else this.timer ??= this.timers.setTimeout(() => this.commit(), this.opts.commitIntervalMs);
    return done;
  }

  private commit(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.unsynced === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    this.unsynced = 0;
    try {
      this.fsync(this.fd);
    } catch (err) {
      const e = this.cutBack(err as Error);
      for (const w of waiters) w.reject(e);
      return;
    }
    this.syncedBytes = this.fileBytes;
    for (const w of waiters) w.resolve();
    if (this.fileBytes > this.opts.compactMinBytes && this.liveBytes * 2 < this.fileBytes) this.compact();
  }

  /**
   * After a failed write or fsync, cuts the log back to what is known to be on
   * disk, so later records never sit behind a torn one. The entries stay queued
   * in memory (the outbox counts the failure); only their durability is lost.
   */
  private cutBack(err: Error): Error {
    try {
      ftruncateSync(this.fd, this.syncedBytes);
    } catch {
      // Reopening detects and cuts a torn tail anyway.
    }
    this.fileBytes = this.syncedBytes;
    return new Error(`outbox ${this.path}: commit failed: ${err.message}`);
  }

  private compact(): void {
    const tmp = `${this.path}.compact`;
    const fd = openSync(tmp, 'w');
    let size = 0;
    try {
      for (const e of this.entries.values()) {
        const rec = encodeRecord({ op: 'put', ...e });
        writeSync(fd, rec, 0, rec.length, size);
        size += rec.length;
      }
      this.fsync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dirFd = openSync(dirname(this.path), 'r');
    try {
      this.fsync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    closeSync(this.fd);
    this.fd = openSync(this.path, 'r+');
    this.fileBytes = this.syncedBytes = size;
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
