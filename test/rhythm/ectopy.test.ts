import test from 'ava';
import { beats, ofType, runScript } from './script.ts';

test('an isolated PVC is one pvc episode, started and ended on the next beat', (t) => {
  const script = beats('NNNNNVNNNNN', 800);
  const events = runScript(script, {}, false);
  const pvc = ofType(events, 'pvc');
  t.deepEqual(pvc.map((e) => e.phase), ['start', 'end']);
  const vBeat = script[5];
  t.is(vBeat.kind === 'beat' ? vBeat.beat.sample : -1, pvc[0].startSample);
  t.is(pvc[0].beats, 1);
  t.is(pvc[0].id, `test:pvc:${pvc[0].startSample}`);
  t.is(pvc[0].id, pvc[1].id);
  t.is(ofType(events, 'couplet').length, 0);
});

test('two ventricular beats in a row are a couplet, not two PVCs', (t) => {
  const events = runScript(beats('NNNNVVNNNN', 800));
  t.is(ofType(events, 'couplet', 'start').length, 1);
  t.is(ofType(events, 'couplet', 'start')[0].beats, 2);
  t.is(ofType(events, 'pvc').length, 0);
});

test('a fast run of three or more V beats is ventricular tachycardia, updated per beat and ended by a normal beat', (t) => {
  // 400 ms between V beats = 150 bpm.
  const events = runScript(beats('NNNNNVVVVVNNN', (_i, l) => (l === 'V' ? 400 : 800)));
  const vt = ofType(events, 'vt');
  t.deepEqual(vt.map((e) => e.phase), ['start', 'update', 'update', 'end']);
  t.is(vt[0].beats, 3);
  t.is(vt.at(-1)!.beats, 5);
  t.true(vt.at(-1)!.hrBpm! > 140 && vt.at(-1)!.hrBpm! < 160);
  t.is(ofType(events, 'v-run').length, 0);
});

test('a slow run of V beats (100 bpm or less) is a v-run, not VT', (t) => {
  const events = runScript(beats('NNNNVVVVNNN', 750));
  t.is(ofType(events, 'v-run', 'start').length, 1);
  t.is(ofType(events, 'vt').length, 0);
});

test('supraventricular beats give apc, sv-couplet and svt the same way', (t) => {
  const events = runScript(beats('NNNNANNNNAANNNNAAAANNN', (_i, l) => (l === 'A' ? 450 : 800)));
  t.is(ofType(events, 'apc', 'start').length, 1);
  t.is(ofType(events, 'sv-couplet', 'start').length, 1);
  t.is(ofType(events, 'svt', 'start').length, 1);
  t.is(ofType(events, 'svt', 'end')[0].beats, 4);
  t.is(ofType(events, 'pvc').length, 0);
});

test('a longer runMinBeats makes three ectopic beats a short run, never a couplet', (t) => {
  const events = runScript(beats('NNNNVVVNNNN', 800), { runMinBeats: 4 });
  t.is(ofType(events, 'couplet').length, 0);
  t.is(ofType(events, 'v-run', 'start').length, 1);
  t.is(ofType(events, 'v-run', 'start')[0].beats, 3);
});

test('an unclassified beat ends a run like any non-ectopic beat', (t) => {
  const events = runScript(beats('NNVVVQVNN', 400));
  t.deepEqual(ofType(events, 'vt').map((e) => e.phase), ['start', 'end']);
  t.is(ofType(events, 'pvc', 'start').length, 1, 'the V after Q stands alone');
});

test('a fast run whose RR intervals differ by more than runTachyMaxRrRatio is a v-run, not VT (an artefact beat between real ones)', (t) => {
  // V beats 300 ms then 700 ms apart: 120 bpm over the run, but the RRs differ 2.3-fold.
  const irregular = beats('NNNNVVVNNN', (i) => (i === 5 ? 300 : i === 6 ? 700 : 800));
  const events = runScript(irregular);
  t.is(ofType(events, 'vt').length, 0);
  t.is(ofType(events, 'v-run', 'start').length, 1, 'still reported, as a run');
  // The same beats with the check relaxed, and a run within the default factor 2, are VT.
  t.is(ofType(runScript(irregular, { runTachyMaxRrRatio: 3 }), 'vt', 'start').length, 1);
  const uneven = beats('NNNNVVVNNN', (i) => (i === 5 ? 350 : i === 6 ? 650 : 800));
  t.is(ofType(runScript(uneven), 'vt', 'start').length, 1, 'RRs 350 and 650 ms (1.86-fold) are VT');
  t.throws(() => runScript([], { runTachyMaxRrRatio: 0 }), { message: /rhythm\.runTachyMaxRrRatio must be a number > 0, got 0/ });
});
