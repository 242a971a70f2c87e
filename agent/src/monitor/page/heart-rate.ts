/**
 * Heart rate as a bedside monitor shows it: the median of the last up to 8
 * RR intervals of beats in good signal, as beats per minute (a median, so one
 * premature beat or a missed one does not swing it). Null with fewer than 3.
 */
import type { BeatItem } from '../protocol.ts';

export function heartRateBpm(beats: Iterable<Pick<BeatItem, 'rrMs' | 'q'>>, last = 8): number | null {
  const rr: number[] = [];
  for (const b of beats) if (b.q === 'good' && b.rrMs !== null && b.rrMs > 0) rr.push(b.rrMs);
  const recent = rr.slice(-last).sort((a, b) => a - b);
  if (recent.length < 3) return null;
  const mid = recent.length >> 1;
  const median = recent.length % 2 === 1 ? recent[mid] : (recent[mid - 1] + recent[mid]) / 2;
  return Math.round(60000 / median);
}
