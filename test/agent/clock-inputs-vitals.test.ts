import test from 'ava';
import { from, lastValueFrom, map, mergeMap, toArray, type OperatorFunction } from 'rxjs';
import { withClock } from '../../agent/src/agent/with-clock.ts';
import { rhythmInputs } from '../../agent/src/agent/rhythm-inputs.ts';
import { VitalsAccumulator } from '../../agent/src/agent/vitals.ts';
import type { ClassifiedBeat, ClockTick } from '../../agent/src/agent/records.ts';
import type { Beat, PipelineRecord, SignalSpan } from '../../agent/src/pipeline.ts';
import { SampleFlag, type SampleChunk } from '../../agent/src/signal.ts';
import { rhythmEvents } from '../../agent/src/rhythm/index.ts';

const chunk = (start: number, n: number, fs = 360, flags?: Uint8Array): SampleChunk => ({ start, fs, mv: new Float32Array(n), flags, wallMs: 1_000_000 + (start * 1000) / fs });
const span = (start: number, end: number, reason: SignalSpan['reason'] = 'gap'): SignalSpan => ({ kind: 'bad-signal', start, end, fs: 360, reason, sourceStart: start, sourceEnd: end, sourceFs: 360 });

/** A stand-in pipeline that emits `spans` when the chunk covering their end arrives. */
function fakePipeline(spans: SignalSpan[]): OperatorFunction<SampleChunk, PipelineRecord> {
  return (s) => s.pipe(mergeMap((c) => spans.filter((sp) => sp.end > c.start && sp.end <= c.start + c.mv.length)));
}

test('clock ticks trail the source by the lag, at the model rate, with wall time', async (t) => {
  const chunks = [0, 1, 2, 3, 4, 5].map((k) => chunk(k * 500, 500, 500));
  for (const c of chunks) c.wallMs = 1_000_000 + (c.start * 1000) / 500;
  const out = await lastValueFrom(from(chunks).pipe(withClock(fakePipeline([]), { fs: 360, lagS: 3 }), toArray()));
  const ticks = out as ClockTick[];
  // Chunks end at 1..6 s; 3 s behind: 0, 1, 2, 3 s (the first two would be negative).
  t.deepEqual(ticks.map((k) => k.sample), [0, 360, 720, 1080]);
  t.deepEqual(ticks.map((k) => k.wallMs), [1_000_000, 1_001_000, 1_002_000, 1_003_000]);
});

test('ticks hold at the first GAP sample until a span ending after it is reported', async (t) => {
  // 5 s of signal, 10 s unplugged (placeholders flagged GAP), then signal again;
  // the pipeline reports the gap's span only when the chunk ending at 16 s arrives.
  const gapFlags = new Uint8Array(3600).fill(SampleFlag.GAP);
  const chunks = [chunk(0, 1800), chunk(1800, 3600, 360, gapFlags), chunk(5400, 360), chunk(5760, 3600)];
  const gap = span(1800, 5400);
  const late: OperatorFunction<SampleChunk, PipelineRecord> = (s) => s.pipe(mergeMap((c) => (c.start === 5760 ? [gap] : [])));
  const out = await lastValueFrom(from(chunks).pipe(withClock(late, { fs: 360, lagS: 3 }), toArray()));
  const seq = out.map((r) => (r.kind === 'clock' ? r.sample : `span ${(r as SignalSpan).start}-${(r as SignalSpan).end}`));
  // Without the hold the clock would reach 5400 - 1080 = 4320 inside the hole (a 'pause').
  t.deepEqual(seq, [720, 1800, 'span 1800-5400', 9360 - 1080]);
});

function classified(index: number, label: ClassifiedBeat['label'], rrPrevMs: number | null, quality: Beat['quality'] = 'good'): ClassifiedBeat {
  return { kind: 'classified', label, probs: null, beat: { kind: 'beat', index, fs: 360, sourceIndex: index, sourceFs: 360, window: new Float32Array(0), windowStart: index - 90, rrPrevMs, rrLocalMs: null, quality, wallMs: 5000 + index } };
}

test('rhythm inputs: beats in increasing order, a span as bad then good, lead-off apart from poor signal', (t) => {
  const toInputs = rhythmInputs();
  t.deepEqual(toInputs(classified(100, 'V', null)), [{ kind: 'beat', beat: { sample: 100, label: 'V', wallMs: 5100 } }]);
  t.deepEqual(toInputs(classified(100, 'N', null)), [], 'a repeated index is not passed on');
  t.deepEqual(toInputs(span(200, 900)), [
    { kind: 'signal', state: { sample: 200, leadOff: false, poor: true, reason: 'gap' } },
    { kind: 'signal', state: { sample: 900, leadOff: false, poor: false } },
  ]);
  t.is((toInputs(span(1000, 1200, 'lead-off'))[0] as { state: { leadOff: boolean; poor: boolean } }).state.leadOff, true);
  t.deepEqual(toInputs({ kind: 'clock', sample: 1300, fs: 360 }), [{ kind: 'clock', sample: 1300 }]);
});

test('a gap span through the rhythm engine is one poor-signal episode covering it, and no pause', async (t) => {
  const toInputs = rhythmInputs();
  const recs = [
    classified(360, 'N', 1000), classified(720, 'N', 1000), classified(1080, 'N', 1000),
    span(1200, 1200 + 360 * 8), { kind: 'clock' as const, sample: 1200 + 360 * 8, fs: 360 },
    classified(1200 + 360 * 8 + 100, 'N', null), { kind: 'clock' as const, sample: 1200 + 360 * 10, fs: 360 },
  ];
  const events = await lastValueFrom(from(recs).pipe(mergeMap((r) => toInputs(r)), rhythmEvents({ fs: 360, streamId: 't' }), map((e) => `${e.type} ${e.phase} ${e.startSample}-${e.endSample}${e.detail ? ` ${e.detail}` : ''}`), toArray()));
  t.deepEqual(events, ['poor-signal start 1200-1200 gap', `poor-signal end 1200-${1200 + 360 * 8} gap`]);
});

test('vitals: per interval of signal, counts by label and the mean rate of good beats', (t) => {
  const v = new VitalsAccumulator(10, 360);
  const outs = [
    classified(360, 'N', null), classified(720, 'N', 1000), classified(1000, 'V', 800), classified(1500, 'Q', 900, 'noisy'),
  ].map((b) => v.push(b));
  t.deepEqual(outs, [null, null, null, null]);
  const first = v.push({ kind: 'clock', sample: 3600, fs: 360 });
  t.truthy(first);
  t.deepEqual(first!.counts, { N: 2, L: 0, R: 0, A: 0, V: 1, Q: 1 });
  t.is(first!.hrBpm, Math.round((60000 / 900) * 10) / 10);
  t.is(v.push({ kind: 'clock', sample: 3700, fs: 360 }), null);
  const second = v.push({ kind: 'clock', sample: 7200, fs: 360 });
  t.is(second!.hrBpm, null);
  t.throws(() => new VitalsAccumulator(0, 360), { message: /vitals interval is 0 s/ });
});
