/**
 * The page's stores and timing, run in Node (they touch no DOM): the signal
 * ring stays bounded over an hour of 360-Hz signal and marks holes, the beat
 * ring keeps a beat once, the sweep plays lumps out smoothly and waits when
 * data stops, heart rate is a median, the reconnect backoff grows and caps.
 */
import test from 'ava';
import { SignalRing } from '../../agent/src/monitor/page/signal-ring.ts';
import { BeatRing } from '../../agent/src/monitor/page/beat-ring.ts';
import { Playout } from '../../agent/src/monitor/page/playout.ts';
import { heartRateBpm } from '../../agent/src/monitor/page/heart-rate.ts';
import { EventList } from '../../agent/src/monitor/page/event-list.ts';
import { backoffMs, BACKOFF_MAX_MS, BACKOFF_MIN_MS } from '../../agent/src/monitor/page/connection.ts';
import type { BeatItem, EventItem } from '../../agent/src/monitor/protocol.ts';

const ramp = (start: number, n: number) => Array.from({ length: n }, (_, k) => start + k);

test('signal ring: an hour of 1-s blocks keeps exactly its capacity, the newest samples', (t) => {
  const ring = new SignalRing(360 * 30);
  for (let s = 0; s < 3600; s++) ring.write(s * 360, ramp(s * 360, 360));
  t.is(ring.retained, ring.capacity);
  t.is(ring.end, 3600 * 360);
  t.is(ring.start, 3600 * 360 - ring.capacity);
  t.is(ring.value(ring.end - 1), ring.end - 1);
  t.is(ring.value(ring.start), ring.start);
  t.true(Number.isNaN(ring.value(ring.start - 1)));
  t.true(Number.isNaN(ring.value(ring.end)));
});

test('signal ring: a jump forward is a hole; flags apply to their runs only; old writes are ignored', (t) => {
  const ring = new SignalRing(100);
  ring.write(0, ramp(0, 40));
  ring.write(60, ramp(60, 20), [[5, 3, 1]]);
  t.is(ring.value(39), 39);
  t.true(Number.isNaN(ring.value(40)));
  t.true(Number.isNaN(ring.value(59)));
  t.is(ring.value(60), 60);
  t.deepEqual([64, 65, 66, 67, 68].map((i) => ring.flags(i)), [0, 1, 1, 1, 0]);
  t.is(ring.retained, 60);
  ring.write(500, ramp(500, 10));
  t.is(ring.retained, 10, 'a jump past the capacity leaves only the new samples');
  ring.write(0, ramp(0, 10));
  t.is(ring.retained, 10, 'samples older than the ring holds are not written');
  t.is(ring.value(505), 505);
});

test('beat ring: bounded, oldest first, a beat sent twice kept once', (t) => {
  const ring = new BeatRing(4);
  const beat = (i: number): BeatItem => ({ i, label: 'N', rrMs: 800, q: 'good', pubMs: 0 });
  for (const i of [10, 20, 30]) ring.add(beat(i), false);
  ring.add(beat(20), true);
  t.deepEqual([...ring.each()].map((b) => b.i), [10, 20, 30]);
  for (const i of [40, 50, 60]) ring.add(beat(i), false);
  t.deepEqual([...ring.each()].map((b) => b.i), [30, 40, 50, 60]);
  t.is(ring.retained, 4);
});

test('playout: 1-s lumps are swept smoothly delayMs behind, never backwards, waiting when data stops', (t) => {
  const fs = 360;
  const p = new Playout({ fs, delayMs: 1000 });
  // Block k (samples [360k, 360k+360)) arrives at 1000k + 1000 ms plus a jitter of up to 80 ms.
  const jitter = [0, 80, 20, 60, 10, 40];
  for (let k = 0; k < 6; k++) p.arrived(360 * (k + 1), 1000 * (k + 1) + jitter[k]);
  // Offset = least delayed arrival: block 1 at 1000 ms for sample 360 -> offset 0.
  t.is(p.position(5500), ((5500 - 1000) * fs) / 1000);
  t.is(p.position(5600), ((5600 - 1000) * fs) / 1000);
  t.is(p.position(5000), ((5600 - 1000) * fs) / 1000, 'never goes back');
  t.is(p.position(60000), 360 * 6, 'waits at the newest sample when data stops');
});

test('heart rate: median of the last 8 RR of good beats; null with fewer than 3', (t) => {
  const b = (rrMs: number | null, q = 'good') => ({ rrMs, q });
  t.is(heartRateBpm([b(null), b(800), b(800)]), null);
  t.is(heartRateBpm([b(800), b(800), b(560), b(1000), b(800)]), 75, 'one premature beat does not move the median');
  t.is(heartRateBpm([b(600), b(600), b(600), b(1000, 'lead-off')]), 100);
  t.is(heartRateBpm([...Array(20).fill(b(1000)), ...Array(8).fill(b(500))]), 120, 'only the last 8 count');
});

test('event list: latest phase per id, an end not undone by a replayed start, bounded', (t) => {
  const list = new EventList(3);
  const e = (id: string, phase: EventItem['phase'], startSample: number): EventItem => ({ id, type: 'pvc', phase, startSample, endSample: startSample, beats: 1 });
  list.update(e('a', 'start', 10));
  list.update(e('a', 'end', 10));
  list.update(e('a', 'start', 10));
  t.is(list.list()[0].phase, 'end');
  for (const [id, s] of [['b', 20], ['c', 30], ['d', 40]] as const) list.update(e(id, 'start', s));
  t.deepEqual(list.list().map((x) => x.id), ['d', 'c', 'b']);
  t.deepEqual(list.open().map((x) => x.id), ['d', 'c', 'b']);
});

test('reconnect backoff: doubles from 250 ms, caps at 5 s, jitter within +-20%', (t) => {
  t.is(backoffMs(0, 0.5), BACKOFF_MIN_MS);
  t.is(backoffMs(1, 0.5), 500);
  t.is(backoffMs(10, 0.5), BACKOFF_MAX_MS);
  t.is(backoffMs(0, 0), 200);
  t.is(backoffMs(30, 0.999), Math.round(BACKOFF_MAX_MS * 1.1996));
});
