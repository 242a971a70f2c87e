/**
 * Contract every ADS1292 wire decoder passes (STYLE.md: one shared suite per
 * interface): chunking does not matter, garbage and text banners are skipped,
 * sync comes back within two frames, partial frames time out, and no corruption
 * ever throws or produces a sample that was not in an intact frame.
 */
import test from 'ava';
import fc from 'fast-check';
import type { DecoderEvent, FrameDecoder, SampleBlock } from '../../../agent/src/sources/ads1292/index.ts';

export interface CodecUnderTest {
  name: string;
  /** A decoder reading the clock `now`. */
  makeDecoder(now: () => number): FrameDecoder;
  /** `count` intact, distinct frames (each frame's samples differ from every other's). */
  makeFrames(count: number): Uint8Array[];
  /**
   * Whether frames carry a checksum. Without one (OpenView) a byte changed, or
   * dropped and replaced, inside a payload is undetectable by construction: the
   * no-phantom-sample property is then checked for garbage between frames and a
   * single dropped run (both change a frame's length), and every kind of
   * corruption is still checked never to throw.
   */
  checksummed: boolean;
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

export function decodeAll(d: FrameDecoder, chunks: Uint8Array[]): DecoderEvent[] {
  return chunks.flatMap((c) => d.push(c));
}

export function blocks(evs: DecoderEvent[]): SampleBlock[] {
  return evs.filter((e): e is SampleBlock => e.kind === 'samples');
}

/** Identity of a block's content, independent of its start index. */
export function blockKey(b: SampleBlock): string {
  return JSON.stringify([b.mv.map((a) => Array.from(a)), b.flags.map((a) => Array.from(a)), b.extras ?? null]);
}

type Corruption =
  | { kind: 'garbage'; at: number; bytes: Uint8Array }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'drop'; at: number; count: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

function corrupt(data: Uint8Array, cs: Corruption[]): Uint8Array {
  let bytes = Array.from(data);
  for (const c of cs) {
    const at = bytes.length === 0 ? 0 : c.at % (bytes.length + 1);
    if (c.kind === 'flip') { if (bytes.length > 0) bytes[at % bytes.length] ^= 1 << c.bit; }
    else if (c.kind === 'drop') bytes.splice(at, c.count);
    else bytes.splice(at, 0, ...c.bytes);
  }
  return Uint8Array.from(bytes);
}

export function codecContract(c: CodecUnderTest): void {
  const fixedClock = () => 0;

  test(`${c.name}: splitting the input at every boundary gives identical output`, (t) => {
    const stream = concat([new TextEncoder().encode('boot v1.2\r\n'), ...c.makeFrames(4)]);
    const whole = decodeAll(c.makeDecoder(fixedClock), [stream]);
    t.is(blocks(whole).length > 0, true);
    for (let cut = 0; cut <= stream.length; cut++) {
      const split = decodeAll(c.makeDecoder(fixedClock), [stream.subarray(0, cut), stream.subarray(cut)]);
      t.deepEqual(split, whole, `cut at ${cut}`);
    }
    const bytewise = decodeAll(c.makeDecoder(fixedClock), Array.from(stream, (b) => Uint8Array.of(b)));
    t.deepEqual(bytewise, whole);
  });

  test(`${c.name}: a text banner and garbage before frames are skipped and counted`, (t) => {
    const frames = c.makeFrames(3);
    const banner = new TextEncoder().encode('ADS1292R ready\r\nlead-off check... ok\r\n');
    const d = c.makeDecoder(fixedClock);
    const clean = blocks(decodeAll(c.makeDecoder(fixedClock), frames));
    const got = blocks(decodeAll(d, [banner, ...frames]));
    t.deepEqual(got.map(blockKey), clean.map(blockKey));
    t.is(d.counters.bytesSkipped, banner.length);
    t.is(d.counters.framesGood, frames.length);
  });

  test(`${c.name}: a partial frame that does not complete within the timeout is dropped`, (t) => {
    let nowMs = 0;
    const d = c.makeDecoder(() => nowMs);
    const [a, b] = c.makeFrames(2);
    const clean = blocks(decodeAll(c.makeDecoder(fixedClock), [b]));
    t.deepEqual(d.push(a.subarray(0, a.length - 1)), []);
    nowMs = 10_000;
    // The last byte of `a` arrives too late: it must not complete the stale frame.
    const got = blocks(d.push(concat([a.subarray(a.length - 1), b])));
    t.deepEqual(got.map(blockKey), clean.map(blockKey));
    t.is(d.counters.partialTimeouts, 1);
    t.is(d.counters.framesGood, 1);
  });

  test(`${c.name}: poll() drops a stale partial frame without new data`, (t) => {
    let nowMs = 0;
    const d = c.makeDecoder(() => nowMs);
    const [a] = c.makeFrames(1);
    d.push(a.subarray(0, 3));
    nowMs = 10_000;
    d.poll();
    t.is(d.counters.partialTimeouts, 1);
    t.is(d.counters.bytesSkipped, 3);
  });

  test(`${c.name}: property: after arbitrary garbage, every frame from the third on is decoded`, (t) => {
    const frames = c.makeFrames(14);
    const reference = blocks(decodeAll(c.makeDecoder(fixedClock), frames)).map(blockKey);
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 4 }), fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 50 }),
      (k, garbage, chunk) => {
        const stream = concat([...frames.slice(0, k), garbage, ...frames.slice(k)]);
        const chunks: Uint8Array[] = [];
        for (let i = 0; i < stream.length; i += chunk) chunks.push(stream.subarray(i, i + chunk));
        const got = new Set(blocks(decodeAll(c.makeDecoder(fixedClock), chunks)).map(blockKey));
        return reference.slice(k + 2).every((key) => got.has(key));
      },
    ), { numRuns: 150 });
    t.pass();
  });

  test(`${c.name}: property: corruption never throws and never yields a sample not in an intact frame`, (t) => {
    const frames = c.makeFrames(8);
    const reference = new Set(blocks(decodeAll(c.makeDecoder(fixedClock), frames)).map(blockKey));
    const total = concat(frames).length;
    const boundaries = frames.map((_, i) => concat(frames.slice(0, i)).length);
    const anyCorruption: fc.Arbitrary<Corruption> = fc.oneof(
      fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(total), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat(total), count: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(total), bytes: fc.uint8Array({ minLength: 1, maxLength: 3 }) }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(total), bit: fc.integer({ min: 0, max: 7 }) }),
    );
    const lengthChanging: fc.Arbitrary<Corruption[]> = fc.tuple(
      fc.array(fc.record({
        kind: fc.constant('garbage' as const), at: fc.constantFrom(...boundaries), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
      }), { maxLength: 2 }),
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat(total), count: fc.integer({ min: 1, max: 12 }) }),
    ).map(([garbage, drop]) => [drop, ...garbage.sort((a, b) => b.at - a.at)]);
    const run = (cs: Corruption[], chunk: number, checkPhantoms: boolean) => {
      const stream = corrupt(concat(frames), cs);
      const d = c.makeDecoder(fixedClock);
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < stream.length; i += chunk) chunks.push(stream.subarray(i, i + chunk));
      const got = blocks(decodeAll(d, chunks));
      return !checkPhantoms || (got.every((b) => reference.has(blockKey(b))) && d.counters.framesGood <= frames.length);
    };
    const chunkSize = fc.integer({ min: 1, max: 64 });
    fc.assert(fc.property(fc.array(anyCorruption, { minLength: 1, maxLength: 6 }), chunkSize,
      (cs, chunk) => run(cs, chunk, c.checksummed)), { numRuns: 300 });
    if (!c.checksummed) {
      fc.assert(fc.property(lengthChanging, chunkSize, (cs, chunk) => run(cs, chunk, true)), { numRuns: 300 });
    }
    t.pass();
  });

  test(`${c.name}: property: arbitrary bytes never throw`, (t) => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
      const d = c.makeDecoder(fixedClock);
      decodeAll(d, chunks);
      d.poll();
      return true;
    }), { numRuns: 300 });
    t.pass();
  });
}
