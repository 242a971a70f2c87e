import test from 'ava';
import { beats, ofType, runScript } from './script.ts';

test('bigeminy starts after three N-V cycles, updates per cycle and ends when two N beats follow', (t) => {
  const events = runScript(beats(`NNNN${'NV'.repeat(6)}NNNN`, 800));
  const big = ofType(events, 'bigeminy');
  t.deepEqual(big.map((e) => e.phase), ['start', 'update', 'update', 'update', 'end']);
  t.is(big[0].beats, 6, 'three cycles of two beats');
  t.is(big.at(-1)!.beats, 12);
  t.is(ofType(events, 'trigeminy').length, 0);
  t.is(ofType(events, 'pvc', 'start').length, 6, 'each PVC is still reported');
});

test('two N-V cycles are not yet bigeminy', (t) => {
  const events = runScript(beats('NNNNNVNVNNNN', 800));
  t.is(ofType(events, 'bigeminy').length, 0);
});

test('trigeminy is N-N-V repeated; it is not bigeminy', (t) => {
  const events = runScript(beats(`NN${'NNV'.repeat(5)}NNNN`, 800));
  const tri = ofType(events, 'trigeminy');
  t.deepEqual(tri.map((e) => e.phase), ['start', 'update', 'update', 'end']);
  t.is(tri[0].beats, 9);
  t.is(ofType(events, 'bigeminy').length, 0);
});

test('a couplet breaks bigeminy, and a new sequence must build up again', (t) => {
  const events = runScript(beats(`NN${'NV'.repeat(4)}V${'NV'.repeat(2)}NNN`, 800));
  const big = ofType(events, 'bigeminy');
  t.is(big.filter((e) => e.phase === 'start').length, 1);
  t.is(big.filter((e) => e.phase === 'end').length, 1);
});

test('an unclassified beat breaks bigeminy', (t) => {
  const events = runScript(beats(`NN${'NV'.repeat(4)}Q${'NV'.repeat(2)}NN`, 800));
  t.is(ofType(events, 'bigeminy', 'start').length, 1);
  t.is(ofType(events, 'bigeminy', 'end').length, 1);
});
