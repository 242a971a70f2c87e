/**
 * False arrhythmia events: episodes from their messages, and which V, A and VT
 * episodes a reference annotation list backs, per noisy / clean segment, with
 * the poor-signal time; on generated annotations and events.
 */
import test from 'ava';
import { countFalseEvents, episodesOf } from '../../agent/src/eval/false-events.ts';
import { nstSchedule } from '../../agent/src/eval/noise-stress.ts';
import type { EventType, RhythmEvent } from '../../agent/src/rhythm/types.ts';

const fs = 100;

/** The messages of one episode: start, then end (both carry the span). */
function episode(id: string, type: EventType, start: number, end: number): RhythmEvent[] {
  return [
    { id, type, phase: 'start', startSample: start, endSample: start, beats: 1 },
    { id, type, phase: 'end', startSample: start, endSample: end, beats: 3 },
  ];
}

/** Reference: N every second, with V at 12.0 s, a V run at 15.0-16.0 s, an A at 20.0 s. */
function reference() {
  const out: { sample: number; symbol: string }[] = [];
  for (let s = 1; s < 60; s++) out.push({ sample: s * fs, symbol: 'N' });
  const set = (sample: number, symbol: string) => {
    const i = out.findIndex((a) => a.sample === sample);
    if (i >= 0) out[i] = { sample, symbol }; else out.push({ sample, symbol });
  };
  set(1200, 'V');
  set(1500, 'V'); set(1550, 'V'); set(1600, 'V');
  set(2000, 'A');
  out.push({ sample: 2500, symbol: '+' }); // a rhythm annotation is not a beat
  return out.sort((a, b) => a.sample - b.sample);
}

test('episodes: one per id, spanning its first start to its last end, in order of start', (t) => {
  const events = [...episode('b', 'vt', 500, 700), ...episode('a', 'pvc', 100, 100)];
  events.push({ id: 'b', type: 'vt', phase: 'update', startSample: 500, endSample: 650, beats: 4 });
  t.deepEqual(episodesOf(events), [
    { id: 'a', type: 'pvc', startSample: 100, endSample: 100 },
    { id: 'b', type: 'vt', startSample: 500, endSample: 700 },
  ]);
});

test('V, A and VT events are false unless a reference beat of their class (VT: a V run) lies within 150 ms', (t) => {
  // One segment kind only: the whole minute is "clean" (no toggle before 60 s).
  const schedule = nstSchedule(60 * fs, fs);
  const events = [
    ...episode('v-true', 'pvc', 1210, 1210), // 100 ms from the V at 12.0 s
    ...episode('v-late', 'pvc', 1314, 1314), // 1.14 s after the V: too far
    ...episode('v-far', 'couplet', 3000, 3100),
    ...episode('vt-run', 'vt', 1560, 1700), // overlaps the reference run
    ...episode('vt-single', 'vt', 1100, 1190), // one reference V (12.0 s) within 150 ms of its end: a true V, a false VT
    ...episode('a-true', 'apc', 1990, 1990),
    ...episode('a-far', 'sv-couplet', 4000, 4100),
    ...episode('big', 'bigeminy', 4500, 5000), // no V anywhere near
    ...episode('tachy', 'tachycardia', 100, 5000), // neither V nor A: not counted
  ];
  const c = countFalseEvents(events, reference(), schedule, { fs, fromSample: 0 });
  t.is(c.noisy.seconds, 0);
  t.is(c.clean.seconds, 60);
  t.is(c.clean.vEvents, 6);
  t.is(c.clean.falseV, 3, 'v-late, v-far, big');
  t.is(c.clean.vtEvents, 2);
  t.is(c.clean.falseVt, 1, 'vt-single');
  t.is(c.clean.aEvents, 2);
  t.is(c.clean.falseA, 1, 'a-far');
});

test('events count in the segment that holds their start, from fromSample on; poor signal is split by overlap', (t) => {
  // Noise from 20 s to 30 s, clean 30..40 s, noisy 40..50 s, clean 50..60 s.
  const schedule = nstSchedule(60 * fs, fs, { firstS: 20, segmentS: 10 });
  const events = [
    ...episode('before', 'pvc', 500, 500), // before fromSample: ignored
    ...episode('n1', 'apc', 2500, 2500),
    ...episode('c1', 'pvc', 3500, 3500),
    ...episode('n2', 'pvc', 4990, 5100), // starts in the noisy segment, ends in the clean one
    ...episode('poor', 'poor-signal', 2800, 3300), // 2 s noisy, 3 s clean
    ...episode('off', 'lead-off', 5500, 5600), // 1 s clean
  ];
  const c = countFalseEvents(events, reference(), schedule, { fs, fromSample: 10 * fs });
  t.is(c.noisy.seconds, 20);
  t.is(c.clean.seconds, 30); // 10..20 s and the two clean segments
  t.deepEqual([c.noisy.vEvents, c.noisy.aEvents, c.clean.vEvents, c.clean.aEvents], [1, 1, 1, 0]);
  t.deepEqual([c.noisy.falseV, c.noisy.falseA, c.clean.falseV], [1, 1, 1]);
  t.is(c.noisy.poorS, 2);
  t.is(c.clean.poorS, 4);
});
