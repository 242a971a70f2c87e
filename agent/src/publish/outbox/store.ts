/**
 * Storage under the durable outbox: the messages (events, explanations) that
 * must reach the broker at least once. Modelled on MQTT.js's IStore (put, del,
 * stream, close); every implementation runs the one contract suite in
 * test/publish/outbox-contract.ts.
 *
 * Contract:
 * - `put` assigns increasing sequence numbers and makes the entry visible in
 *   `pending()` at once; its `durable` promise resolves when it is durable (for
 *   the file store: fsynced, by group commit), so a caller may publish before.
 * - `del` (on PUBACK, or when the policy sheds an entry) removes it from
 *   `pending()` at once; deleting an unknown or deleted seq does nothing.
 * - `pending()` yields the live entries in put order; after reopening a
 *   durable store it yields every entry put (and made durable) and not deleted.
 */

export type OutboxKind = 'event' | 'explain';

export interface OutboxEntry {
  seq: number;
  kind: OutboxKind;
  topic: string;
  /** The message body, JSON text. */
  payload: string;
}

export interface PutResult {
  seq: number;
  /** Resolves once the entry is durable; rejects if it could not be written. */
  durable: Promise<void>;
}

export interface OutboxStore {
  put(entry: Omit<OutboxEntry, 'seq'>): PutResult;
  del(seq: number): Promise<void>;
  pending(): IterableIterator<OutboxEntry>;
  get(seq: number): OutboxEntry | undefined;
  /** Live entries and their topic + payload bytes (the outbox's bound is on these). */
  readonly size: { records: number; bytes: number };
  /** Makes everything put or deleted so far durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const entryBytes = (e: Pick<OutboxEntry, 'topic' | 'payload'>): number =>
  Buffer.byteLength(e.topic) + Buffer.byteLength(e.payload);

export const OUTBOX_KINDS: readonly OutboxKind[] = ['event', 'explain'];
