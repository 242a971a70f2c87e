/**
 * The outbox store in memory: for tests and for running without a state
 * directory. Nothing survives a restart.
 */
import { entryBytes, type OutboxEntry, type OutboxStore, type PutResult } from './store.ts';

export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<number, OutboxEntry>();
  private nextSeq = 1;
  private bytes = 0;
  private closed = false;

  put(entry: Omit<OutboxEntry, 'seq'>): PutResult {
    if (this.closed) throw new Error('outbox store is closed');
    const e = { seq: this.nextSeq++, kind: entry.kind, topic: entry.topic, payload: entry.payload };
    this.entries.set(e.seq, e);
    this.bytes += entryBytes(e);
    return { seq: e.seq, durable: Promise.resolve() };
  }

  async del(seq: number): Promise<void> {
    const e = this.entries.get(seq);
    if (!e) return;
    this.entries.delete(seq);
    this.bytes -= entryBytes(e);
  }

  pending(): IterableIterator<OutboxEntry> {
    return this.entries.values();
  }

  get(seq: number): OutboxEntry | undefined {
    return this.entries.get(seq);
  }

  get size(): { records: number; bytes: number } {
    return { records: this.entries.size, bytes: this.bytes };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }
}
