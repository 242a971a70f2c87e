import test from 'ava';
import fc from 'fast-check';
import {
  aamiClass, codeOf, decodeAnnotations, encodeAnnotations, isBeat, isQrs, readAnnotations, symbolOf,
  writeAnnotations, WfdbError, type Annotation, type AnnotationInput,
} from '../../../agent/src/sources/wfdb/index.ts';
import { tempDir } from './fixtures.ts';

/** Little-endian words to bytes, for hand-written files. */
function words(...ws: number[]): Uint8Array {
  return Uint8Array.from(ws.flatMap((w) => [w & 0xff, (w >> 8) & 0xff]));
}

/** What a list should read back as: chan/num/subtype defaults filled in, symbol added. */
function expected(list: AnnotationInput[]): Partial<Annotation>[] {
  return list.map((a) => ({
    sample: a.sample, code: a.code, symbol: symbolOf(a.code), subtype: a.subtype ?? 0, chan: a.chan ?? 0, num: a.num ?? 0,
    ...(a.aux === undefined ? {} : { aux: a.aux }),
  }));
}

function withoutAuxBytes(list: Annotation[]): Partial<Annotation>[] {
  return list.map(({ auxBytes, ...rest }) => rest);
}

test('the mnemonic table is WFDB\'s and symbols map back to codes', (t) => {
  const table = 'N=1,L=2,R=3,a=4,V=5,F=6,J=7,A=8,S=9,E=10,j=11,/=12,Q=13,~=14,|=16,s=18,T=19,*=20,D=21,"=22,==23,'
    + 'p=24,B=25,^=26,t=27,+=28,u=29,?=30,!=31,[=32,]=33,e=34,n=35,@=36,x=37,f=38,(=39,)=40,r=41';
  for (const entry of table.split(',')) {
    const symbol = entry.slice(0, entry.lastIndexOf('='));
    const code = Number(entry.slice(entry.lastIndexOf('=') + 1));
    t.is(symbolOf(code), symbol);
    t.is(codeOf(symbol), code);
  }
  t.is(symbolOf(45), '[45]');
  t.is(codeOf('Z'), undefined);
});

test('isBeat is PhysioNet\'s beat list; isQrs adds the flutter wave; AAMI classes as de Chazal', (t) => {
  const beats = 'N L R B A a J S V r F e j n E / f Q ?'.split(' ');
  for (let code = 0; code <= 49; code++) {
    t.is(isBeat(code), beats.includes(symbolOf(code)), symbolOf(code));
    t.is(isQrs(code), beats.includes(symbolOf(code)) || symbolOf(code) === '!', symbolOf(code));
  }
  const classes: Record<string, string> = { N: 'NLRej', S: 'AaJS', V: 'VE', F: 'F', Q: '/fQ' };
  for (const [cls, symbols] of Object.entries(classes)) {
    for (const s of symbols) {
      t.is(aamiClass(s) as string | undefined, cls, s);
      t.is(aamiClass(codeOf(s)!) as string | undefined, cls, s);
    }
  }
  for (const s of ['+', '~', '|', 'x', '!', 'B']) t.is(aamiClass(s), undefined, s);
});

test('encodes by hand-checked words: time in the low 10 bits, SKIP as high word first, AUX padded', (t) => {
  const bytes = encodeAnnotations([
    { sample: 100, code: 1 },
    { sample: 70100, code: 5, chan: 1 },
    { sample: 70100, code: 28, aux: '(AB', num: -1 },
  ]);
  t.deepEqual([...bytes], [
    0x64, 0x04, // N (1 << 10) + 100
    0x00, 0xec, 0x01, 0x00, 0x70, 0x11, // SKIP (59 << 10), 70000 = 0x00011170: high word 0x0001, then 0x1170
    0x00, 0x14, 0x01, 0xf8, // V (5 << 10) + 0, CHN (62 << 10) + 1
    0x00, 0x70, 0x00, 0xf8, 0xff, 0xf3, // + (28 << 10) + 0, CHN 0 (absent chan is 0), NUM (60 << 10) + 0x3ff (-1)
    0x03, 0xfc, 0x28, 0x41, 0x42, 0x00, // AUX (63 << 10) + 3, '(AB', pad byte
    0x00, 0x00, // end of file
  ]);
});

test('chan and num persist until changed; subtype and aux do not', (t) => {
  const file = words(
    (1 << 10) | 10, (61 << 10) | 3, (62 << 10) | 2, (60 << 10) | 7, // N @10 subtype 3 chan 2 num 7 (putann's order)
    (5 << 10) | 10, // V @20 inherits chan 2, num 7, subtype back to 0
    (1 << 10) | 5, (62 << 10) | 0, // N @25 chan back to 0, num still 7
    0,
  );
  t.deepEqual(withoutAuxBytes(decodeAnnotations(file, 'x.atr')), [
    { sample: 10, code: 1, symbol: 'N', subtype: 3, chan: 2, num: 7 },
    { sample: 20, code: 5, symbol: 'V', subtype: 0, chan: 2, num: 7 },
    { sample: 25, code: 1, symbol: 'N', subtype: 0, chan: 0, num: 7 },
  ]);
  t.deepEqual([...encodeAnnotations(decodeAnnotations(file, 'x.atr'))], [...file]);
});

