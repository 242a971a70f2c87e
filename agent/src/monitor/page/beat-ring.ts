/**
 * The page's recent beats: a fixed ring of the last `capacity` beats in
 * stream order, each remembering when the page first showed its label (for
 * the label latency the page reports). A beat sent twice (a replay after a
 * reconnect) is kept once.
 */
import type { BeatItem } from '../protocol.ts';

export interface ShownBeat extends BeatItem {
  /** Arrived in a replay of recent history (not live): no latency is measured for it. */
  replay: boolean;
  /** Page time the label was first drawn, ms since the epoch. */
  shownMs?: number;
}

export class BeatRing {
  private readonly items: (ShownBeat | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<ShownBeat | undefined>(capacity);
  }

  get retained(): number {
    return this.count;
  }

  add(beat: BeatItem, replay: boolean): void {
    const last = this.newest();
    if (last !== undefined && beat.i <= last.i) {
      for (const b of this.each()) if (b.i === beat.i) return; // already held
    }
    this.items[this.next] = { ...beat, replay };
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.capacity, this.count + 1);
  }

  newest(): ShownBeat | undefined {
    return this.count === 0 ? undefined : this.items[(this.next - 1 + this.capacity) % this.capacity];
  }

  /** Beats held, oldest first. */
  *each(): Generator<ShownBeat> {
    for (let k = 0; k < this.count; k++) yield this.items[(this.next - this.count + k + this.capacity) % this.capacity]!;
  }

  reset(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
