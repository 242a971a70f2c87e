import test from 'ava';
import { beats, lastSample, msToSample, ofType, runScript, then } from './script.ts';
import type { RhythmInput } from '../../agent/src/rhythm/types.ts';

function signal(sample: number, leadOff: boolean, poor = false, reason?: string): RhythmInput {
  return { kind: 'signal', state: { sample, leadOff, poor, reason } };
}

test('lead-off is an episode; beats during it raise nothing and no pause is reported across it', (t) => {
  const before = beats('NNNNNN', 800);
  const off = lastSample(before) + msToSample(400);
  const during = then([signal(off, true)], 400, beats('VVVVV', 400));
  const clock: RhythmInput[] = [];
  for (let ms = 0; ms <= 6000; ms += 500) clock.push({ kind: 'clock', sample: off + msToSample(ms) });
  const on = off + msToSample(6500);
  const script: RhythmInput[] = [...before, ...during.slice(0, 1), ...clock, signal(on, false),
    ...then([{ kind: 'clock', sample: on }], 300, beats('NNNNN', 800))];
  const events = runScript(script, {}, false);
  const lead = ofType(events, 'lead-off');
  t.is(lead[0].phase, 'start');
  t.is(lead[0].startSample, off);
  t.is(lead.at(-1)!.phase, 'end');
  t.is(lead.at(-1)!.endSample, on);
  t.true(lead.some((e) => e.phase === 'update'), 'a long lead-off is refreshed');
  t.is(ofType(events, 'pause').length, 0);
  t.is(ofType(events, 'vt').length, 0);
  t.is(ofType(events, 'poor-signal').length, 0, 'lead-off explains the poor signal; one event, not two');
});

test('beats arriving while the lead is off are ignored, not classified into a run', (t) => {
  const script: RhythmInput[] = [...beats('NNNN', 800), signal(msToSample(4000), true),
    ...then([], 0, beats('VVVV', 400, 4500)), signal(msToSample(7000), false), ...beats('NNN', 800, 7500)];
  const events = runScript(script);
  t.is(ofType(events, 'vt').length, 0);
  t.is(ofType(events, 'pvc').length, 0);
});

test('poor signal carries its reason, and a change of reason is a new episode', (t) => {
  const script: RhythmInput[] = [signal(100, false, true, 'noise'), signal(2000, false, true, 'saturation'),
    signal(4000, false, false)];
  const events = runScript(script);
  const poor = ofType(events, 'poor-signal');
  t.deepEqual(poor.map((e) => `${e.phase}:${e.detail}`), ['start:noise', 'end:noise', 'start:saturation', 'end:saturation']);
});

test('an open run is ended when the signal goes bad, not carried across the hole', (t) => {
  // Last V at 3400 ms; the clock at 4400 ms confirms the run (runConfirmMs 1000) before the noise.
  const script: RhythmInput[] = [...beats('NNNVVVV', 400), { kind: 'clock', sample: msToSample(4400) },
    signal(msToSample(5000), false, true, 'noise')];
  const events = runScript(script, {}, false);
  const vt = ofType(events, 'vt');
  t.deepEqual(vt.map((e) => e.phase), ['start', 'update', 'end']);
  t.is(vt.at(-1)!.beats, 4);
});

test('with runConfirmMs, a run is dropped when poor signal starts within it of its last beat (noise onset), kept when it starts later; 0 announces at once', (t) => {
  // Last V at 3400 ms; runConfirmMs 750: noise from 4100 ms covers it, from 4200 ms does not.
  const onset = (ms: number): RhythmInput[] => [...beats('NNNVVVV', 400), { kind: 'clock', sample: msToSample(4000) },
    signal(msToSample(ms), false, true, 'noisy')];
  const events = runScript(onset(4100), { runConfirmMs: 750 }, false);
  t.is(ofType(events, 'vt').length, 0);
  t.is(ofType(events, 'poor-signal', 'start').length, 1);
  t.deepEqual(ofType(runScript(onset(4200), { runConfirmMs: 750 }, false), 'vt').map((e) => e.phase), ['start', 'update', 'end']);
  t.deepEqual(ofType(runScript(onset(4100), { runConfirmMs: 0 }, false), 'vt').map((e) => e.phase), ['start', 'update', 'end']);
  t.throws(() => runScript([], { runConfirmMs: -1 }), { message: /rhythm\.runConfirmMs must be a number >= 0, got -1/ });
});

