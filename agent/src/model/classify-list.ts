/**
 * Classifies a finished list of pipeline records (an offline tool's whole
 * record) through the same classifyBeats operator as the live agent, paced so
 * that no beat is ever refused for overload: the list is fed only while fewer
 * than half of maxPending beats wait.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import type { PipelineRecord } from '../pipeline.ts';
import { classifyBeats, ClassifyGate, paced, type ClassifiedRecord, type ClassifyBeatsOptions } from './classify-beats.ts';
import type { Model } from './load.ts';

export async function classifyRecords(model: Model, records: readonly PipelineRecord[], options: ClassifyBeatsOptions = {}): Promise<ClassifiedRecord[]> {
  const maxPending = options.maxPending ?? 1024;
  const gate = new ClassifyGate(Math.max(1, Math.floor(maxPending / 2)));
  return lastValueFrom(from(records).pipe(paced(gate), classifyBeats(model, { ...options, maxPending, gate }), toArray()), { defaultValue: [] });
}

/** The label of each beat of `beats` (in order): a spec class or 'Q'. */
export async function labelBeats(model: Model, beats: readonly PipelineRecord[], options: ClassifyBeatsOptions = {}): Promise<string[]> {
  const out = await classifyRecords(model, beats.filter((b) => b.kind === 'beat'), options);
  return out.map((r) => (r.kind === 'beat' ? r.label : 'Q'));
}
