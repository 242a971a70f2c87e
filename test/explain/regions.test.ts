import test from 'ava';
import fc from 'fast-check';
import { regionAt, regionsForRr, tEndMs } from '../../agent/src/explain/regions.ts';
import { summariseGradCam } from '../../agent/src/publish/explain-summary.ts';
import { bumpMap, GEOMETRY } from '../publish/examples.ts';

test('at 60 bpm the regions are the resting-beat ones: P [-250, -60), QRS [-60, 80), T [80, 410)', (t) => {
  t.deepEqual(regionsForRr(1000), { p: [-250, -60], qrs: [-60, 80], t: [80, 410] });
  t.deepEqual(regionsForRr(null), regionsForRr(1000), 'no previous beat: RR 1 s');
});

test('T ends later after a longer RR (Fridericia), P never reaches back into the previous T', (t) => {
  fc.assert(fc.property(fc.integer({ min: 250, max: 2000 }), fc.integer({ min: 1, max: 500 }), (rr, more) => {
    const a = regionsForRr(rr);
    const b = regionsForRr(Math.min(2000, rr + more));
    t.true(b.t[1] >= a.t[1], `T end ${a.t[1]} at ${rr} ms, ${b.t[1]} at ${rr + more} ms`);
    t.true(a.p[0] >= -250 && a.p[0] <= a.p[1]);
    // The previous beat's T ends at -RR + tEnd (same RR): P starts at or after it (or is empty when that is past -60 ms).
    t.true(a.p[0] >= Math.min(-60, -rr + tEndMs(rr)) - 0.05, `P from ${a.p[0]} ms, previous T ends ${(-rr + tEndMs(rr)).toFixed(1)} ms`);
    t.is(a.qrs[0], a.p[1]);
    t.is(a.qrs[1], a.t[0]);
  }), { numRuns: 300 });
  t.true(regionsForRr(400).t[1] < 300 && regionsForRr(1500).t[1] > 460);
  t.deepEqual(regionsForRr(100), regionsForRr(250), 'RR clamped to 250 ms');
  t.is(regionAt(regionsForRr(1000), 0), 'qrs');
  t.is(regionAt(regionsForRr(1000), -300), null);
});

test('the summary shares respond to RR: late T evidence is T at 60 bpm, outside T after a short RR', (t) => {
  const late = bumpMap(340, 15);
  const slow = summariseGradCam(late, GEOMETRY, 1000);
  const fast = summariseGradCam(late, GEOMETRY, 400);
  t.true(slow.shares.t > 0.9, JSON.stringify(slow.shares));
  t.true(fast.shares.t < 0.1 && fast.shares.other > 0.9, JSON.stringify(fast.shares));
  t.deepEqual(fast.regionsMs, regionsForRr(400));
  t.deepEqual(slow.regionsMs, regionsForRr(1000));
});

test('the summary shares respond to RR: evidence 150 ms before R is P at 60 bpm, not after a 450 ms RR', (t) => {
  const early = bumpMap(-170, 12);
  const slow = summariseGradCam(early, GEOMETRY, 1000);
  const fast = summariseGradCam(early, GEOMETRY, 450);
  t.true(slow.shares.p > 0.9, JSON.stringify(slow.shares));
  t.true(fast.regionsMs.p[0] > -150, JSON.stringify(fast.regionsMs));
  t.true(fast.shares.p < 0.3, JSON.stringify(fast.shares));
  for (const s of [slow, fast]) t.true(Math.abs(s.shares.p + s.shares.qrs + s.shares.t + s.shares.other - 1) < 1e-3);
});
