import test from 'ava';
import { baseWallMs, findSignal, parseHeader, readHeader, WfdbError } from '../../../agent/src/sources/wfdb/index.ts';
import { tempDir } from './fixtures.ts';

const full = [
  '# leading comment',
  'rec01 3 360/3600(12) 650000 13:05:07.5 25/12/1980',
  'rec01.dat 212 200(1000)/mV 11 1024 995 -22131 0 MLII',
  'rec01.dat 212:3 0 11 1024 1011 20052 0 V5',
  'other.dat 16x4+512 12.5/uV 16 0 -7 123 512 lead aVR, inverted',
  '# 69 M 1085 1629 x1',
  '',
];

for (const eol of ['\n', '\r\n']) {
  test(`parses every record and signal field (${eol === '\n' ? 'LF' : 'CRLF'})`, (t) => {
    const h = parseHeader(full.join(eol), 'rec01.hea');
    t.is(h.recordName, 'rec01');
    t.is(h.fs, 360);
    t.is(h.counterFreq, 3600);
    t.is(h.baseCounter, 12);
    t.is(h.nsamp, 650000);
    t.is(h.baseTime, '13:05:07.5');
    t.is(h.baseDate, '25/12/1980');
    t.deepEqual(h.comments, ['leading comment', '69 M 1085 1629 x1']);
    t.is(h.signals.length, 3);
    const [a, b, c] = h.signals;
    t.like(a, {
      index: 0, line: 3, fileName: 'rec01.dat', format: 212, samplesPerFrame: 1, skew: 0, byteOffset: 0,
      adcGain: 200, adcGainDefaulted: false, baseline: 1000, units: 'mV', adcResolution: 11, adcZero: 1024,
      initialValue: 995, checksum: -22131, blockSize: 0, description: 'MLII',
    });
    // gain 0 means "not given": WFDB's default 200, baseline falls back to ADC zero.
    t.like(b, { skew: 3, adcGain: 200, adcGainDefaulted: true, baseline: 1024, description: 'V5' });
    t.like(c, {
      fileName: 'other.dat', format: 16, samplesPerFrame: 4, byteOffset: 512, adcGain: 12.5, units: 'uV',
      baseline: 0, initialValue: -7, checksum: 123, blockSize: 512, description: 'lead aVR, inverted',
    });
  });
}

test('minimal lines take the WFDB defaults', (t) => {
  const h = parseHeader('r 2\nr.dat 80\nr.dat 310\n', 'r.hea');
  t.is(h.fs, 250);
  t.is(h.counterFreq, 250);
  t.is(h.nsamp, undefined);
  t.like(h.signals[0], { adcGain: 200, baseline: 0, units: 'mV', adcResolution: 8, initialValue: 0, description: '' });
  t.is(h.signals[1].adcResolution, 10);
  t.is(h.signals[1].checksum, undefined);
});

const bad: [string, string, RegExp][] = [
  ['a signal line with one field', '100 2 360 650000\n100.dat\n100.dat 212\n',
    /^100\.hea line 2: expected at least 2 fields \(file name, format\), got 1$/],
  ['a record line with one field', '# c\n100\n', /^100\.hea line 2: expected at least 2 fields \(record name, number of signals\), got 1$/],
  ['an unparsable format', '100 1\n100.dat 212q\n', /^100\.hea line 2: field 2 \(format\): expected a format such as 212.*got "212q"$/],
  ['an unparsable gain', '100 1\n100.dat 212 abc\n', /^100\.hea line 2: field 3 \(ADC gain\): expected a gain such as 200.*got "abc"$/],
  ['a non-integer ADC zero', '100 1\n100.dat 212 200 11 1.5\n', /^100\.hea line 2: field 5 \(ADC zero\): expected an integer, got "1\.5"$/],
  ['a bad sampling frequency', '100 1 fast\n100.dat 212\n', /^100\.hea line 1: field 3 \(sampling frequency\): expected a frequency/],
  ['a bad signal count', '100 two\n', /^100\.hea line 1: field 2 \(number of signals\): expected a non-negative integer, got "two"$/],
  ['too few signal lines', '100 2 360\n100.dat 212\n', /^100\.hea: the record line says 2 signals, but only 1 signal line follows$/],
  ['too many signal lines', '100 1 360\n100.dat 212\n100.dat 212\n', /^100\.hea line 3: the record line says 1 signal, but this is signal line 2$/],
  ['a multi-segment record', '100/3 2 360\n', /^100\.hea line 1: record "100\/3" is a multi-segment record/],
  ['no record line', '# only a comment\n', /^100\.hea: no record line/],
];
for (const [what, text, message] of bad) {
  test(`rejects ${what}, naming file, line and what was expected`, (t) => {
    const err = t.throws(() => parseHeader(text, '100.hea'), { instanceOf: WfdbError });
    t.regex(err!.message, message);
    t.is(err!.file, '100.hea');
  });
}

test('findSignal picks by description or index, and names the choices when absent', (t) => {
  const h = parseHeader('114 2 360 10\n114.dat 212 200 11 1024 0 0 0 V5\n114.dat 212 200 11 1024 0 0 0 MLII\n', '114.hea');
  t.is(findSignal(h, 'MLII'), 1);
  t.is(findSignal(h, 0), 0);
  t.is(findSignal(h, ['V2', 'MLII', 'V5']), 1);
  t.is(t.throws(() => findSignal(h, ['V1', 'V2']))!.message, '114.hea: no signal named "V1" or "V2"; the record has 0: V5, 1: MLII');
  t.is(t.throws(() => findSignal(h, 'V1'))!.message, '114.hea: no signal named "V1"; the record has 0: V5, 1: MLII');
  t.regex(t.throws(() => findSignal(h, 2))!.message, /no signal 2; the record has 2 \(0: V5, 1: MLII\)/);
});

test('readHeader reads <record>.hea and reports a missing file by name', async (t) => {
  const tmp = await tempDir();
  try {
    await tmp.write('x.hea', 'x 1 500 3\r\nx.dat 16 1000 16 0 5 0 0 ECG\r\n');
    const h = await readHeader(`${tmp.dir}/x`);
    t.is(h.headerPath, `${tmp.dir}/x.hea`);
    t.like(h.signals[0], { adcGain: 1000, description: 'ECG', initialValue: 5 });
    await tmp.write('short.hea', 'short 2 360 100\r\nshort.dat 212 200 11 1024 0 0 0 MLII\r\nshort.dat\r\n');
    const short = await t.throwsAsync(readHeader(`${tmp.dir}/short`), { instanceOf: WfdbError });
    t.is(short!.message, `${tmp.dir}/short.hea line 3: expected at least 2 fields (file name, format), got 1`);
    const err = await t.throwsAsync(readHeader(`${tmp.dir}/missing`), { instanceOf: WfdbError });
    t.true(err!.message.startsWith(`${tmp.dir}/missing.hea: cannot read the header`));
  } finally {
    await tmp.remove();
  }
});

test('baseWallMs reads base time and date as UTC, and needs both', (t) => {
  const at = (line: string) => baseWallMs(parseHeader(`${line}\nr.dat 16\n`, 'r.hea'));
  t.is(at('r 1 360 10 13:05:07.5 25/12/1980'), Date.UTC(1980, 11, 25, 13, 5, 7, 500));
  t.is(at('r 1 360 10 05:07 01/02/2003'), Date.UTC(2003, 1, 1, 0, 5, 7)); // WFDB reads mm:ss
  t.is(at('r 1 360 10 13:05:07'), undefined);
  t.is(at('r 1 360 10'), undefined);
});
