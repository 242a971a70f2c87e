import test from 'ava';
import { formatTimeS, parseBeatSelector, selectBeat } from '../../agent/src/explain/beat-select.ts';
import { outputFormatOf } from '../../agent/src/explain/output.ts';
import { UsageError } from '../../agent/src/errors.ts';
import { referenceLabelAt } from '../../agent/src/explain/reference-label.ts';

const R = [0.5, 1.3, 2.1, 2.9, 3.7];

test('--beat N is the N-th detected beat, from 1', (t) => {
  t.is(selectBeat(R, parseBeatSelector('1', undefined), 5, 'r'), 0);
  t.is(selectBeat(R, parseBeatSelector('5', undefined), 5, 'r'), 4);
  t.throws(() => selectBeat(R, parseBeatSelector('6', undefined), 5, 'record 100'), { instanceOf: UsageError, message: '--beat 6: record 100 has 5 detected beats (1 to 5)' });
  for (const bad of ['0', '-1', '1.5', 'x']) t.throws(() => parseBeatSelector(bad, undefined), { instanceOf: UsageError, message: /--beat must be a whole number from 1/ });
});

test('--time T is the detected beat nearest T, in seconds or mm:ss', (t) => {
  const at = (s: string) => selectBeat(R, parseBeatSelector(undefined, s), 5, 'r');
  t.is(at('0'), 0);
  t.is(at('1.69'), 1);
  t.is(at('1.71'), 2);
  t.is(at('1.7'), 1, 'a tie goes to the earlier beat');
  t.is(at('0:02.9'), 3);
  t.is(at('5'), 4);
  t.throws(() => at('0:06'), { instanceOf: UsageError, message: '--time 0:06.000: r lasts 0:05.000 (5.000 s)' });
  t.throws(() => parseBeatSelector(undefined, '1:xx'), { instanceOf: UsageError, message: /--time must be seconds \(12.5\) or mm:ss/ });
  t.throws(() => parseBeatSelector('1', '2'), { instanceOf: UsageError, message: /exactly one of --beat N .* or --time T/ });
  t.throws(() => parseBeatSelector(undefined, undefined), { instanceOf: UsageError });
  t.throws(() => selectBeat([], { beat: 1 }, 5, 'record 9'), { message: 'record 9: the pipeline detected no beats' });
});

test('times print as m:ss.sss, with hours past an hour', (t) => {
  t.is(formatTimeS(65.25), '1:05.250');
  t.is(formatTimeS(3725.5), '1:02:05.500');
  t.is(formatTimeS(0), '0:00.000');
});

test('--out extension picks the format; anything else is refused naming the allowed ones', (t) => {
  t.is(outputFormatOf('a/b.svg'), 'svg');
  t.is(outputFormatOf('b.PNG'), 'png');
  t.is(outputFormatOf('b.json'), 'json');
  t.throws(() => outputFormatOf('b.jpg'), { instanceOf: UsageError, message: "--out b.jpg: unknown extension '.jpg'; it must end in .svg, .png or .json" });
  t.throws(() => outputFormatOf('picture'), { instanceOf: UsageError, message: /unknown extension '\(none\)'/ });
});

test('reference label: the nearest reference beat within 150 ms, else none', (t) => {
  const ref = { samples: [100, 140, 900], symbols: ['N', 'V', 'A'], fs: 360 };
  t.is(referenceLabelAt(ref, 100), 'N');
  t.is(referenceLabelAt(ref, 119), 'N');
  t.is(referenceLabelAt(ref, 120), 'N', 'a tie goes to the earlier');
  t.is(referenceLabelAt(ref, 121), 'V');
  t.is(referenceLabelAt(ref, 900 + 54), 'A', '150 ms = 54 samples at 360 Hz');
  t.is(referenceLabelAt(ref, 900 + 55), null);
  t.is(referenceLabelAt(ref, 50), 'N');
  t.is(referenceLabelAt(ref, 45), null);
  t.is(referenceLabelAt({ samples: [], symbols: [], fs: 360 }, 5), null);
});
