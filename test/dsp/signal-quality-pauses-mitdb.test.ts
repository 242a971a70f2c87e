/**
 * The quality measure on real sinus pauses: MIT-BIH record 232 (sinus
 * bradycardia with pauses up to ~6 s). A 2-s window that holds no reference
 * beat is electrically quiet there, and must not be judged NOISY (poor signal
 * suppresses the pause alarm). Checked against the same measure with the quiet
 * test off, so the check can fail.
 */
import { mitdb, mitdbDir, testNeeding } from '../helpers/requires.ts';
import { QualityFlag, SignalQuality } from '../../agent/src/dsp/signal-quality.ts';
import { isBeat, MITDB_PRIMARY_LEAD, readAnnotations, readSignal, recordPath } from '../../agent/src/sources/wfdb/index.ts';

const test = testNeeding(mitdb);

/** Judged NOISY at the end of each QRS-free window (blocks of 0.25 s, 2-s window): [noisy, QRS-free windows]. */
async function noisyPauseWindows(quietToQrs?: number): Promise<[number, number]> {
  // Without the quiet test, the VT exceptions (quality-verdict.ts) are off too,
  // as before them: they pass part of these smooth pauses on their own.
  const old = quietToQrs === undefined ? {} : { quietToQrs, minHfToQrs: 0, periodicAcf: Infinity };
  const path = recordPath(mitdbDir, '232');
  const beats = (await readAnnotations(path)).filter((a) => isBeat(a.code)).map((a) => a.sample);
  const fs = 360;
  const q = new SignalQuality({ fs, blockS: 0.25, windowS: 2, ...old });
  let noisy = 0;
  let free = 0;
  let next = 0;
  for await (const chunk of readSignal(path, { signal: MITDB_PRIMARY_LEAD })) {
    for (const b of q.process(chunk.mv, chunk.flags)) {
      const end = b.start + b.flags.length;
      if (end < 2 * fs) continue;
      while (next < beats.length && beats[next] < end - 2 * fs) next++;
      if (next < beats.length && beats[next] < end) continue;
      free++;
      if ((b.flags[b.flags.length - 1] & QualityFlag.NOISY) !== 0) noisy++;
    }
  }
  return [noisy, free];
}

test('record 232: windows inside sinus pauses are not NOISY', async (t) => {
  const [noisy, free] = await noisyPauseWindows();
  const [before, freeBefore] = await noisyPauseWindows(0);
  t.log(`QRS-free 2-s windows: ${free}; NOISY ${noisy} (${before} without the quiet test)`);
  t.is(free, freeBefore);
  t.true(free > 100, `only ${free} QRS-free windows: is this 232?`);
  t.true(noisy <= 0.05 * free, `${noisy} of ${free} QRS-free windows NOISY`);
  t.true(before > 0.5 * free, 'without the quiet test most of them are NOISY (the bug this guards against)');
});
