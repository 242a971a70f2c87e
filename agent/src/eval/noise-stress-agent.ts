/**
 * The noise stress test through the whole agent path: the noisy record
 * (noise-stress.ts, as nst builds it, on both leads; the detector uses the
 * second with the config's `dsp.leads` 2) is fed in one-second chunks, paced like
 * the agent's fast WFDB replay, through the same operators startAgent wires
 * (agent/agent.ts): withClock(beatPipeline) -> boundedClassify (the shipped
 * ONNX model through classifierOverModel; beats in bad signal are Q) ->
 * rhythmInputs -> rhythmEvents. What comes out: every beat with the label the
 * agent gave it (test annotations for the EC57 evaluator's VEB and SVEB
 * statistics), and every rhythm event (false-events.ts judges them against the
 * reference).
 * Not the agent's sinks (console, MQTT) and no Grad-CAM: they do not change a
 * label or an event.
 * Limits: the whole noisy signal is held in memory (2.6 MB per 30-min record).
 */
import { lastValueFrom, mergeMap, tap, toArray, from } from 'rxjs';
import { BacklogGate, boundedClassify } from '../agent/bounded-classify.ts';
import { classifierOverModel } from '../agent/model-classifier.ts';
import { zeroAgentCounters, type AgentCounters } from '../agent/records.ts';
import { rhythmInputs } from '../agent/rhythm-inputs.ts';
import { withClock } from '../agent/with-clock.ts';
import type { AgentConfig } from '../config/types.ts';
import type { SignalQualityOptions } from '../dsp/signal-quality.ts';
import type { Model } from '../model/index.ts';
import { beatPipeline, type PipelineSpec } from '../pipeline.ts';
import { rhythmEvents, type RhythmConfig, type RhythmEvent } from '../rhythm/index.ts';
import type { SampleChunk } from '../signal.ts';
import type { EvalAnnotation } from './beat-match.ts';
import { countFalseEvents, type FalseEventCounts } from './false-events.ts';
import { noisyLeads, sampleChunks, type StressNoise, type StressRecord } from './noise-stress-run.ts';

export interface AgentStressRun {
  record: string;
  snrDb: number | null;
  /** Beats with the agent's labels (N L R A V, or Q: not classified), at the record's rate. */
  test: EvalAnnotation[];
  /** Rhythm events, samples at the record's rate. */
  events: RhythmEvent[];
  falseEvents: FalseEventCounts;
  counters: AgentCounters;
}

export interface AgentStressOptions {
  model: Model;
  config: AgentConfig;
  spec: PipelineSpec;
  /** Start of the comparison, s (EC57: 300). */
  fromS?: number;
  /** Only the first this many seconds of the record (tests). */
  durationS?: number;
  /** Rhythm settings over the config's (e.g. poorSignalClearMs). */
  rhythm?: Partial<RhythmConfig>;
  /** Signal-quality thresholds over the defaults (tests: the measure without an exception). */
  quality?: Omit<SignalQualityOptions, 'fs'>;
}

/** The signal in one-second chunks, each taken only when the classifier's backlog is low (the fast replay's pacing). */
async function* pacedChunks(mv: Float32Array, mv2: Float32Array | null, fs: number, gate: BacklogGate): AsyncGenerator<SampleChunk> {
  for (const chunk of sampleChunks(mv, fs, fs, mv2)) {
    await gate.ready();
    await new Promise<void>((r) => setImmediate(r));
    yield chunk;
  }
}

export async function runAgentStress(record: StressRecord, noise: StressNoise, snr: number | null,
  o: AgentStressOptions): Promise<AgentStressRun> {
  const fs = record.header.fs;
  const length = o.durationS === undefined ? record.clean.length : Math.min(record.clean.length, Math.round(o.durationS * fs));
  const { primary, second, schedule } = noisyLeads(record, noise, snr, length);
  const leads = o.config.dsp.leads;

  const { config, spec } = o;
  const counters = zeroAgentCounters();
  const batchSize = config.model.batchSize;
  const maxPending = 4 * batchSize;
  const gate = new BacklogGate(Math.max(1, Math.floor(maxPending / 2)));
  const classifier = classifierOverModel(o.model, { ...config.model, gradcam: 'off' });
  const toInputs = rhythmInputs();
  /** Model-rate samples to the record's rate. */
  const toSource = (i: number) => Math.round((i * fs) / spec.fs);
  const test: EvalAnnotation[] = [];
  const events = await lastValueFrom(from(pacedChunks(primary, leads === 2 ? second : null, fs, gate)).pipe(
    withClock(beatPipeline({ spec, mainsHz: config.dsp.mainsHz, leads, ...(o.quality ? { quality: o.quality } : {}) }), { fs: spec.fs }),
    boundedClassify(classifier, { batchSize, maxPending, maxHeld: 4096, counters, gate }),
    tap((rec) => {
      if (rec.kind !== 'classified') return;
      const last = test[test.length - 1];
      if (last === undefined || rec.beat.sourceIndex > last.sample) test.push({ sample: rec.beat.sourceIndex, symbol: rec.label });
    }),
    mergeMap((rec) => toInputs(rec)),
    rhythmEvents({ ...config.rhythm, ...o.rhythm, fs: spec.fs, streamId: `nst-${record.name}` }),
    toArray(),
  ));
  const atSource = events.map((e) => ({ ...e, startSample: toSource(e.startSample), endSample: toSource(e.endSample) }));
  return {
    record: record.name, snrDb: snr, test, events: atSource, counters,
    falseEvents: countFalseEvents(atSource, record.reference, schedule, { fs, fromSample: Math.round((o.fromS ?? 300) * fs), runMinBeats: config.rhythm.runMinBeats }),
  };
}