test('with runConfirmMs, a run that ends in good signal is announced whole once confirmed, and at the end of the stream if never confirmed', (t) => {
  const confirmed = runScript([...beats('NNNVVVNN', 400), { kind: 'clock', sample: msToSample(4500) }], { runConfirmMs: 750 }, false);
  t.deepEqual(ofType(confirmed, 'vt').map((e) => e.phase), ['start', 'end']);
  t.deepEqual(ofType(runScript(beats('NNNVVVN', 400), { runConfirmMs: 750 }), 'vt').map((e) => e.phase), ['start', 'end']);
});

test('noise ends only once the signal has been good as long as the noise lasted, at most poorSignalClearMs; beats in between raise nothing', (t) => {
  const bad = msToSample(5000);
  const good = msToSample(20000); // 15 s of noise: the hold is the full 10 s
  const clearAt = good + msToSample(10000);
  // A fast V run 2 s after the noise looks over: inside the hold, so no VT.
  const script: RhythmInput[] = [...beats('NNNN', 800), signal(bad, false, true, 'noisy'), signal(good, false, false),
    ...beats('VVVV', 400, 22000), ...beats('NNNNNNNNNN', 800, 24000), { kind: 'clock', sample: clearAt + 10 },
    ...beats('NNNVVVVNN', (_i, l) => (l === 'V' ? 400 : 800), 32000)];
  const events = runScript(script);
  const poor = ofType(events, 'poor-signal').filter((e) => e.phase !== 'update');
  t.deepEqual(poor.map((e) => e.phase), ['start', 'end']);
  t.is(poor[0].startSample, bad);
  t.is(poor.at(-1)!.endSample, clearAt, 'ends where the hold ran out, not where the noise stopped');
  const vt = ofType(events, 'vt', 'start');
  t.is(vt.length, 1, 'the run after the hold is reported');
  t.true(vt[0].startSample > clearAt);
  // A 2-s flicker is held 2 s; noise again within the hold continues the same episode.
  const flicker = runScript([signal(bad, false, true, 'noisy'), signal(bad + msToSample(2000), false, false), { kind: 'clock', sample: bad + msToSample(9000) }]);
  t.is(ofType(flicker, 'poor-signal', 'end')[0].endSample, bad + msToSample(4000));
  const again = runScript([signal(bad, false, true, 'noisy'), signal(good, false, false), signal(good + msToSample(3000), false, true, 'noisy'),
    signal(good + msToSample(4000), false, false), { kind: 'clock', sample: good + msToSample(20000) }]);
  t.deepEqual(ofType(again, 'poor-signal').filter((e) => e.phase !== 'update').map((e) => e.phase), ['start', 'end']);
  t.is(ofType(again, 'poor-signal').at(-1)!.endSample, good + msToSample(14000));
  // With the hold off, noise ends at once; a gap (measured, not judged) always does.
  t.is(ofType(runScript([signal(bad, false, true, 'noisy'), signal(good, false, false)], { poorSignalClearMs: 0 }), 'poor-signal').at(-1)!.endSample, good);
  t.is(ofType(runScript([signal(bad, false, true, 'gap'), signal(good, false, false), { kind: 'clock', sample: good + 10 }]), 'poor-signal').at(-1)!.endSample, good);
  t.throws(() => runScript([], { poorSignalClearMs: -1 }), { message: /rhythm\.poorSignalClearMs must be a number >= 0, got -1/ });
});
