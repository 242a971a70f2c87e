import test from 'ava';
import { lastValueFrom, toArray } from 'rxjs';
import { framedSyntheticEcg$, periodicEctopics, SYNTHETIC_ECG_CHANNEL, syntheticSettings } from '../../agent/src/sources/framed-synthetic.ts';
import { openSource } from '../../agent/src/sources/open-source.ts';
import { synthesize } from '../../agent/src/sources/synthetic.ts';
import { mvPerCode } from '../../agent/src/sources/ads1292/index.ts';
import { parseConfig } from '../../agent/src/config/load.ts';
import type { SampleChunk } from '../../agent/src/signal.ts';

function joined(chunks: SampleChunk[]): Float32Array {
  const out = new Float32Array(chunks.reduce((n, c) => n + c.mv.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c.mv, at); at += c.mv.length; }
  return out;
}

test('the synthetic ECG through the frame codec comes back on the stream clock, equal to the source within one code step', async (t) => {
  const options = { fs: 500, seed: 3, hrMeanBpm: 70 };
  const framed = framedSyntheticEcg$(options, { pace: 'fast', durationSec: 12 });
  const chunks = await lastValueFrom(framed.chunks$.pipe(toArray()));
  // Contiguous indices from 0, the source's rate, wall time from the source clock.
  let next = 0;
  for (const c of chunks) {
    t.is(c.start, next);
    t.is(c.fs, 500);
    next += c.mv.length;
  }
  t.is(next, 12 * 500);
  const truth = synthesize(options, 12).chunk.mv;
  const got = joined(chunks);
  const step = mvPerCode(2.42, syntheticSettings(500).gain[SYNTHETIC_ECG_CHANNEL - 1]);
  let worst = 0;
  for (let i = 0; i < truth.length; i++) worst = Math.max(worst, Math.abs(got[i] - truth[i]));
  t.true(worst <= step, `worst error ${worst} mV, step ${step} mV`);
  const c = framed.counters()!;
  t.is(c.framesCorrupt, 0);
  t.is(c.framesLost, 0);
  t.is(c.framesGood, 12 * 50 + 13); // 10 conversions a frame; info at the start and as each second 1..12 is reached
});

test('periodic ectopics: in time order, PVC wins a shared second, none when the period is 0', (t) => {
  t.deepEqual(periodicEctopics(20, 0, 70), [{ kind: 'V', atSec: 20 }, { kind: 'V', atSec: 40 }, { kind: 'V', atSec: 60 }]);
  t.deepEqual(periodicEctopics(20, 30, 65).map((e) => `${e.kind}${e.atSec}`), ['V20', 'A30', 'V40', 'V60']);
  t.deepEqual(periodicEctopics(0, 0, 100), []);
});

test('openSource describes each source; the default config opens the framed synthetic source', async (t) => {
  const defaults = await parseConfig({}, 'test');
  const synthetic = openSource(defaults.source, { fast: true, durationSec: 2 });
  t.regex(synthetic.description, /synthetic ECG 500 SPS, 72 bpm, seed 1, through the ADS1292 frame codec \(ECG on channel 2\)/);
  const chunks = await lastValueFrom(synthetic.chunks$.pipe(toArray()));
  t.is(chunks.reduce((n, c) => n + c.mv.length, 0), 1000);
  t.true(synthetic.counters().framesGood > 0);
  const unframed = await parseConfig({ source: { type: 'synthetic', framed: false } }, 'test');
  t.regex(openSource(unframed.source).description, /unframed/);
  const serial = await parseConfig({ source: { type: 'serial', path: '/dev/ttyUSB0' } }, 'test');
  t.is(openSource(serial.source).description, 'serial /dev/ttyUSB0 at 115200 baud, ours format, ECG on channel 2');
  const wfdb = await parseConfig({ source: { type: 'wfdb', record: 'x/208', speed: 'fast' } }, 'test');
  t.is(openSource(wfdb.source).description, 'WFDB record x/208 (MLII + the other signal), as fast as consumed');
  const oneLead = await parseConfig({ source: { type: 'wfdb', record: 'x/208', secondSignal: 'none' } }, 'test');
  t.is(openSource(oneLead.source).description, 'WFDB record x/208 (MLII), real time');
  const twoChannels = await parseConfig({ source: { type: 'serial', path: '/dev/ttyUSB0', ecgChannel: 1, secondEcgChannel: 2 } }, 'test');
  t.is(openSource(twoChannels.source).description, 'serial /dev/ttyUSB0 at 115200 baud, ours format, ECG on channel 1, second ECG lead on channel 2');
});

test('a missing WFDB record errors the stream naming the file', async (t) => {
  const wfdb = await parseConfig({ source: { type: 'wfdb', record: '/nonexistent/208', speed: 'fast' } }, 'test');
  await t.throwsAsync(lastValueFrom(openSource(wfdb.source).chunks$), { message: /\/nonexistent\/208\.hea/ });
});
