/**
 * WFDB acceptance (issue 5): MIT-BIH record 208 replayed through `arrhythminet
 * run` at full speed (the whole 30 min record, a few seconds), beats labelled
 * from the reference annotations (--reference-labels) so that the rules see
 * known labels whatever the model; a subscriber on a broker started here
 * receives one `beat` message per detected beat, the PVC, couplet and bigeminy
 * events the rules produce, vitals and the retained status, all schema-valid.
 */
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { testNeeding, mitdb, mitdbDir, repoRoot } from '../helpers/requires.ts';
import { arrhythminetBin, writeWfdbReplayConfig } from '../helpers/cli.ts';
import { startEmbeddedBroker, validatePayload, parseTopic } from '../../agent/src/publish/index.ts';
import { isBeat, readAnnotations } from '../../agent/src/sources/wfdb/index.ts';

const test = testNeeding(mitdb);

test('record 208 at full speed: one beat message per detected beat, PVC, couplet and bigeminy events, all schema-valid', async (t) => {
  const broker = await startEmbeddedBroker({ port: 0 });
  t.teardown(() => broker.close());
  const dir = await mkdtemp(join(tmpdir(), 'arrhythminet-wfdb-'));
  const config = await writeWfdbReplayConfig(dir, { gateway: 'acceptance', channel: 'mitdb208', record: join(mitdbDir, '208'), brokerUrl: broker.url });

  const sub = mqtt.connect(broker.url, { protocolVersion: 4, clean: true });
  const got: { kind: string; body: unknown; retain: boolean }[] = [];
  sub.on('message', (topic, payload, packet) => {
    const parts = parseTopic(topic);
    if (parts) got.push({ kind: parts.kind, body: JSON.parse(payload.toString()), retain: packet.retain });
  });
  await new Promise<void>((resolve, reject) => sub.once('connect', () => sub.subscribe('arrhythminet/v1/acceptance/mitdb208/#', { qos: 1 }, (err) => (err ? reject(err) : resolve()))));
  t.teardown(() => { sub.end(true); });

  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [arrhythminetBin, 'run', '--config', config, '--reference-labels', '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => { clearTimeout(guard); resolve({ code, stderr }); });
  });
  t.is(r.code, 0, r.stderr.slice(-2000));
  // Everything was acknowledged before the agent's offline status; give the subscriber a moment to read it all.
  for (let i = 0; i < 100 && !got.some((m) => m.kind === 'status' && (m.body as { state: string }).state === 'offline'); i++) await new Promise((res) => setTimeout(res, 50));

  const summary = /; beats (\d+) .*; events (\d+);/.exec(r.stderr);
  t.truthy(summary, r.stderr.slice(-1000));
  const beatsDetected = Number(summary![1]);
  const eventsProduced = Number(summary![2]);

  const invalid = got.map((m) => ({ m, v: validatePayload(m.kind as Parameters<typeof validatePayload>[0], m.body) })).filter((x) => !x.v.valid);
  t.deepEqual(invalid.slice(0, 3).map((x) => `${x.m.kind}: ${x.v.errors.join('; ')}`), [], `${invalid.length} invalid payloads`);

  const beats = got.filter((m) => m.kind === 'beat').map((m) => m.body as { sample: number; label: string });
  t.is(beats.length, beatsDetected, 'one beat message per detected beat');
  t.true(beats.every((b, i) => i === 0 || b.sample > beats[i - 1].sample), 'beats in stream order, none twice');
  // The detector finds nearly all of the record's reference beats (2955 in 208).
  const reference = (await readAnnotations(join(mitdbDir, '208'))).filter((a) => isBeat(a.code)).length;
  t.true(beatsDetected >= 0.98 * reference && beatsDetected <= 1.02 * reference, `${beatsDetected} detected of ${reference}`);
  t.true(beats.filter((b) => b.label === 'V').length > 900, 'record 208 has ~990 PVCs');

  const events = got.filter((m) => m.kind === 'event').map((m) => m.body as { id: string; type: string; phase: string });
  t.is(events.length, eventsProduced, 'every event message reached the subscriber');
  const types = new Set(events.map((e) => e.type));
  for (const type of ['pvc', 'couplet', 'bigeminy']) t.true(types.has(type), `no ${type} event; got ${[...types].join(', ')}`);
  const byId = new Map<string, string[]>();
  for (const e of events) byId.set(e.id, [...(byId.get(e.id) ?? []), e.phase]);
  t.true([...byId.values()].every((p) => p[0] === 'start' && p.at(-1) === 'end' && p.filter((x) => x === 'end').length === 1), 'each episode: start ... end, once');

  t.true(got.some((m) => m.kind === 'vitals'));
  const status = got.filter((m) => m.kind === 'status').map((m) => m.body as { state: string; counters?: { beats: number; events: number; samples: number } });
  t.is(status[0].state, 'online');
  t.is(status.at(-1)!.state, 'offline');
  // The last status is the agent's own offline message with the final counters: it
  // disconnects cleanly, so the broker never publishes the last will over it.
  const last = status.at(-1)!;
  t.true(last.counters?.beats === beatsDetected && last.counters.events === eventsProduced && last.counters.samples === 650000,
    JSON.stringify(status.map((s) => [s.state, s.counters])));
  t.log(`${beats.length} beats, ${events.length} event messages (${byId.size} episodes: ${[...types].sort().join(', ')}), ${got.filter((m) => m.kind === 'vitals').length} vitals`);
});
