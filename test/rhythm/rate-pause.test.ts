import test from 'ava';
import { beats, lastSample, msToSample, ofType, runScript, then } from './script.ts';
import type { RhythmInput } from '../../agent/src/rhythm/types.ts';

test('tachycardia starts once above 100 bpm and ends once below 95 bpm', (t) => {
  // 120 bpm for 30 beats, then 75 bpm.
  const script = then(beats('N'.repeat(30), 500), 800, beats('N'.repeat(20), 800));
  const events = runScript(script, {}, false);
  const tachy = ofType(events, 'tachycardia');
  t.is(tachy.filter((e) => e.phase === 'start').length, 1);
  t.is(tachy.filter((e) => e.phase === 'end').length, 1);
  t.true(tachy[0].hrBpm! > 115 && tachy[0].hrBpm! < 125);
  t.is(ofType(events, 'bradycardia').length, 0);
});

test('a rate hovering between the end and start thresholds does not flap', (t) => {
  // 101.7 bpm, then 98.4 bpm: above tachyEndBpm (95), so the episode stays open.
  const script = then(beats('N'.repeat(20), 590), 610, beats('N'.repeat(40), 610));
  const events = runScript(script, {}, false);
  t.is(ofType(events, 'tachycardia', 'start').length, 1);
  t.is(ofType(events, 'tachycardia', 'end').length, 0);
});

test('bradycardia starts below 50 bpm and updates at the configured interval', (t) => {
  // 40 bpm for 40 beats: one update per 5 s of episode.
  const events = runScript(beats('N'.repeat(40), 1500), {}, false);
  const brady = ofType(events, 'bradycardia');
  t.is(brady[0].phase, 'start');
  const updates = brady.filter((e) => e.phase === 'update').map((e) => e.endSample);
  t.true(updates.length >= 6);
  // At most one update per 5 s, and never more than one RR (1.5 s) late.
  const gaps = updates.slice(1).map((s, i) => (s - updates[i]) / 360);
  t.true(gaps.every((g) => g >= 5 && g <= 6.5), `update gaps ${gaps}`);
  t.is(ofType(events, 'tachycardia').length, 0);
});

test('a pause is reported from the clock while it lasts and closed by the next beat', (t) => {
  const before = beats('NNNNNN', 800);
  const last = lastSample(before);
  const clock: RhythmInput[] = [];
  for (let ms = 100; ms <= 4000; ms += 100) clock.push({ kind: 'clock', sample: last + msToSample(ms) });
  const after = then(before, 4300, beats('NNN', 800)).slice(before.length);
  const script = [...before, ...clock, ...after];
  const events = runScript(script, {}, false);
  const pause = ofType(events, 'pause');
  t.is(pause[0].phase, 'start');
  t.is(pause[0].startSample, last);
  t.true(pause[0].endSample - last > msToSample(2000), 'reported once the 2 s threshold is passed');
  t.true(pause[0].endSample - last <= msToSample(2100), 'and no later than the next clock tick');
  t.is(pause.at(-1)!.phase, 'end');
  t.is(pause.at(-1)!.endSample, last + msToSample(4300));
});

test('a pause is found from the RR interval alone when no clock ticks came in between', (t) => {
  const events = runScript(then(beats('NNNN', 800), 3000, beats('NNN', 800)), {}, false);
  t.deepEqual(ofType(events, 'pause').map((e) => e.phase), ['start', 'end']);
});

test('an RR just under the threshold is not a pause', (t) => {
  const events = runScript(then(beats('NNNN', 800), 1990, beats('NNN', 800)));
  t.is(ofType(events, 'pause').length, 0);
});

test('the pause threshold is configurable', (t) => {
  const events = runScript(then(beats('NNNN', 800), 1990, beats('NNN', 800)), { pauseMs: 1500 });
  t.is(ofType(events, 'pause', 'start').length, 1);
});
