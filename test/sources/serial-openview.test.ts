/**
 * A serial source configured for ProtoCentral's OpenView packets, with the
 * config's defaults (the layout of the ADS1292R breakout's stock example, 57600
 * baud): the agent's config and the decoder must agree on the layout names, and
 * the packets decode into the ECG as sent. Found when the config's default
 * layout ('ads1292r-breakout') was a name the decoder did not know, and `run`
 * died on it with an uncaught RangeError.
 */
import test from 'ava';
import { MockBinding } from '@serialport/binding-mock';
import { parseConfig } from '../../agent/src/config/load.ts';
import { configSchema } from '../../agent/src/config/schema.ts';
import type { SerialSourceConfig } from '../../agent/src/config/types.ts';
import { OPENVIEW_PRESETS, OpenViewEncoder } from '../../agent/src/sources/ads1292/index.ts';
import { serialChunks } from '../../agent/src/sources/serial-chunks.ts';
import { SyntheticEcg } from '../../agent/src/sources/synthetic.ts';
import type { SampleChunk } from '../../agent/src/signal.ts';
import { waitUntil } from '../publish/mqtt-helpers.ts';
import { recordingBinding } from '../helpers/mock-serial.ts';

const PATH = '/dev/ttyOV0';

test('the layouts a config may name are exactly the decoder\'s presets', (t) => {
  const serial = configSchema.properties.source.oneOf.find((b) => b.properties.type.const === 'serial')!;
  t.deepEqual([...(serial.properties as { openviewLayout: { enum: readonly string[] } }).openviewLayout.enum].sort(), Object.keys(OPENVIEW_PRESETS).sort());
});

test('format openview defaults to 57600 baud and the breakout-2017 layout; a baud given is kept', async (t) => {
  const c = (await parseConfig({ source: { type: 'serial', path: PATH, format: 'openview' } }, 'test')).source as SerialSourceConfig;
  t.is(c.baud, 57600);
  t.is(c.openviewLayout, 'breakout-2017');
  const ours = (await parseConfig({ source: { type: 'serial', path: PATH } }, 'test')).source as SerialSourceConfig;
  t.is(ours.baud, 115200);
  const given = (await parseConfig({ source: { type: 'serial', path: PATH, format: 'openview', baud: 115200 } }, 'test')).source as SerialSourceConfig;
  t.is(given.baud, 115200);
});

for (const layout of [undefined, ...Object.keys(OPENVIEW_PRESETS)]) {
  test.serial(`OpenView packets (${layout ?? 'default layout'}) through the serial source decode into the ECG as sent`, async (t) => {
    MockBinding.reset();
    MockBinding.createPort(PATH);
    const { binding, opened } = recordingBinding();
    const source = (await parseConfig({ source: { type: 'serial', path: PATH, format: 'openview', ...(layout ? { openviewLayout: layout } : {}) } }, 'test')).source as SerialSourceConfig;
    const s = serialChunks(source, { serial: { binding, initialBackoffMs: 20, silenceTimeoutMs: 0 } });
    const chunks: SampleChunk[] = [];
    const sub = s.chunks$.subscribe((c) => chunks.push(c));
    const ecg = new SyntheticEcg({ fs: 125, seed: 2, hrMeanBpm: 70 }).next(250).mv;
    try {
      t.true(await waitUntil(() => opened.length === 1 && opened[0].isOpen, 5000), 'the mock port opened');
      const enc = new OpenViewEncoder({ layout: source.openviewLayout });
      opened[0].emitData(Buffer.concat(enc.push(ecg, new Uint8Array(ecg.length))));
      t.true(await waitUntil(() => chunks.reduce((n, c) => n + c.mv.length, 0) >= ecg.length, 5000), 'all samples arrived');
    } finally {
      sub.unsubscribe();
    }
    const got = chunks.flatMap((c) => Array.from(c.mv));
    t.is(got.length, ecg.length);
    t.true(chunks.every((c) => c.fs === 125));
    // Quantized to the layout's ECG step (the 2025 layout keeps 10 of 24 bits).
    const step = OPENVIEW_PRESETS[source.openviewLayout].ecg.mvPerCount;
    t.true(got.every((v, i) => Math.abs(v - ecg[i]) <= step), 'every sample within one count');
  });
}
