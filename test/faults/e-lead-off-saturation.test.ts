/**
 * Issue 8 item 2(e): lead-off and saturation, end to end. The real agent
 * (`arrhythminet run --fast`, the shipped model) plays a synthetic patient with
 * a PVC every 3 s whose electrodes come off for 5 s and whose converter
 * saturates for 3 s (both through the ADS1292 codec: LOFF_STAT bits and
 * full-scale codes), publishing to a mosquitto the test subscribed to first.
 * Checked on what reaches the broker: no beat inside or next to either interval
 * is classified (it is published as Q, no probabilities, quality flagged), a
 * lead-off episode and a 'saturated' poor-signal episode cover the intervals,
 * and no pause or rhythm event is made of the missing beats.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mosquitto, repoRoot, testNeeding } from '../helpers/requires.ts';
import { startMosquitto, writeMosquittoConf } from '../helpers/mosquitto.ts';
import { collect, freePort, waitUntil } from '../publish/mqtt-helpers.ts';
import { loadPipelineSpec } from '../../agent/src/pipeline/model-spec.ts';

const test = testNeeding(mosquitto);
const bin = join(repoRoot, 'agent', 'bin', 'arrhythminet.js');

const LEAD_OFF = { startS: 10, durationS: 5 };
const SATURATE = { startS: 25, durationS: 3 };
const DURATION_S = 40;

interface BeatMsg { sample: number; label: string; probs: unknown; quality: { leadOff: boolean; saturated: boolean; poor: boolean } }
interface EventMsg { type: string; phase: string; startSample: number; endSample: number; detail?: string }

test('lead-off and saturation: no beat in or next to them is classified; lead-off and saturated episodes are sent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'arrhythminet-leadoff-'));
  const port = await freePort();
  const broker = await startMosquitto(writeMosquittoConf(dir, port, { persistent: false }), port);
  t.teardown(async () => {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const sub = await collect(`mqtt://127.0.0.1:${port}`, 'arrhythminet/v1/#', { protocolVersion: 5 });
  t.teardown(() => sub.close());
  const config = join(dir, 'agent.yaml');
  writeFileSync(config, JSON.stringify({
    gateway: 'faults', channel: 'e',
    source: {
      type: 'synthetic', heartRateBpm: 80, pvcEverySeconds: 3,
      scenario: [{ atS: LEAD_OFF.startS, leadOff: { durationS: LEAD_OFF.durationS } }, { atS: SATURATE.startS, saturate: { durationS: SATURATE.durationS } }],
    },
    mqtt: { url: `mqtt://127.0.0.1:${port}` },
    outbox: { dir: join(dir, 'state') },
  }));
  const agent = spawn(process.execPath, [bin, 'run', '--config', config, '--fast', '--duration', String(DURATION_S), '--quiet'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  agent.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((r) => agent.on('exit', (c) => r(c)));
  t.is(code, 0, stderr.slice(-800));
  await waitUntil(() => sub.of('status').some((m) => m.body.state === 'offline'), 5000);

  const spec = loadPipelineSpec();
  const fs = spec.fs;
  const beats = sub.of('beat').map((m) => m.body as BeatMsg);
  const events = sub.of('event').map((m) => m.body as EventMsg);
  const intervals = [LEAD_OFF, SATURATE].map((iv) => [iv.startS * fs, (iv.startS + iv.durationS) * fs]);
  const touches = (b: BeatMsg) => intervals.some(([a, z]) => b.sample + spec.after > a && b.sample - spec.before < z);
  const classified = beats.filter((b) => b.probs !== null);
  t.true(beats.length >= 0.8 * (DURATION_S - 8) * (80 / 60), `${beats.length} beats published`);
  t.deepEqual(classified.filter(touches).map((b) => b.sample / fs), [], 'classified beats touching lead-off or saturation (s)');
  const inside = beats.filter((b) => intervals.some(([a, z]) => b.sample >= a && b.sample < z));
  t.true(inside.every((b) => b.label === 'Q' && b.probs === null && b.quality.poor), JSON.stringify(inside));
  t.true(classified.some((b) => b.label === 'V'), 'PVCs outside the intervals are classified V');

  const of = (type: string, detail?: string) => events.filter((e) => e.type === type && (detail === undefined || e.detail === detail));
  const leadOff = of('lead-off');
  t.deepEqual(leadOff.map((e) => e.phase), ['start', 'end'], JSON.stringify(events.map((e) => `${e.type}:${e.phase}`)));
  const sat = of('poor-signal', 'saturated');
  t.deepEqual(sat.map((e) => e.phase), ['start', 'end'], JSON.stringify(events.filter((e) => e.type === 'poor-signal')));
  // Quality is judged in 1 s blocks: each episode covers its interval, rounded out to whole blocks.
  for (const [e, iv] of [[leadOff[1], LEAD_OFF], [sat[1], SATURATE]] as const) {
    const [a, z] = [e.startSample / fs, e.endSample / fs];
    t.true(a <= iv.startS && a > iv.startS - 1.01 && z >= iv.startS + iv.durationS && z < iv.startS + iv.durationS + 1.01, `${e.type} ${e.detail ?? ''} ${a}-${z} s`);
  }
  t.deepEqual(of('pause'), [], 'no pause made of the beats missing under lead-off or saturation');
  t.log(`${beats.length} beats, ${classified.length} classified; lead-off ${leadOff[1].startSample / fs}-${leadOff[1].endSample / fs} s, `
    + `saturated ${sat[1].startSample / fs}-${sat[1].endSample / fs} s; events: ${[...new Set(events.map((e) => e.type))].join(', ')}`);
});
