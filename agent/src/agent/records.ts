/**
 * What flows through the running agent after the signal pipeline: classified
 * beats, bad-signal spans, and clock ticks, in stream order.
 */
import type { Beat, SignalSpan, SignalSpanStart } from '../pipeline.ts';
import type { BeatLabel } from '../rhythm/types.ts';

/** The stream has reached `sample` (model rate): lets the rhythm rules see time pass without beats. */
export interface ClockTick {
  kind: 'clock';
  /** Sample index at the model rate `fs`. */
  sample: number;
  fs: number;
  wallMs?: number;
}

/** A beat with its label. */
export interface ClassifiedBeat {
  kind: 'classified';
  beat: Beat;
  label: BeatLabel;
  /** Class probabilities in model order; null when not classified. */
  probs: number[] | null;
  /** Grad-CAM map of the predicted class over the window, when the model computed one. */
  gradcam?: Float32Array;
  /** Why it is not classified: bad signal, the classifier was behind (overflow), or no model. */
  unclassified?: 'quality' | 'overflow' | 'no-model';
}

export type AgentRecord = ClassifiedBeat | SignalSpan | SignalSpanStart | ClockTick;

/** Counters of the agent's own stages (the source and the publisher keep theirs). */
export interface AgentCounters {
  /** Samples received from the source (placeholders for gaps included). */
  samples: number;
  beats: number;
  /** Beats the classifier labelled. */
  classified: number;
  /** Beats that went unclassified (Q) because the classifier was behind: their windows were released. */
  overflowUnclassified: number;
  /** Beats dropped outright because even the unclassified backlog was full. */
  beatsDropped: number;
  /** Bad-signal spans. */
  spans: number;
  /** Rhythm event messages (start, update, end). */
  events: number;
}

export function zeroAgentCounters(): AgentCounters {
  return { samples: 0, beats: 0, classified: 0, overflowUnclassified: 0, beatsDropped: 0, spans: 0, events: 0 };
}
