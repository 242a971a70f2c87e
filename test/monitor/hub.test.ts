/**
 * The monitor hub and its message conversions: signal in integer µV with flag
 * runs, Grad-CAM pooled, batches to every page, a slow page losing batches
 * (counted) instead of holding the agent, a bounded replay for pages that
 * connect later, marked as replay, and signal episodes dated by the source clock.
 */
import test from 'ava';
import { beatItem, flagRuns, poolCam, signalPart } from '../../agent/src/monitor/messages.ts';
import { MonitorHub, type MonitorClient } from '../../agent/src/monitor/hub.ts';
import type { BatchMessage, MonitorMessage } from '../../agent/src/monitor/protocol.ts';
import type { ClassifiedBeat } from '../../agent/src/agent/records.ts';
import type { ConditionedChunk } from '../../agent/src/pipeline/chunks.ts';

const fs = 360;

function chunk(start: number, n: number, wallMs?: number, flags?: Uint8Array): ConditionedChunk {
  const cond = Float32Array.from({ length: n }, (_, k) => Math.sin((start + k) / 10));
  return { start, fs, mv: cond, cond, flags: flags ?? new Uint8Array(n), spans: [], ...(wallMs === undefined ? {} : { wallMs }) };
}

function beat(index: number, label: ClassifiedBeat['label'], gradcam?: Float32Array): ClassifiedBeat {
  return {
    kind: 'classified', label, probs: [0.1, 0, 0, 0, 0.9], ...(gradcam ? { gradcam } : {}),
    beat: { kind: 'beat', index, fs, sourceIndex: index, sourceFs: fs, window: new Float32Array(0), windowStart: index - 90, rrPrevMs: 812.4, rrLocalMs: 800, quality: 'good' },
  };
}

class FakeClient implements MonitorClient {
  sent: MonitorMessage[] = [];
  bufferedAmount = 0;
  closed = false;
  send(text: string) { this.sent.push(JSON.parse(text) as MonitorMessage); }
  close() { this.closed = true; }
  batches() { return this.sent.filter((m): m is BatchMessage => m.t === 'batch'); }
}

const hubOptions = {
  fs,
  batchMs: 0,
  statusMs: 0,
  hello: () => ({ streamId: 's1', fs, gateway: 'g', channel: 'c', source: 'test', model: null, window: { before: 90, after: 166 }, agentVersion: '0' }),
  status: () => ({ broker: { url: 'mqtt://x', embedded: true, connected: true, outboxRecords: 0 }, signalS: 0, framesGood: 0, framesCorrupt: 0, samplesLost: 0, beats: 0, beatsDropped: 0 }),
};

test('signal part: µV rounded, flags as runs of non-zero bits', (t) => {
  const flags = Uint8Array.from([0, 0, 1, 1, 1, 0, 16, 16, 0, 1]);
  t.deepEqual(flagRuns(flags), [[2, 3, 1], [6, 2, 16], [9, 1, 1]]);
  const part = signalPart({ start: 7, cond: Float32Array.from([0.0014, -1.2346, 2]), flags: new Uint8Array(3) });
  t.deepEqual(part, { start: 7, uv: [1, -1235, 2000], flags: [] });
});

test('Grad-CAM: max-pooled to the points asked, scaled to 0..1; only for non-normal beats', (t) => {
  const map = new Float32Array(256);
  map[100] = 2;
  map[10] = 1;
  const pooled = poolCam(map, 32);
  t.is(pooled.length, 32);
  t.is(pooled[Math.floor(100 / 8)], 1);
  t.is(pooled[Math.floor(10 / 8)], 0.5);
  t.is(pooled.filter((v) => v > 0).length, 2);
  t.deepEqual(poolCam(new Float32Array(256), 4), [0, 0, 0, 0]);
  t.truthy(beatItem(beat(1000, 'V', map), 5).cam);
  t.is(beatItem(beat(1000, 'N', map), 5).cam, undefined);
  t.deepEqual(beatItem(beat(1000, 'N'), 5), { i: 1000, label: 'N', rrMs: 812, q: 'good', pubMs: 5, p: 0.9 });
});

test('hub: hello first, then one batch per flush with the signal, beats and events since the last', async (t) => {
  let now = 1000;
  const hub = new MonitorHub({ ...hubOptions, now: () => now });
  const page = new FakeClient();
  hub.attach(page);
  t.is(page.sent[0].t, 'hello');
  hub.signal(chunk(0, 360, 5000));
  hub.beat(beat(100, 'V'));
  now = 1040;
  hub.flush();
  hub.flush(); // nothing new: no message
  const batches = page.batches();
  t.is(batches.length, 1);
  t.is(batches[0].signal[0].uv.length, 360);
  t.deepEqual(batches[0].beats.map((b) => [b.i, b.label, b.pubMs]), [[100, 'V', 1000]]);
  t.is(batches[0].sentMs, 1040);
  t.is(batches[0].replay, undefined);
  await hub.close();
  t.true(page.closed);
});

test('hub: a page with too much unsent loses batches, counted, while the others get them', (t) => {
  const hub = new MonitorHub({ ...hubOptions, maxBufferedBytes: 1000 });
  const fast = new FakeClient();
  const slow = new FakeClient();
  hub.attach(fast);
  hub.attach(slow);
  slow.bufferedAmount = 5000;
  for (let k = 0; k < 5; k++) {
    hub.signal(chunk(k * 360, 360));
    hub.flush();
  }
  t.is(fast.batches().length, 5);
  t.is(slow.batches().length, 0);
  t.is(hub.droppedBatches, 5);
  slow.bufferedAmount = 0;
  hub.signal(chunk(5 * 360, 360));
  hub.flush();
  t.is(slow.batches().length, 1, 'catches up with the next batch');
});

test('hub: a page that connects later gets the last backlogS of signal and recent episodes, marked replay', (t) => {
  const hub = new MonitorHub({ ...hubOptions, backlogS: 3, maxEvents: 2 });
  for (let k = 0; k < 20; k++) {
    hub.signal(chunk(k * 360, 360, 1e6 + k * 1000));
    hub.flush();
  }
  for (const [n, s] of [[1, 100], [2, 200], [3, 300]]) {
    hub.event({ id: `e${n}`, type: 'lead-off', phase: 'end', startSample: s, endSample: s + 720, beats: 0 });
  }
  hub.flush();
  const late = new FakeClient();
  hub.attach(late);
  const batches = late.batches();
  t.true(batches.every((b) => b.replay === true));
  const starts = batches.flatMap((b) => b.signal.map((p) => p.start));
  t.deepEqual(starts, [17 * 360, 18 * 360, 19 * 360], '3 s of signal, the newest');
  const events = batches[0].events;
  t.deepEqual(events.map((e) => e.id), ['e2', 'e3'], 'the last maxEvents episodes');
  // Dated from the source clock: sample 19*360 was at 1e6 + 19000 ms.
  t.is(events[0].startWallMs, Math.round(1e6 + 19000 + ((200 - 19 * 360) * 1000) / fs));
  t.is(events[0].endWallMs, Math.round(1e6 + 19000 + ((920 - 19 * 360) * 1000) / fs));
});
