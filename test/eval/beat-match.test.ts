/**
 * One small hand-made case per rule of bxb's beat-by-beat comparison.
 * At fs = 360 Hz the 150 ms match window is 54 samples.
 */
import test from 'ava';
import { compareBeats, type EvalAnnotation, type MatchOptions } from '../../agent/src/eval/beat-match.ts';
import { lineCounts } from '../../agent/src/eval/confusion.ts';
import { ec57ClassOf } from '../../agent/src/eval/labels.ts';

const fs = 360;
const at = (sample: number, symbol = 'N', subtype?: number): EvalAnnotation =>
  subtype === undefined ? { sample, symbol } : { sample, symbol, subtype };
const beats = (...samples: number[]) => samples.map((s) => at(s));
const fromStart: MatchOptions = { fs, startS: 0 };

/** The non-zero cells of the matrix as 'Rt' keys (reference class, test class). */
function cells(ref: EvalAnnotation[], tst: EvalAnnotation[], options: MatchOptions = fromStart) {
  const { matrix } = compareBeats(ref, tst, options);
  const out: Record<string, number> = {};
  for (const [r, row] of Object.entries(matrix)) {
    for (const [c, n] of Object.entries(row)) if (n) out[`${r}${c.toLowerCase()}`] = n;
  }
  return out;
}

test('identical lists pair every beat', (t) => {
  const r = beats(400, 700, 1000);
  t.deepEqual(cells(r, beats(400, 700, 1000)), { Nn: 3 });
});

test('the match window is 150 ms, inclusive: 54 samples pair, 55 do not', (t) => {
  const toEnd = { ...fromStart, endSample: 2000 };
  t.deepEqual(cells(beats(1000), beats(1054), toEnd), { Nn: 1 });
  t.deepEqual(cells(beats(1000), beats(946), toEnd), { Nn: 1 });
  t.deepEqual(cells(beats(1000), beats(1055), toEnd), { No: 1, On: 1 });
  t.deepEqual(cells(beats(1000), beats(945), toEnd), { On: 1, No: 1 });
  // A wider window (in seconds) changes the sample count.
  t.deepEqual(cells(beats(1000), beats(1055), { ...toEnd, matchWindowS: 0.2 }), { Nn: 1 });
});

test('a missed reference beat pairs with O, an extra test beat with O', (t) => {
  t.deepEqual(cells(beats(400, 700, 1000), beats(400, 1000)), { Nn: 2, No: 1 });
  t.deepEqual(cells(beats(400, 1000), beats(400, 700, 1000)), { Nn: 2, On: 1 });
  const { pairs } = compareBeats(beats(400, 1000), beats(400, 700, 1000), fromStart);
  t.deepEqual(pairs.map((p) => p.kind), ['matched', 'extra', 'matched']);
  t.deepEqual(pairs[1], { kind: 'extra', refSample: null, testSample: 700, ref: 'O', test: 'N' });
});

test('an earlier test beat pairs only if it is closer than the next test beat', (t) => {
  // 960 is in the window of 1000, but 1010 is closer: 960 is extra.
  const c = compareBeats(beats(1000), beats(960, 1010), fromStart);
  t.deepEqual(c.pairs.map((p) => [p.kind, p.testSample]), [['extra', 960], ['matched', 1010]]);
  // An exact tie does not pair the earlier one (strict comparison).
  const tie = compareBeats(beats(1000), beats(970, 1030), fromStart);
  t.deepEqual(tie.pairs.map((p) => [p.kind, p.testSample]), [['extra', 970], ['matched', 1030]]);
});

test('an earlier reference beat pairs only if it is closer than the next reference beat', (t) => {
  const c = compareBeats(beats(960, 1010), beats(1000), fromStart);
  t.deepEqual(c.pairs.map((p) => [p.kind, p.refSample]), [['missed', 960], ['matched', 1010]]);
});

