/** docs/serial-protocol.md's worked examples must be what the encoder produces. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/requires.ts';
import { encodeDataFrame, encodeInfoFrame, LeadOff, OursDecoder, type SampleBlock } from '../../../agent/src/sources/ads1292/index.ts';

const doc = readFileSync(join(repoRoot, 'docs', 'serial-protocol.md'), 'utf8');

function example(name: string): Uint8Array {
  const m = doc.match(new RegExp(`<!-- example:${name} -->\\s*\`\`\`\\s*([0-9A-F ]+)\\s*\`\`\``));
  if (!m) throw new Error(`docs/serial-protocol.md: no example:${name} block`);
  return Uint8Array.from(m[1].trim().split(/\s+/), (h) => parseInt(h, 16));
}

test('the documented data frame is what encodeDataFrame builds, and decodes as documented', (t) => {
  const built = encodeDataFrame(0x0102, [
    { leadOff: 0, gpio: 0, ch1: 0x001234, ch2: -0x000100 },
    { leadOff: LeadOff.IN1N, gpio: 0, ch1: 0x7fffff, ch2: 0x000010 },
  ]);
  t.deepEqual(example('data'), built);
  const [b] = new OursDecoder({ settings: { fsHz: 500, gain: [6, 6], vrefV: 2.42 } }).push(built) as SampleBlock[];
  t.is(b.mv[0][0].toFixed(5), '0.22406');
  t.is(b.mv[0][1].toFixed(3), '403.333');
  t.deepEqual(Array.from(b.flags[0]), [0, 3]);
});

test('the documented info frame is what encodeInfoFrame builds', (t) => {
  t.deepEqual(example('info'), encodeInfoFrame(0x0102, {
    protocolVersion: 1, fsHz: 500, channels: 2, gain: [6, 6], vrefMv: 2420, firmware: 'ecgbridge 1.0',
  }));
});
