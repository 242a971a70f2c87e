import test from 'ava';
import { SampleFlag } from '../../../agent/src/signal.ts';
import {
  OursDecoder, OursEncoder, encodeDataFrame, crc16CcittFalse, mvPerCode, LeadOff, CODE_MAX, CODE_MIN,
  type Ads1292Settings, type SampleGap, type DeviceInfo,
} from '../../../agent/src/sources/ads1292/index.ts';
import { blocks, codecContract, concat, decodeAll } from './codec-contract.ts';

const settings: Ads1292Settings = { fsHz: 500, gain: [6, 6], vrefV: 2.42 };

/** A deterministic test ECG-like waveform: each sample distinct. */
function wave(start: number, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin((start + i) * 0.05) + (start + i) * 1e-3);
}

function frames(count: number, perFrame = 10): Uint8Array[] {
  const enc = new OursEncoder({ settings, samplesPerFrame: perFrame });
  return enc.push(wave(0, count * perFrame), wave(1000, count * perFrame));
}

codecContract({
  name: 'ours',
  makeDecoder: (now) => new OursDecoder({ settings, now }),
  makeFrames: (n) => frames(n),
  checksummed: true,
});

test('CRC-16/CCITT-FALSE gives the catalogue check value for "123456789"', (t) => {
  t.is(crc16CcittFalse(new TextEncoder().encode('123456789')), 0x29b1);
});

test('a data frame has the documented layout', (t) => {
  const f = encodeDataFrame(0x1234, [{ leadOff: LeadOff.IN2P, gpio: 2, ch1: -2, ch2: 0x123456 }]);
  t.is(f.length, 6 + 9 + 2);
  t.deepEqual(Array.from(f.subarray(0, 6)), [0xa5, 0x5a, 0x01, 0x34, 0x12, 1]);
  // status 1100 | LOFF 00100 | GPIO 10 | 13 zeros = 0xC2 0x40 0x00
  t.deepEqual(Array.from(f.subarray(6, 15)), [0xc2, 0x40, 0x00, 0xff, 0xff, 0xfe, 0x12, 0x34, 0x56]);
  const crc = crc16CcittFalse(f, 2, 15);
  t.deepEqual(Array.from(f.subarray(15)), [crc & 0xff, crc >> 8]);
});

test('encode then decode returns the samples to within half a code', (t) => {
  const d = new OursDecoder({ settings });
  const ch1 = wave(0, 37);
  const ch2 = wave(500, 37);
  const enc = new OursEncoder({ settings, samplesPerFrame: 8 });
  const evs = decodeAll(d, [...enc.push(ch1, ch2), ...enc.flush()]);
  const bs = blocks(evs);
  t.deepEqual(bs.map((b) => b.mv[0].length), [8, 8, 8, 8, 5]);
  t.deepEqual(bs.map((b) => b.start), [0, 8, 16, 24, 32]);
  const lsb = mvPerCode(2.42, 6);
  bs.forEach((b) => b.mv[0].forEach((v, i) => t.true(Math.abs(v - ch1[b.start + i]) <= lsb / 2 + 1e-6)));
  bs.forEach((b) => b.mv[1].forEach((v, i) => t.true(Math.abs(v - ch2[b.start + i]) <= lsb / 2 + 1e-6)));
  t.true(bs.every((b) => b.fs === 500 && b.flags.every((f) => f.every((x) => x === 0))));
  t.is(d.counters.framesGood, 5);
});

test('millivolts follow V = code x VREF / (gain x (2^23 - 1)) for each VREF and gain', (t) => {
  for (const vrefV of [2.42, 4.033]) {
    for (const gain of [1, 2, 3, 4, 6, 8, 12]) {
      const s: Ads1292Settings = { fsHz: 250, gain: [gain, 1], vrefV };
      const f = encodeDataFrame(0, [{ leadOff: 0, gpio: 0, ch1: 1_000_000, ch2: -1 }]);
      const [b] = blocks(new OursDecoder({ settings: s }).push(f));
      t.true(Math.abs(b.mv[0][0] - (1_000_000 * vrefV * 1000) / (gain * 8388607)) < 1e-3);
      t.true(Math.abs(b.mv[1][0] - (-1 * vrefV * 1000) / 8388607) < 1e-9);
    }
  }
});

test('full-scale codes are flagged SATURATED, LOFF bits LEAD_OFF on the right channel', (t) => {
  const f = encodeDataFrame(0, [
    { leadOff: 0, gpio: 0, ch1: CODE_MAX, ch2: 0 },
    { leadOff: 0, gpio: 0, ch1: 0, ch2: CODE_MIN },
    { leadOff: LeadOff.IN1N, gpio: 0, ch1: 5, ch2: 5 },
    { leadOff: LeadOff.IN2P, gpio: 0, ch1: 5, ch2: 5 },
    { leadOff: LeadOff.RLD, gpio: 0, ch1: 5, ch2: 5 },
    { leadOff: 0, gpio: 3, ch1: CODE_MAX - 1, ch2: CODE_MIN + 1 },
  ]);
  const [b] = blocks(new OursDecoder({ settings }).push(f));
  const { SATURATED: S, LEAD_OFF: L } = SampleFlag;
  t.deepEqual(Array.from(b.flags[0]), [S, 0, L, 0, L, 0]);
  t.deepEqual(Array.from(b.flags[1]), [0, S, 0, L, L, 0]);
});