test('beats closer than twice the window: the next pair decides (bxb 2002 amendment)', (t) => {
  // bxb's own example: window 37, ref 96 and 160, test 128 and 185. The first
  // test beat is as close to ref 160 as to ref 96, but ref 160 pairs better with
  // test 185, so 96 and 128 pair; the original rule would miss 96 and add 128.
  const options = { fs, startS: 0, matchWindowS: 37 / fs };
  const c = compareBeats(beats(96, 160), beats(128, 185), options);
  t.is(c.matchWindowSamples, 37);
  t.deepEqual(c.pairs.map((p) => [p.kind, p.refSample, p.testSample]), [['matched', 96, 128], ['matched', 160, 185]]);
  // Roles reversed (case 1 of the loop).
  const r = compareBeats(beats(128, 185), beats(96, 160), options);
  t.deepEqual(r.pairs.map((p) => [p.kind, p.refSample, p.testSample]), [['matched', 128, 96], ['matched', 185, 160]]);
});

test('labels: each reference class against each test label', (t) => {
  const ref = [at(400, 'V'), at(800, 'A'), at(1200, 'F'), at(1600, '/'), at(2000, 'L')];
  const tst = [at(400, 'N'), at(800, 'V'), at(1200, 'F'), at(1600, 'N'), at(2000, 'S')];
  t.deepEqual(cells(ref, tst), { Vn: 1, Sv: 1, Ff: 1, Qn: 1, Ns: 1 });
});

test('bxb counts nodal and atrial escape beats (j, e) as S; the EC57 table as N', (t) => {
  const ref = [at(400, 'j'), at(800, 'e'), at(1200, 'n')];
  const tst = beats(400, 800, 1200);
  t.deepEqual(cells(ref, tst), { Sn: 3 });
  t.deepEqual(cells(ref, tst, { ...fromStart, classOf: ec57ClassOf }), { Nn: 2, Sn: 1 });
});

test('non-beat annotations take no part in the matching', (t) => {
  const ref = [at(10, '+'), at(400), at(500, '~', 1), at(700, '|'), at(1000), at(1010, '"')];
  t.deepEqual(cells(ref, beats(400, 1000)), { Nn: 2 });
  // Even between two beats that would otherwise compete for a test beat.
  t.deepEqual(cells(beats(1000), [at(990, 'x'), at(1001)]), { Nn: 1 });
});

test('flutter waves (!) outside VF are beats without a class: counted in the O row', (t) => {
  t.deepEqual(cells([at(400), at(700, '!')], beats(400, 700)), { Nn: 1, On: 1 });
});

test('test beats inside reference VF are not counted, nor the reference beats inside it', (t) => {
  const ref = [at(400), at(1000, '['), at(1100, '!'), at(1300, 'V'), at(2000, ']'), at(2400)];
  const c = compareBeats(ref, beats(400, 1100, 1500, 2400), fromStart);
  t.deepEqual(cells(ref, beats(400, 1100, 1500, 2400)), { Nn: 2 });
  t.deepEqual(c.pairs.filter((p) => p.kind === 'in-vf').map((p) => p.testSample), [1100, 1500]);
});

test('reference shutdown: unmatched test beats in it pair with X (counted in On\')', (t) => {
  const ref = [at(400), at(1000, '~', -1), at(2000, '~', 0), at(2400)];
  const c = compareBeats(ref, beats(400, 1500, 2400), fromStart);
  t.is(c.matrix.X.N, 1);
  t.is(c.matrix.O.N, 0);
  t.is(lineCounts(c.matrix).On, 1);
});

test('a lone shutdown mark spans the gap between its neighbours, less a window each side', (t) => {
  // Shutdown from 400 + 54 to 2400 - 54: extra test beats at 460 and 2340 are in
  // it, at 440 and 2360 they are not.
  const ref = [at(400), at(1000, '~', 0x30), at(2400)];
  t.deepEqual(cells(ref, beats(400, 460, 2340, 2400)), { Nn: 2, Xn: 2 });
  t.deepEqual(cells(ref, beats(400, 440, 2360, 2400)), { Nn: 2, On: 2 });
});

