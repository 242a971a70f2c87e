/**
 * The running agent (DESIGN.md section 1): source -> signal pipeline with clock
 * ticks -> bounded batched classification -> vitals and rhythm rules -> sinks
 * (console view, MQTT). `stop()` drains: the source is cut, every stage
 * flushes, the rhythm engine closes its open episodes (every 'start' gets its
 * 'end'), then `done` resolves with the counters.
 */
import { mergeMap, Subject, takeUntil, tap } from 'rxjs';
import type { AgentConfig } from '../config/types.ts';
import { beatPipeline } from '../pipeline.ts';
import { loadPipelineSpec, type PipelineSpec } from '../pipeline/model-spec.ts';
import type { ConditionedChunk } from '../pipeline/chunks.ts';
import { rhythmEvents } from '../rhythm/index.ts';
import { openSource, type SourceCounters } from '../sources/open-source.ts';
import type { SerialChunksOptions } from '../sources/serial-chunks.ts';
import { BacklogGate, boundedClassify, type ClassifyLevels } from './bounded-classify.ts';
import { noModelClassifier, type BeatClassifier } from './classifier.ts';
import { zeroAgentCounters, type AgentCounters } from './records.ts';
import { rhythmInputs } from './rhythm-inputs.ts';
import type { AgentSink } from './sink.ts';
import { VitalsAccumulator } from './vitals.ts';
import { withClock } from './with-clock.ts';

export interface AgentOptions {
  config: AgentConfig;
  sinks: AgentSink[];
  /** Default: the stand-in that labels every beat Q. */
  classifier?: BeatClassifier;
  /** Stop after this much signal, s (synthetic and WFDB sources). */
  durationSec?: number;
  /** Synthetic source as fast as possible instead of real time. */
  fast?: boolean;
  /** Serial: binding and backoff (tests). */
  serial?: SerialChunksOptions;
  spec?: PipelineSpec;
  /** Beats waiting for the classifier, at most; default 4 batches. */
  maxPending?: number;
  /** Records held in order behind a batch in flight, at most; default 4096 (~1 h of beats at most, ~100 bytes each). */
  maxHeld?: number;
}

export interface AgentSnapshot {
  agent: AgentCounters;
  source: SourceCounters;
  /** Model-rate sample the stream has reached (source side). */
  samplesAtModelRate: number;
  /** Classification queue lengths now. */
  queues: ClassifyLevels;
}

export interface RunningAgent {
  /** What is being read, for people. */
  readonly description: string;
  readonly streamId: string;
  readonly fs: number;
  /** Resolves when the stream has ended (source done, or stop() drained); rejects on a stream error. */
  readonly done: Promise<AgentSnapshot>;
  stop(): void;
  snapshot(): AgentSnapshot;
}

export function startAgent(o: AgentOptions): RunningAgent {
  const { config } = o;
  const spec = o.spec ?? loadPipelineSpec();
  const classifier = o.classifier ?? noModelClassifier;
  const counters = zeroAgentCounters();
  const batchSize = config.model.batchSize;
  const maxPending = o.maxPending ?? 4 * batchSize;
  const gate = new BacklogGate(Math.max(1, Math.floor(maxPending / 2)));
  const source = openSource(config.source, { durationSec: o.durationSec, fast: o.fast, ready: () => gate.ready(), serial: o.serial });
  const streamId = `${config.gateway}.${config.channel}.${Date.now().toString(36)}`;
  const stop$ = new Subject<void>();
  const toInputs = rhythmInputs();
  const vitals = new VitalsAccumulator(config.mqtt.vitalsIntervalS, spec.fs);
  let sourceSamples = 0;
  let sourceFs = 0;
  const levels: ClassifyLevels = { pending: 0, held: 0 };
  const signalSinks = o.sinks.filter((s) => s.signal !== undefined);
  const onConditioned = signalSinks.length === 0 ? undefined : (c: ConditionedChunk) => { for (const s of signalSinks) s.signal!(c); };
  const snapshot = (): AgentSnapshot => ({
    agent: { ...counters },
    source: source.counters(),
    samplesAtModelRate: sourceFs > 0 ? Math.floor((sourceSamples * spec.fs) / sourceFs) : 0,
    queues: { ...levels },
  });

  const done = new Promise<AgentSnapshot>((resolve, reject) => {
    source.chunks$.pipe(
      takeUntil(stop$),
      tap((c) => {
        counters.samples += c.mv.length;
        sourceSamples = c.start + c.mv.length;
        sourceFs = c.fs;
      }),
      withClock(beatPipeline({ spec, mainsHz: config.dsp.mainsHz, leads: config.dsp.leads, onConditioned }), { fs: spec.fs }),
      boundedClassify(classifier, { batchSize, maxPending, maxHeld: o.maxHeld ?? 4096, counters, gate, levels }),
      tap((rec) => {
        if (rec.kind === 'classified') for (const s of o.sinks) s.beat(rec);
        const v = vitals.push(rec);
        if (v) for (const s of o.sinks) s.vitals(v);
      }),
      mergeMap((rec) => toInputs(rec)),
      rhythmEvents({ ...config.rhythm, fs: spec.fs, streamId }),
    ).subscribe({
      next: (e) => {
        counters.events++;
        for (const s of o.sinks) s.event(e);
      },
      error: (err) => reject(err),
      complete: () => resolve(snapshot()),
    });
  });

  return {
    description: source.description,
    streamId,
    fs: spec.fs,
    done,
    stop: () => {
      stop$.next();
      gate.open();
    },
    snapshot,
  };
}
