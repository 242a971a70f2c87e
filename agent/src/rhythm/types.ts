/**
 * What the rhythm rules read and write.
 *
 * Time is the sample index at `fs` from the stream start (DESIGN.md section 1),
 * so replaying a record at any speed gives the same events; wall-clock time is
 * carried alongside for the messages, never used to decide.
 */

/** The model's classes plus Q, a beat that was detected but not classified. */
export type BeatLabel = 'N' | 'L' | 'R' | 'A' | 'V' | 'Q';

export interface LabelledBeat {
  /** R peak, sample index from the stream start at the engine's fs. */
  sample: number;
  label: BeatLabel;
  /** Wall-clock time of the R peak, ms since the epoch, when known. */
  wallMs?: number;
}

/** Signal state as the quality stage reports it; a change is one input. */
export interface SignalState {
  /** First sample this state applies to. */
  sample: number;
  leadOff: boolean;
  /** Noise, saturation, flat line or a gap: beats here are not classified. */
  poor: boolean;
  /** Why it is poor ("noise", "saturation", "flat", "gap"), for the event. */
  reason?: string;
  wallMs?: number;
}

export type RhythmInput =
  | { kind: 'beat'; beat: LabelledBeat }
  /** The stream has reached `sample` (sent with every chunk): lets a pause be seen while no beat comes. */
  | { kind: 'clock'; sample: number; wallMs?: number }
  | { kind: 'signal'; state: SignalState };

export const EVENT_TYPES = [
  'pvc', 'couplet', 'v-run', 'vt',
  'apc', 'sv-couplet', 'sv-run', 'svt',
  'bigeminy', 'trigeminy',
  'tachycardia', 'bradycardia', 'pause',
  'lead-off', 'poor-signal',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type EventPhase = 'start' | 'update' | 'end';

/**
 * One message about an episode. An episode has a stable id and is announced by
 * 'start', may be refreshed by 'update', and is closed by exactly one 'end'.
 * An episode known whole at once (an isolated PVC) gets its 'start' and 'end'
 * together, so consumers need only one way of tracking episodes.
 */
export interface RhythmEvent {
  id: string;
  type: EventType;
  phase: EventPhase;
  /** First sample of the episode (the first beat's R peak, or the signal change). */
  startSample: number;
  /** Last sample covered so far; on 'end', the episode's end. */
  endSample: number;
  /** Beats in the episode so far (0 for signal episodes and pauses). */
  beats: number;
  /** Mean heart rate over the episode's beats, bpm, when it has two or more. */
  hrBpm?: number;
  /** Wall-clock time of startSample and endSample, ms since the epoch, when known. */
  startWallMs?: number;
  endWallMs?: number;
  /** Extra detail, e.g. the poor-signal reason. */
  detail?: string;
}
