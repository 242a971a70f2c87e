/**
 * Where the running agent's results go: the console view, the MQTT publisher.
 * Each sink takes beats, events and vitals in stream order; `close` flushes.
 */
import type { ConditionedChunk } from '../pipeline/chunks.ts';
import type { RhythmEvent } from '../rhythm/types.ts';
import type { ClassifiedBeat } from './records.ts';
import type { Vitals } from './vitals.ts';

export interface AgentSink {
  beat(b: ClassifiedBeat): void;
  event(e: RhythmEvent): void;
  vitals(v: Vitals): void;
  /** The conditioned signal as it passes, when the sink draws it (the monitor page). */
  signal?(chunk: ConditionedChunk): void;
  /**
   * Flushes and releases. `drainMs`: how long undelivered output may still be
   * delivered first (0 when stopping on a signal, bounded by the 2-s promise);
   * then at most `timeoutMs` more.
   */
  close(timeoutMs: number, drainMs?: number): Promise<void>;
}