test('a synthetic list with long gaps, aux strings, chan/num/subtype changes and code 0 round-trips', (t) => {
  const list: AnnotationInput[] = [
    { sample: 0, code: 28, aux: '(N' },
    { sample: 1023, code: 1 },
    { sample: 2047, code: 1 }, // gap 1024: first one needing SKIP
    { sample: 2047, code: 5, chan: 1 }, // same sample, other channel
    { sample: 2047 + 65536 + 17, code: 14, subtype: -1, chan: 1 },
    { sample: 2047 + 65536 + 17 + 3_000_000, code: 28, aux: '(AFIB' },
    { sample: 3_100_000, code: 22, aux: 'x'.repeat(255), num: 12 },
    { sample: 3_100_001, code: 0, num: 12 }, // code 0: written after a SKIP so its word is never 0
    { sample: 3_100_001, code: 0, num: -512 }, // and at delta 0: SKIP -1 then +1
    { sample: 3_100_500, code: 41, num: 511, chan: 1023, subtype: 511 },
    { sample: 3_000_000, code: 1 }, // out of order: a negative SKIP, as putann writes it
    { sample: 2 ** 31 - 1, code: 1 }, // the largest gap a 32-bit SKIP holds
  ];
  const bytes = encodeAnnotations(list);
  const back = decodeAnnotations(bytes, 'synthetic');
  t.deepEqual(withoutAuxBytes(back), expected(list));
  t.deepEqual([...encodeAnnotations(back)], [...bytes]);
  t.deepEqual([...back[6].auxBytes!], [...Buffer.from('x'.repeat(255), 'latin1')]);
});

test('aux bytes with a trailing NUL are kept exactly, and text edits win over stale bytes', (t) => {
  const withNul = words(28 << 10 | 18, (63 << 10) | 3, 0x4e28, 0x0000, 0);
  const [a] = decodeAnnotations(withNul, 'nul.atr');
  t.is(a.aux, '(N');
  t.deepEqual([...a.auxBytes!], [0x28, 0x4e, 0x00]);
  t.deepEqual([...encodeAnnotations([a])], [...withNul]);
  const edited = decodeAnnotations(encodeAnnotations([{ ...a, aux: '(AFIB' }]), 'edited');
  t.is(edited[0].aux, '(AFIB');
  t.deepEqual([...edited[0].auxBytes!], [...Buffer.from('(AFIB')]);
});

test('random annotation lists round-trip through encode and decode', (t) => {
  const annotation = fc.record({
    gap: fc.oneof(fc.integer({ min: 0, max: 1100 }), fc.integer({ min: 0, max: 5_000_000 })),
    code: fc.integer({ min: 0, max: 49 }),
    subtype: fc.integer({ min: -512, max: 511 }),
    chan: fc.integer({ min: 0, max: 3 }),
    num: fc.integer({ min: -2, max: 2 }),
    aux: fc.option(fc.string({ unit: fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), maxLength: 20 }), { nil: undefined }),
  });
  fc.assert(fc.property(fc.array(annotation, { maxLength: 40 }), (specs) => {
    let sample = 0;
    const list: AnnotationInput[] = specs.map(({ gap, aux, ...rest }) => ({
      sample: (sample += gap), ...rest, ...(aux ? { aux } : {}),
    }));
    const back = decodeAnnotations(encodeAnnotations(list), 'random');
    t.deepEqual(withoutAuxBytes(back), expected(list));
  }), { numRuns: 200 });
});

test('bad annotation files name the file, the byte and the problem', (t) => {
  const cases: [Uint8Array, RegExp][] = [
    [words((1 << 10) | 5), /^x\.atr: the data ends without the end-of-file word \(0 0\) at byte 2; the file is truncated/],
    [new Uint8Array(0), /^x\.atr: the data ends without the end-of-file word \(0 0\) at byte 0/],
    [words(59 << 10, 1), /^x\.atr: a SKIP interval is cut short at byte 2/],
    [words((1 << 10) | 5, (63 << 10) | 9, 0x4141), /^x\.atr: an aux string of 9 bytes is cut short at byte 4/],
  ];
  for (const [bytes, message] of cases) {
    const err = t.throws(() => decodeAnnotations(bytes, 'x.atr'), { instanceOf: WfdbError });
    t.regex(err!.message, message);
  }
});

test('the writer refuses what the format cannot hold, naming the annotation', (t) => {
  const cases: [AnnotationInput[], RegExp][] = [
    [[{ sample: 5, code: 50 }], /^out: annotation 0 \(sample 5\): code must be an integer in 0\.\.49, got 50$/],
    [[{ sample: 5, code: 1 }, { sample: -1, code: 1 }], /annotation 1 \(sample -1\): sample must be a non-negative integer/],
    [[{ sample: 5, code: 1, chan: 1024 }], /chan must be an integer in 0\.\.1023, got 1024/],
    [[{ sample: 5, code: 1, aux: 'y'.repeat(256) }], /aux is 256 bytes, at most 255 fit/],
    [[{ sample: 5, code: 1, aux: 'µs ok, € not' }], /aux "µs ok, € not" has a character beyond latin1 at position 7/],
    [[{ sample: 2 ** 31, code: 1 }], /the gap of 2147483648 samples .* does not fit a 32-bit SKIP/],
  ];
  for (const [list, message] of cases) {
    t.regex(t.throws(() => encodeAnnotations(list, 'out'), { instanceOf: WfdbError })!.message, message);
  }
});

test('writeAnnotations and readAnnotations go through <record>.<annotator>', async (t) => {
  const tmp = await tempDir();
  try {
    const list = [{ sample: 3, code: 1 }, { sample: 5000, code: 8 }];
    const path = await writeAnnotations(`${tmp.dir}/r1`, 'test', list);
    t.is(path, `${tmp.dir}/r1.test`);
    t.deepEqual(withoutAuxBytes(await readAnnotations(`${tmp.dir}/r1`, 'test')), expected(list));
    const err = await t.throwsAsync(readAnnotations(`${tmp.dir}/r1`), { instanceOf: WfdbError });
    t.true(err!.message.startsWith(`${tmp.dir}/r1.atr: cannot read the annotation file`));
  } finally {
    await tmp.remove();
  }
});
