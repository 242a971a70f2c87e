/**
 * Issue 7 item 1: the running agent publishes one schema-valid `explain`
 * message for every beat its model labels other than N, none for N or Q, each
 * with the regions of that beat's RR: unit cases of the policy, then the real
 * agent replaying 3 min of MIT-BIH record 233 (DS2, many PVCs) with the
 * shipped model against a broker started here.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import anyTest from 'ava';
import mqtt from 'mqtt';
import { testNeeding, mitdb, mitdbDir, repoRoot } from '../helpers/requires.ts';
import { arrhythminetBin, writeWfdbReplayConfig } from '../helpers/cli.ts';
import { explainPayloadOf } from '../../agent/src/agent/explain-policy.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';
import { regionsForRr } from '../../agent/src/explain/regions.ts';
import { parseTopic, startEmbeddedBroker, validatePayload } from '../../agent/src/publish/index.ts';
import { bumpMap, GEOMETRY, origin } from '../publish/examples.ts';

const test = testNeeding(mitdb);

function classified(label: ClassifiedBeat['label'], rrPrevMs: number | null, withMap = true): ClassifiedBeat {
  return {
    kind: 'classified', label, probs: label === 'Q' ? null : [0.1, 0.1, 0.1, 0.1, 0.6], ...(withMap ? { gradcam: bumpMap(20, 30) } : {}),
    beat: { kind: 'beat', index: 7200, fs: 360, sourceIndex: 7200, sourceFs: 360, wallMs: 1_000_000, window: new Float32Array(256), windowStart: 7110, rrPrevMs, rrLocalMs: 800, quality: 'good' },
  };
}

anyTest('policy: non-normal labels explained with their RR\'s regions; N only with "all"; Q, no map or "off" never', (t) => {
  for (const label of ['L', 'R', 'A', 'V'] as const) {
    const p = explainPayloadOf(classified(label, 420), 'non-normal', origin, GEOMETRY);
    t.truthy(p, label);
    t.is(p!.label, label);
    t.deepEqual(p!.regionsMs, regionsForRr(420));
    t.deepEqual(validatePayload('explain', p), { valid: true, errors: [] });
  }
  t.is(explainPayloadOf(classified('N', 800), 'non-normal', origin, GEOMETRY), null);
  t.is(explainPayloadOf(classified('N', 800), 'all', origin, GEOMETRY)!.label, 'N');
  t.is(explainPayloadOf(classified('V', 800), 'off', origin, GEOMETRY), null);
  t.is(explainPayloadOf(classified('Q', 800), 'all', origin, GEOMETRY), null);
  t.is(explainPayloadOf(classified('V', 800, false), 'all', origin, GEOMETRY), null);
  t.is(explainPayloadOf(classified('V', 800), 'non-normal', origin, GEOMETRY)!.probability, 0.6);
});

test('record 233, 3 min through the agent with the V1 int8 model: one explain per non-N beat, none for N or Q', async (t) => {
  const broker = await startEmbeddedBroker({ port: 0 });
  t.teardown(() => broker.close());
  const dir = await mkdtemp(join(tmpdir(), 'arrhythminet-explain-'));
  const config = await writeWfdbReplayConfig(dir, { gateway: 'explain', channel: 'mitdb233', record: join(mitdbDir, '233'), brokerUrl: broker.url });
  const sub = mqtt.connect(broker.url, { protocolVersion: 4, clean: true });
  const got: { kind: string; body: any }[] = [];
  sub.on('message', (topic, payload) => {
    const parts = parseTopic(topic);
    if (parts) got.push({ kind: parts.kind, body: JSON.parse(payload.toString()) });
  });
  await new Promise<void>((resolve, reject) => sub.once('connect', () => sub.subscribe('arrhythminet/v1/explain/mitdb233/#', { qos: 1 }, (err) => (err ? reject(err) : resolve()))));
  t.teardown(() => { sub.end(true); });

  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [arrhythminetBin, 'run', '--config', config, '--duration', '180', '--quiet'],
      { stdio: ['ignore', 'ignore', 'pipe'], cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('close', (code) => { clearTimeout(guard); resolve({ code, stderr }); });
  });
  t.is(r.code, 0, r.stderr.slice(-2000));
  for (let i = 0; i < 100 && !got.some((m) => m.kind === 'status' && m.body.state === 'offline'); i++) await new Promise((res) => setTimeout(res, 50));

  const beats = got.filter((m) => m.kind === 'beat').map((m) => m.body);
  const explains = got.filter((m) => m.kind === 'explain').map((m) => m.body);
  const nonNormal = beats.filter((b) => b.label !== 'N' && b.label !== 'Q');
  t.true(beats.length > 200, `${beats.length} beats`);
  t.true(nonNormal.length > 20, `record 233 has many PVCs; the model labelled ${nonNormal.length} beats non-N`);
  t.deepEqual(explains.map((e) => e.beat.sample), nonNormal.map((b) => b.sample), 'one explain per non-N beat, in order');
  const bySample = new Map(beats.map((b) => [b.sample, b]));
  for (const e of explains) {
    const b = bySample.get(e.beat.sample);
    t.is(e.label, b.label);
    t.deepEqual(e.regionsMs, regionsForRr(b.rrMs.prev));
    t.deepEqual(validatePayload('explain', e).errors, []);
  }
  t.log(`${beats.length} beats, ${explains.length} explained (${[...new Set(nonNormal.map((b) => b.label))].join(', ')})`);
});
