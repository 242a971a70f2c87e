import test from 'ava';
import { SampleFlag } from '../../../agent/src/signal.ts';
import {
  OpenViewDecoder, OpenViewEncoder, OPENVIEW_PRESETS, resolveLayout, type OpenViewLayout, type SampleGap,
} from '../../../agent/src/sources/ads1292/index.ts';
import { blocks, codecContract, concat, decodeAll } from './codec-contract.ts';

function frames(layout: string, count: number, start = 0): Uint8Array[] {
  const enc = new OpenViewEncoder({ layout });
  const mv = Array.from({ length: count }, (_, i) => Math.sin((start + i) * 0.1) + (start + i) * 0.02);
  return enc.push(mv);
}

for (const layout of Object.keys(OPENVIEW_PRESETS)) {
  codecContract({
    name: `openview ${layout}`,
    makeDecoder: (now) => new OpenViewDecoder({ layout, now }),
    makeFrames: (n) => frames(layout, n),
    checksummed: false,
  });

  test(`openview ${layout}: the preset decodes packets built by the encoder, ECG within half a count`, (t) => {
    const l = OPENVIEW_PRESETS[layout];
    const enc = new OpenViewEncoder({ layout });
    const mv = [0, 0.5, -0.7, 1.2, 2.5];
    const extras = Object.fromEntries(Object.keys(l.extras).map((k, i) => [k, i + 7]));
    const pkts = mv.map((v) => enc.packet(v, 0, extras));
    t.true(pkts.every((p) => p.length === l.payloadBytes + 7 && p[0] === 0x0a && p[1] === 0xfa && p.at(-2) === 0 && p.at(-1) === 0x0b));
    const d = new OpenViewDecoder({ layout });
    const bs = blocks(decodeAll(d, pkts));
    t.deepEqual(bs.map((b) => b.start), [0, 1, 2, 3, 4]);
    bs.forEach((b, i) => {
      t.is(b.fs, 125);
      t.true(Math.abs(b.mv[0][0] - mv[i]) <= l.ecg.mvPerCount / 2 + 1e-6);
      t.deepEqual(b.extras, extras);
    });
  });
}

test('openview healthypi-v3: the lead-status bit becomes LEAD_OFF, full scale SATURATED', (t) => {
  const enc = new OpenViewEncoder({ layout: 'healthypi-v3' });
  const pkts = [enc.packet(0.3, SampleFlag.LEAD_OFF), enc.packet(1, SampleFlag.SATURATED), enc.packet(-1e6), enc.packet(0.3)];
  const bs = blocks(decodeAll(new OpenViewDecoder({ layout: 'healthypi-v3' }), pkts));
  t.deepEqual(bs.map((b) => b.flags[0][0]), [SampleFlag.LEAD_OFF, SampleFlag.SATURATED, SampleFlag.SATURATED, 0]);
  t.is(bs[0].mv[0][0], 0); // the firmware sends a zero ECG on lead-off
  t.is(bs[0].extras?.leadStatus, 1);
});

test('openview: the HealthyPi v3 byte layout matches healthypi3_streaming.ino', (t) => {
  const enc = new OpenViewEncoder({ layout: 'healthypi-v3' });
  const l = OPENVIEW_PRESETS['healthypi-v3'];
  const p = enc.packet(100 * l.ecg.mvPerCount, 0, { resp: -2, heartRate: 72, respRate: 16, spo2: 97, temperatureCentiC: 3650 });
  // DataPacket[0..4] = 0A FA 14 00 02; ECG at [5..6]; resp [7..8]; temp [17..18]; RR [19]; SpO2 [20]; HR [21]; 00 0B at [25..26].
  t.is(p.length, 27);
  t.deepEqual(Array.from(p.subarray(0, 9)), [0x0a, 0xfa, 20, 0, 2, 100, 0, 0xfe, 0xff]);
  t.deepEqual([p[17] | (p[18] << 8), p[19], p[20], p[21]], [3650, 16, 97, 72]);
  t.deepEqual([p[25], p[26]], [0x00, 0x0b]);
});

test('openview: an impossible length resyncs and the following packets decode', (t) => {
  const good = frames('healthypi-v3', 3);
  const liar = Uint8Array.of(0x0a, 0xfa, 0xff, 0x7f, 0x02, 1, 2, 3);
  const d = new OpenViewDecoder({ layout: 'healthypi-v3' });
  const bs = blocks(decodeAll(d, [good[0], liar, good[1], good[2]]));
  t.is(bs.length, 3);
  t.is(d.counters.framesCorrupt, 1);
});

test('openview: corrupt packets between good ones become an estimated gap of their count', (t) => {
  const fs = frames('breakout-2017', 8);
  const bad = [fs[3].slice(), fs[4].slice()];
  bad.forEach((p) => { p[p.length - 1] = 0x0c; }); // broken tails: both packets are rejected
  const d = new OpenViewDecoder({ layout: 'breakout-2017' });
  const evs = decodeAll(d, [fs[0], fs[1], fs[2], ...bad, fs[5], fs[6], fs[7]]);
  const gaps = evs.filter((e): e is SampleGap => e.kind === 'gap');
  t.deepEqual(gaps.map((g) => [g.start, g.samples, g.estimated]), [[3, 2, true]]);
  t.deepEqual(blocks(evs).map((b) => b.start), [0, 1, 2, 5, 6, 7]);
  t.is(d.counters.framesCorrupt, 2);
  t.is(d.counters.samplesLost, 2);
});

test('openview: packets of another type or length are ignored, not samples', (t) => {
  const other = Uint8Array.of(0x0a, 0xfa, 2, 0, 0x01, 9, 9, 0x00, 0x0b);
  const d = new OpenViewDecoder({ layout: 'breakout-2025' });
  const bs = blocks(decodeAll(d, [other, ...frames('breakout-2025', 2)]));
  t.is(bs.length, 2);
  t.is(d.counters.framesIgnored, 1);
});

test('openview: a custom layout is validated, and bad options name the allowed values', (t) => {
  t.throws(() => resolveLayout('healthypi-v9'), { message: /"layout" is 'healthypi-v9'; allowed: breakout-2017, healthypi-v3, breakout-2025/ });
  const bad: OpenViewLayout = { ...OPENVIEW_PRESETS['breakout-2025'], name: 'mine', extras: { hr: { offset: 8, type: 'i16le' } } };
  t.throws(() => new OpenViewDecoder({ layout: bad }), { message: /layout 'mine': "hr.offset" 8 \(i16le\) does not fit in a 9-byte payload/ });
  t.throws(() => new OpenViewDecoder({ maxPayloadBytes: 4 }), { message: /"maxPayloadBytes" is 4; allowed: an integer 20..65535/ });
  const mine: OpenViewLayout = { name: 'mine', packetType: 2, payloadBytes: 4, fsHz: 250, ecg: { offset: 2, type: 'i16le', mvPerCount: 0.01 }, extras: {} };
  const [b] = blocks(new OpenViewDecoder({ layout: mine }).push(concat(new OpenViewEncoder({ layout: mine }).push([1.23]))));
  t.is(b.fs, 250);
  t.true(Math.abs(b.mv[0][0] - 1.23) < 0.006);
});
