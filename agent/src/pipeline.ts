/**
 * THE signal path, shared by the live agent, annotate, eval and bench
 * (DESIGN.md section 1): source chunks at any rate in, beats and bad-signal
 * spans out, in stream order.
 *
 *   resampleTo(360) -> assessQuality -> condition -> detectBeats -> segmentBeats
 *
 * Each stage is a small operator with its state per subscription, so one
 * pipeline value can be subscribed many times. Output is identical whatever the
 * chunking of the input. A source may give a second ECG lead with the first
 * (SampleChunk.mv2): the detector uses it (`leads`, default 2); quality, the
 * segmenter and the model use the primary lead only. Classification comes after: pipe the beats through a
 * classify operator (`beatPipeline(o)` then `classifyBeats(model)`); beats
 * whose `quality` is not 'good' must not be classified.
 * Latency from an R peak to its Beat: the larger of the window's tail (0.47 s: 0.46 s plus up to
 * window.align's 4 samples)
 * and the detector's decision delay (median 0.2 s, p99 0.31 s; search-back up
 * to 2.5 s), plus ~0.07 s when resampling. Quality adds none: samples leave
 * assessQuality as they arrive, judged by the verdict of the last complete
 * 0.25-s block (pipeline/assess-quality.ts), so a beat is normally released
 * with the chunk that completes its window.
 */
import { defer, tap, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from './signal.ts';
import type { ConditionedChunk } from './pipeline/chunks.ts';
import type { QrsDetectorOptions } from './dsp/qrs-detector.ts';
import type { SignalQualityOptions } from './dsp/signal-quality.ts';
import { loadPipelineSpec, type PipelineSpec } from './pipeline/model-spec.ts';
import { resampleTo } from './pipeline/resample.ts';
import { assessQuality } from './pipeline/assess-quality.ts';
import { condition } from './pipeline/condition.ts';
import { detectBeats, type DetectionLeads } from './pipeline/detect.ts';
import { segmentBeats, type PipelineRecord } from './pipeline/segment.ts';

export type { Beat, PipelineRecord, SignalSpan, SignalSpanStart } from './pipeline/segment.ts';
export type { PipelineSpec } from './pipeline/model-spec.ts';
export type { DetectionLeads } from './pipeline/detect.ts';

export interface PipelineOptions {
  /** Model rate, conditioning and window; default: models/spec.json. */
  spec?: PipelineSpec;
  /** Mains notch, Hz, or null (default) for none. */
  mainsHz?: 50 | 60 | null;
  /** Detector parameters beyond the defaults (tuned on MIT-BIH; see dsp/qrs-detector.ts). */
  detector?: Omit<QrsDetectorOptions, 'fs' | 'conditioningSos'>;
  /** 2 (default): two-lead detection when the chunks carry a second lead; 1: the primary lead only. */
  leads?: DetectionLeads;
  /** Signal-quality thresholds beyond the defaults. */
  quality?: Omit<SignalQualityOptions, 'fs'>;
  /** Sees each conditioned chunk as it passes (the monitor page's strip); must not modify it. */
  onConditioned?: (chunk: ConditionedChunk) => void;
}

export function beatPipeline(options: PipelineOptions = {}): OperatorFunction<SampleChunk, PipelineRecord> {
  const spec = options.spec ?? loadPipelineSpec();
  return (source) => defer(() => {
    /** The source's rate, from its first chunk. */
    let sourceFs = 0;
    return source.pipe(
      tap((c) => { if (sourceFs === 0) sourceFs = c.fs; }),
      resampleTo(spec.fs),
      assessQuality(options.quality),
      condition({ sos: spec.sos, mainsHz: options.mainsHz ?? null }),
      tap((c) => options.onConditioned?.(c)),
      detectBeats({ ...options.detector, leads: options.leads, conditioningSos: spec.sos }),
      segmentBeats({ before: spec.before, after: spec.after, align: spec.align, sourceFs: () => sourceFs }),
    );
  });
}