test('the encoder turns flags into LOFF bits and full-scale codes', (t) => {
  const enc = new OursEncoder({ settings, samplesPerFrame: 3 });
  const fl = Uint8Array.of(SampleFlag.LEAD_OFF, SampleFlag.SATURATED, 0);
  const [b] = blocks(new OursDecoder({ settings }).push(concat(enc.push([0.1, -0.2, 0.3], undefined, fl))));
  t.deepEqual(Array.from(b.flags[0]), [SampleFlag.LEAD_OFF, SampleFlag.SATURATED, 0]);
  t.true(Math.abs(b.mv[0][1] - (CODE_MIN * 2420) / (6 * CODE_MAX)) < 1e-3); // negative full scale
});

test('a misaligned status byte makes the whole frame corrupt: no sample from it', (t) => {
  const [a, b, c] = frames(3);
  const bad = b.slice();
  bad[6 + 9] = 0x80; // second conversion's status top nibble is 0x8: misaligned
  // Recompute the CRC so only the status check can catch it.
  const crc = crc16CcittFalse(bad, 2, bad.length - 2);
  bad[bad.length - 2] = crc & 0xff;
  bad[bad.length - 1] = crc >> 8;
  const d = new OursDecoder({ settings });
  const evs = decodeAll(d, [a, bad, c]);
  t.deepEqual(blocks(evs).map((x) => x.start), [0, 20]);
  t.is(d.counters.framesCorrupt, 1);
  t.deepEqual(evs.filter((e) => e.kind === 'gap'), [{ kind: 'gap', start: 10, samples: 10, fs: 500, estimated: false }]);
});

test('sequence gaps are reported with the number of lost samples, also across the 16-bit wrap', (t) => {
  const enc = new OursEncoder({ settings, samplesPerFrame: 7, startSeq: 65530 });
  const fs = enc.push(wave(0, 7 * 6), wave(0, 7 * 6));
  const d = new OursDecoder({ settings });
  // Drop frames 1 and 2 (14 samples) and frame 4 (7 samples); 65530 + 7 wraps in frame 1.
  const evs = decodeAll(d, [fs[0], fs[3], fs[5]]);
  const gaps = evs.filter((e): e is SampleGap => e.kind === 'gap');
  t.deepEqual(gaps.map((g) => [g.start, g.samples]), [[7, 14], [28, 7]]);
  t.deepEqual(blocks(evs).map((b) => b.start), [0, 21, 35]);
  t.is(d.counters.samplesLost, 21);
  t.is(d.counters.gaps, 2);
  t.is(d.counters.framesLost, 3);
});

test('a sequence that goes backwards is reported as a reset, not joined silently', (t) => {
  const d = new OursDecoder({ settings });
  const a = new OursEncoder({ settings, startSeq: 1000 }).push(wave(0, 10));
  const b = new OursEncoder({ settings, startSeq: 0 }).push(wave(0, 10));
  const evs = decodeAll(d, [...a, ...b]);
  t.deepEqual(evs.map((e) => e.kind), ['samples', 'reset', 'samples']);
  t.is(d.counters.resets, 1);
});

test('device info replaces the configured settings', (t) => {
  const device: Ads1292Settings = { fsHz: 250, gain: [12, 3], vrefV: 4.033 };
  const enc = new OursEncoder({ settings: device, firmware: 'bridge 0.3.1' });
  const d = new OursDecoder({ settings });
  const evs = decodeAll(d, [enc.info(), ...enc.push([1.0], [-1.0])]);
  const info = evs[0] as DeviceInfo;
  t.deepEqual(info, { kind: 'info', protocolVersion: 1, fsHz: 250, channels: 2, gain: [12, 3], vrefV: 4.033, firmware: 'bridge 0.3.1' });
  const flush = decodeAll(d, enc.flush());
  const [b] = blocks(flush);
  t.is(b.fs, 250);
  t.true(Math.abs(b.mv[0][0] - 1.0) < mvPerCode(4.033, 12));
  t.true(Math.abs(b.mv[1][0] + 1.0) < mvPerCode(4.033, 3));
});

test('configuration errors name the option and the allowed values', (t) => {
  t.throws(() => new OursDecoder({ settings: { ...settings, fsHz: 360 } }), { message: /"fsHz" is 360; allowed: 125, 250, 500, 1000, 2000, 4000, 8000/ });
  t.throws(() => new OursDecoder({ settings: { ...settings, gain: [6, 5] } }), { message: /"gain\[1\]" is 5; allowed: 1, 2, 3, 4, 6, 8, 12/ });
  t.throws(() => new OursDecoder({ settings: { ...settings, vrefV: 3.3 } }), { message: /"vrefV" is 3.3; allowed: 2.42, 4.033/ });
  t.throws(() => new OursDecoder({ settings, maxSamplesPerFrame: 0 }), { message: /"maxSamplesPerFrame" is 0/ });
  t.throws(() => new OursEncoder({ settings, samplesPerFrame: 300 }), { message: /"samplesPerFrame" is 300/ });
});

test('a sample count over the maximum is an impossible length: resync, the next frame decodes', (t) => {
  const big = frames(1, 40)[0];
  const [ok] = frames(1, 10);
  const d = new OursDecoder({ settings, maxSamplesPerFrame: 32 });
  const evs = decodeAll(d, [big, ok]);
  t.is(blocks(evs).length, 1);
  t.is(blocks(evs)[0].mv[0].length, 10);
  t.is(d.counters.bytesSkipped, big.length);
});
