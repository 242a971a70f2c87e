import test from 'ava';
import { SampleFlag } from '../../../agent/src/signal.ts';
import { ByteFaults, faultFlags, parseInterval, parseRate } from '../../../agent/src/cli/simulate/faults.ts';
import { FrameStream } from '../../../agent/src/cli/simulate/frame-stream.ts';
import { OpenViewDecoder, OursDecoder, type DecoderEvent, type SampleBlock } from '../../../agent/src/sources/ads1292/index.ts';

test('intervals and rates parse, and bad ones name the option and the expected form', (t) => {
  t.deepEqual(parseInterval('--lead-off', '10:2.5'), { startSec: 10, durationSec: 2.5 });
  t.throws(() => parseInterval('--lead-off', '10-2'), { message: /--lead-off is '10-2'; expected START:DURATION in seconds/ });
  t.throws(() => parseInterval('--saturate', '3:0'), { message: /--saturate is '3:0'/ });
  t.is(parseRate('--drop-bytes', '0.01'), 0.01);
  t.throws(() => parseRate('--bit-flips', '2'), { message: /--bit-flips is '2'; allowed: a probability per byte from 0 to 1/ });
});

test('fault flags mark exactly the samples of each interval, whatever the chunk', (t) => {
  const lo = [{ startSec: 1, durationSec: 0.5 }];
  const sat = [{ startSec: 1.25, durationSec: 1 }];
  const whole = faultFlags(0, 300, 100, lo, sat);
  const pieces = [faultFlags(0, 113, 100, lo, sat), faultFlags(113, 187, 100, lo, sat)];
  t.deepEqual(Array.from(whole), [...pieces[0], ...pieces[1]]);
  const count = (f: number) => whole.filter((x) => x & f).length;
  t.is(count(SampleFlag.LEAD_OFF), 50);
  t.is(count(SampleFlag.SATURATED), 100);
  t.is(whole[99], 0);
  t.is(whole[100], SampleFlag.LEAD_OFF);
  t.is(whole[130], SampleFlag.LEAD_OFF | SampleFlag.SATURATED);
});

test('byte faults are seeded, and drop and flip at about the requested rates', (t) => {
  const data = new Uint8Array(100_000);
  const a = new ByteFaults(0.01, 0.02, 7);
  const out = a.apply(data);
  t.deepEqual(new ByteFaults(0.01, 0.02, 7).apply(data), out);
  t.is(out.length, data.length - a.dropped);
  t.true(Math.abs(a.dropped / data.length - 0.01) < 0.002);
  t.true(Math.abs(a.flipped / out.length - 0.02) < 0.003);
  t.is(out.filter((b) => b !== 0).length, a.flipped); // each flip sets one bit of a zero byte
  t.is(new ByteFaults(0, 0).apply(data), data);
});

function decode(events: DecoderEvent[]): SampleBlock[] {
  return events.filter((e): e is SampleBlock => e.kind === 'samples');
}

test('frame stream (ours): info first and every second, samples and flags survive the round trip', (t) => {
  const fs = new FrameStream({ format: 'ours', fsHz: 125, samplesPerFrame: 10 });
  const mv = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i / 10));
  const flags = faultFlags(0, 300, 125, [{ startSec: 1, durationSec: 0.4 }], []);
  const frames = [...fs.push(mv.subarray(0, 77), flags.subarray(0, 77)), ...fs.push(mv.subarray(77), flags.subarray(77)), ...fs.flush()];
  const d = new OursDecoder({ settings: { fsHz: 500, gain: [1, 1], vrefV: 4.033 } });
  const evs = frames.flatMap((f) => d.push(f));
  t.deepEqual(evs.filter((e) => e.kind === 'info').length, 3);
  t.is(evs[0].kind, 'info');
  const bs = decode(evs);
  // The ECG on channel 2 (as the ADS1292R and run's default ecgChannel), channel 1 zero and clean.
  const got = bs.flatMap((b) => Array.from(b.mv[1]));
  t.is(got.length, 300);
  got.forEach((v, i) => t.true(Math.abs(v - mv[i]) < 1e-3));
  t.deepEqual(bs.flatMap((b) => Array.from(b.flags[1])), Array.from(flags));
  t.true(bs.every((b) => b.mv[0].every((v) => v === 0) && b.flags[0].every((f) => f === 0)));
  t.true(bs.every((b) => b.fs === 125));
  t.is(d.counters.gaps, 0);
});

test('frame stream (ours) with ecgChannel 1: the ECG and its flags on channel 1, channel 2 zero', (t) => {
  const fs = new FrameStream({ format: 'ours', fsHz: 125, samplesPerFrame: 10, ecgChannel: 1 });
  const mv = Float32Array.from({ length: 100 }, (_, i) => Math.cos(i / 7));
  const flags = faultFlags(0, 100, 125, [], [{ startSec: 0.2, durationSec: 0.1 }]);
  const d = new OursDecoder({ settings: { fsHz: 500, gain: [1, 1], vrefV: 4.033 } });
  const bs = decode([...fs.push(mv, flags), ...fs.flush()].flatMap((f) => d.push(f)));
  const got = bs.flatMap((b) => Array.from(b.mv[0]));
  got.forEach((v, i) => t.true(flags[i] !== 0 || Math.abs(v - mv[i]) < 1e-3));
  t.deepEqual(bs.flatMap((b) => Array.from(b.flags[0])), Array.from(flags));
  t.true(bs.every((b) => b.mv[1].every((v) => v === 0) && b.flags[1].every((f) => f === 0)));
});

test('frame stream (openview): one packet per sample at 125 SPS; other rates refused', (t) => {
  const fs = new FrameStream({ format: 'openview', fsHz: 125 });
  const mv = Float32Array.from({ length: 50 }, (_, i) => i / 50);
  const pkts = fs.push(mv, new Uint8Array(50));
  t.is(pkts.length, 50);
  const bs = decode(pkts.flatMap((p) => new OpenViewDecoder().push(p)));
  t.true(bs.every((b, i) => Math.abs(b.mv[0][0] - mv[i]) < 0.01));
  t.throws(() => new FrameStream({ format: 'openview', fsHz: 500 }), { message: /--rate is 500; OpenView layout 'healthypi-v3' streams at 125 SPS only/ });
});
