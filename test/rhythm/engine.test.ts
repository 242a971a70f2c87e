import test from 'ava';
import fc from 'fast-check';
import sinon from 'sinon';
import { Subject } from 'rxjs';
import { RhythmEngine } from '../../agent/src/rhythm/engine.ts';
import { rhythmEvents } from '../../agent/src/rhythm/operator.ts';
import { rhythmConfig } from '../../agent/src/rhythm/config.ts';
import type { RhythmEvent, RhythmInput } from '../../agent/src/rhythm/types.ts';
import { beats, FS, msToSample, runScript } from './script.ts';

const inputArb = fc.array(
  fc.record({
    label: fc.constantFrom('N', 'N', 'N', 'V', 'A', 'L', 'Q'),
    rrMs: fc.integer({ min: 250, max: 3500 }),
    signal: fc.constantFrom('same', 'same', 'same', 'same', 'same', 'same', 'off', 'poor', 'good'),
  }),
  { maxLength: 300 },
).map((steps) => {
  const inputs: RhythmInput[] = [];
  let sample = 0;
  for (const s of steps) {
    sample += msToSample(s.rrMs);
    if (s.signal !== 'same') {
      inputs.push({ kind: 'signal', state: { sample: sample - 1, leadOff: s.signal === 'off', poor: s.signal === 'poor', reason: 'noise' } });
    }
    inputs.push({ kind: 'clock', sample: sample - 1 });
    inputs.push({ kind: 'beat', beat: { sample, label: s.label as 'N' } });
  }
  return inputs;
});

test('every episode starts once, ends once after its start, and keeps its id (any input)', (t) => {
  fc.assert(fc.property(inputArb, (inputs) => {
    const events = runScript(inputs);
    const byId = new Map<string, RhythmEvent[]>();
    for (const e of events) byId.set(e.id, [...(byId.get(e.id) ?? []), e]);
    for (const [id, list] of byId) {
      const phases = list.map((e) => e.phase);
      if (phases[0] !== 'start' || phases.at(-1) !== 'end') return false;
      if (phases.filter((p) => p === 'start').length !== 1 || phases.filter((p) => p === 'end').length !== 1) return false;
      if (list.some((e) => e.type !== list[0].type || e.startSample !== list[0].startSample)) return false;
      if (list.some((e, i) => i > 0 && e.endSample < list[i - 1].endSample)) return false;
      if (!id.startsWith('test:')) return false;
    }
    return true;
  }), { numRuns: 200 });
  t.pass();
});

test('the same input gives the same events (ids are stable across replays)', (t) => {
  const script = beats(`NNNN${'NV'.repeat(5)}NNVVVVNNNNANN`, 700);
  t.deepEqual(runScript(script), runScript(script));
});

test('beats out of sample order are refused with a message naming both samples', (t) => {
  const engine = new RhythmEngine({ fs: FS });
  engine.next({ kind: 'beat', beat: { sample: 1000, label: 'N' } });
  const err = t.throws(() => engine.next({ kind: 'beat', beat: { sample: 900, label: 'N' } }));
  t.regex(err!.message, /beat at 900 after 1000/);
});

test('a bad threshold names the field, the value and what is allowed', (t) => {
  t.throws(() => rhythmConfig({ pauseMs: -5 }), { message: 'rhythm.pauseMs must be a number > 0, got -5' });
  t.throws(() => rhythmConfig({ runMinBeats: 2 }), { message: 'rhythm.runMinBeats must be an integer >= 3, got 2' });
  t.throws(() => rhythmConfig({ tachyStartBpm: 100, tachyEndBpm: 110 }), { message: /tachyEndBpm \(110\) must not exceed/ });
});

test('the operator closes open episodes when the stream completes', (t) => {
  const input = new Subject<RhythmInput>();
  const seen: RhythmEvent[] = [];
  input.pipe(rhythmEvents({ fs: FS, streamId: 'op', runConfirmMs: 750 })).subscribe((e) => seen.push(e));
  for (const i of beats('NNNVVVV', 400)) input.next(i);
  t.deepEqual(seen.filter((e) => e.type === 'vt').map((e) => e.phase), [], 'held until runConfirmMs past its last beat (at 3400 ms)');
  input.next({ kind: 'clock', sample: Math.round(4.4 * FS) });
  t.deepEqual(seen.filter((e) => e.type === 'vt').map((e) => e.phase), ['start', 'update']);
  input.complete();
  t.is(seen.at(-1)!.phase, 'end');
  t.is(seen.at(-1)!.type, 'vt');
});

test('driven in real time, a pause is announced while the heart is silent (fake timers)', async (t) => {
  const clock = sinon.useFakeTimers();
  t.teardown(() => clock.restore());
  const input = new Subject<RhythmInput>();
  const seen: RhythmEvent[] = [];
  input.pipe(rhythmEvents({ fs: FS, streamId: 'live' })).subscribe((e) => seen.push(e));
  // A source delivering a chunk every 100 ms and a beat every 800 ms, until the heart stops at 4 s.
  let sample = 0;
  const timer = setInterval(() => {
    sample += msToSample(100);
    input.next({ kind: 'clock', sample, wallMs: Date.now() });
    if (Date.now() <= 4000 && Date.now() % 800 === 0) input.next({ kind: 'beat', beat: { sample, label: 'N', wallMs: Date.now() } });
  }, 100);
  t.teardown(() => clearInterval(timer));
  await clock.tickAsync(5900);
  t.is(seen.filter((e) => e.type === 'pause').length, 0, 'silent for under 2 s: nothing yet');
  await clock.tickAsync(300);
  const pause = seen.filter((e) => e.type === 'pause');
  t.is(pause.length, 1);
  t.is(pause[0].phase, 'start');
  t.is(pause[0].startWallMs, 4000);
});