test('test shutdown: missed reference beats in it pair with X; its duration is reported', (t) => {
  const tst = [at(400), at(1000, '~', 0x30), at(2800, '~', 0), at(3000)];
  const c = compareBeats(beats(400, 1500, 3000), tst, fromStart);
  t.deepEqual(cells(beats(400, 1500, 3000), tst), { Nn: 2, Nx: 1 });
  // (half a second + 1800 samples) truncated to whole seconds, as bxb rounds it.
  t.is(c.shutdownS, Math.trunc((180 + 1800) / 360));
});

test('start: reference beats before it are skipped; the last test beat before it may pair', (t) => {
  const options = { fs, startS: 1 }; // start at sample 360
  t.deepEqual(cells(beats(300, 370, 700), beats(340, 700), options), { Nn: 2 });
  // That earlier test beat does not pair when the next test beat is closer.
  t.deepEqual(cells(beats(300, 370, 700), beats(340, 372, 700), options), { Nn: 2 });
  // Test beats before the start never count as extra.
  t.deepEqual(cells(beats(300, 700), beats(100, 200, 300, 700), options), { Nn: 1 });
});

test('start: a test beat in the first window that fits the next one better is dropped uncounted', (t) => {
  const options = { fs, startS: 1 };
  t.deepEqual(cells(beats(430), beats(365, 425), options), { Nn: 1 });
  // The same beats later in the record: the first is an extra detection.
  t.deepEqual(cells(beats(1430), beats(1365, 1425), options), { Nn: 1, On: 1 });
});

test('end: with the record length, beats after it are not compared', (t) => {
  t.deepEqual(cells(beats(100, 500, 1000), beats(100, 500, 1000), { ...fromStart, endSample: 600 }), { Nn: 2 });
});

test('end: test beats after the last reference beat count only when the end time is known', (t) => {
  t.deepEqual(cells(beats(100), beats(100, 500)), { Nn: 1 });
  t.deepEqual(cells(beats(100), beats(100, 500), { ...fromStart, endSample: 1000 }), { Nn: 1, On: 1 });
});

test('RR error: RMS of reference minus test RR interval over pairs with both valid', (t) => {
  const c = compareBeats(beats(360, 720, 1080), beats(360, 730, 1080), fromStart);
  // The first pair has no previous beat; then (360 - 370) and (360 - 350).
  t.is(c.rrCount, 2);
  t.is(c.rrSumSquares, 200);
  t.is(c.rrErrorMs, (10 * 1000) / 360);
  t.is(compareBeats(beats(360), beats(360), fromStart).rrErrorMs, null);
});

test('RR error: intervals across a reference shutdown are not valid', (t) => {
  const ref = [at(360), at(720), at(800, '~', -1), at(900, '~', 0), at(1080)];
  const c = compareBeats(ref, beats(360, 720, 1080), fromStart);
  t.is(c.rrCount, 1);
  t.is(c.rrSumSquares, 0);
});

test('empty lists give an empty matrix', (t) => {
  t.deepEqual(cells([], []), {});
  t.deepEqual(cells(beats(400), []), { No: 1 });
  t.deepEqual(cells([], beats(400), { ...fromStart, endSample: 1000 }), { On: 1 });
});

test('bad input is refused with the index and what is wrong', (t) => {
  t.throws(() => compareBeats(beats(500, 400), [], fromStart), {
    message: 'reference annotation 1: sample 400 is before the previous one (500); annotations must be in time order',
  });
  t.throws(() => compareBeats([], [at(-3)], fromStart), { message: /test annotation 0: sample -3 is not a non-negative integer/ });
  t.throws(() => compareBeats([], [], { fs: 0 }), { message: /fs must be a positive number of Hz, got 0/ });
  t.throws(() => compareBeats([], [], { fs, startS: 10, endSample: 100 }), { message: /end sample 100 is before the start \(3600\)/ });
});
