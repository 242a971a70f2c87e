/**
 * The page's events list: the latest message of each of the last `capacity`
 * episodes by id (start, update, end), newest first for display.
 */
import type { EventItem } from '../protocol.ts';

export class EventList {
  private readonly byId = new Map<string, EventItem>();
  /** Bumped on every change, so the view redraws only then. */
  version = 0;

  constructor(readonly capacity = 20) {}

  get retained(): number {
    return this.byId.size;
  }

  update(e: EventItem): void {
    const known = this.byId.get(e.id);
    if (known?.phase === 'end' && e.phase !== 'end') return; // a replayed earlier phase
    if (known === undefined) this.byId.set(e.id, e);
    else Object.assign(known, e);
    while (this.byId.size > this.capacity) this.byId.delete(this.byId.keys().next().value!);
    this.version++;
  }

  /** Newest first (by start sample). */
  list(): EventItem[] {
    return [...this.byId.values()].sort((a, b) => b.startSample - a.startSample);
  }

  /** Episodes still open. */
  open(): EventItem[] {
    return this.list().filter((e) => e.phase !== 'end');
  }

  reset(): void {
    this.byId.clear();
    this.version++;
  }
}
