/**
 * The durable outbox's policy over a store: what is kept, what is shed, and
 * what is counted (DESIGN.md section 7).
 *
 * - Beats and vitals never enter the outbox (QoS 0; shed while disconnected,
 *   counted by the client).
 * - Events are never shed. When the live bytes would exceed `maxBytes`,
 *   explanations are shed oldest first to make room; if only events remain the
 *   event is kept anyway and counted in `eventsOverBound` (the disk is then the
 *   limit: losing a VT alarm to save space is the wrong trade).
 * - An explanation that does not fit after shedding every older explanation is
 *   itself shed.
 * - Entries leave on PUBACK (`ack`), so delivery is at least once.
 */
import { entryBytes, type OutboxEntry, type OutboxKind, type OutboxStore } from './store.ts';

export interface OutboxCounters {
  /** Explanations removed unsent to respect maxBytes. */
  explainsShed: number;
  /** Events kept although the outbox was over maxBytes. */
  eventsOverBound: number;
  /** Entries acknowledged by the broker. */
  acked: number;
  /** Entries whose durable write failed (they stay queued in memory). */
  commitFailures: number;
}

export interface EnqueueResult {
  /** False when the entry itself was shed (an explanation that does not fit). */
  accepted: boolean;
  /** The entry's sequence number in the store; null when shed. */
  seq: number | null;
  /** Resolves when the entry is durable; never rejects (failures are counted). */
  durable: Promise<boolean>;
}

export class Outbox {
  readonly counters: OutboxCounters = { explainsShed: 0, eventsOverBound: 0, acked: 0, commitFailures: 0 };
  private readonly listeners = new Set<(seq: number) => void>();

  constructor(readonly store: OutboxStore, readonly maxBytes: number) {
    if (!(maxBytes > 0)) throw new RangeError(`outbox maxBytes: must be greater than 0, got ${maxBytes}`);
  }

  enqueue(kind: OutboxKind, topic: string, payload: string): EnqueueResult {
    const bytes = entryBytes({ topic, payload });
    if (this.store.size.bytes + bytes > this.maxBytes) this.shedExplains(this.store.size.bytes + bytes - this.maxBytes, kind === 'explain');
    if (this.store.size.bytes + bytes > this.maxBytes) {
      if (kind === 'explain') {
        this.counters.explainsShed++;
        return { accepted: false, seq: null, durable: Promise.resolve(false) };
      }
      this.counters.eventsOverBound++;
    }
    const put = this.store.put({ kind, topic, payload });
    const durable = put.durable.then(
      () => true,
      () => {
        this.counters.commitFailures++;
        return false;
      },
    );
    for (const l of this.listeners) l(put.seq);
    return { accepted: true, seq: put.seq, durable };
  }

  /** The broker has the entry (PUBACK). */
  ack(seq: number): void {
    if (!this.store.get(seq)) return;
    this.counters.acked++;
    void this.store.del(seq).catch(() => {
      // A lost ack record means one duplicate after restart, which at-least-once allows.
      this.counters.commitFailures++;
    });
  }

  pending(): IterableIterator<OutboxEntry> {
    return this.store.pending();
  }

  get size(): { records: number; bytes: number } {
    return this.store.size;
  }

  /** Called after each accepted enqueue (the client's pump listens). */
  onEnqueue(listener: (seq: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  flush(): Promise<void> {
    return this.store.flush();
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private shedExplains(needBytes: number, allOrNothing: boolean): void {
    const victims: OutboxEntry[] = [];
    let freed = 0;
    for (const e of this.store.pending()) {
      if (freed >= needBytes) break;
      if (e.kind !== 'explain') continue;
      victims.push(e);
      freed += entryBytes(e);
    }
    // For an explanation, shedding less than needed would lose older ones and still not fit it;
    // for an event, every byte freed brings the outbox nearer its bound.
    if (allOrNothing && freed < needBytes) return;
    for (const e of victims) {
      this.counters.explainsShed++;
      void this.store.del(e.seq).catch(() => this.counters.commitFailures++);
    }
  }
}
