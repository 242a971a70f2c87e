/**
 * Model inputs at a record's REFERENCE beat positions, as the training data
 * builder makes them (models/training/data.py build_record): the MLII signal
 * (by name), conditioned by the spec's filter from sample 0, the agent's
 * segmenter cutting a window at every reference beat annotation (PhysioNet's
 * beat codes), and the stream's model-input builder over all of them. Used by
 * `eval classify` (the protocols' test beats) and the tests that compare the
 * agent with Python. Beats whose window leaves the record are left out (as in
 * training) but count for RR.
 * Limits: the record must be at the model rate (MIT-BIH's 360 Hz).
 */
import { SosFilter } from '../dsp/sos-filter.ts';
import { Segmenter } from '../dsp/segmenter.ts';
import { UsageError } from '../errors.ts';
import { findSignal, isBeat, readAnnotations, readHeader, readWholeSignal } from '../sources/wfdb/index.ts';
import { ModelInputBuilder, type ModelInput } from './input-builder.ts';
import type { ModelSpec } from './spec.ts';

export interface ReferenceBeat {
  /** Sample of the reference annotation (R), at the record's rate. */
  sample: number;
  /** Reference annotation mnemonic ('N', 'V', 'F', ...). */
  symbol: string;
  /** The cut window, conditioned mV. */
  windowMv: Float32Array;
  input: ModelInput;
}

/**
 * All reference beats of `recordPath` (path without extension) with their
 * model input; `annotator` is the reference annotation file (default atr).
 */
export async function referenceBeats(recordPath: string, spec: ModelSpec, annotator = 'atr'): Promise<ReferenceBeat[]> {
  const header = await readHeader(recordPath);
  if (header.fs !== spec.fs) {
    throw new UsageError(`${recordPath}.hea: sampled at ${header.fs} Hz; beats at reference positions need the model rate ${spec.fs} Hz (${spec.path})`);
  }
  let signal: number;
  try {
    signal = findSignal(header, 'MLII');
  } catch {
    throw new UsageError(`${recordPath}.hea: no signal named MLII (has ${header.signals.map((s) => s.description).join(', ')}); the models were trained on MLII`);
  }
  const whole = await readWholeSignal(recordPath, { header, signal });
  const cond = new SosFilter(spec.sos).process(whole.mv, new Float32Array(whole.mv.length));
  const annotations = (await readAnnotations(recordPath, annotator)).filter((a) => isBeat(a.code));
  const segmenter = new Segmenter({ fs: spec.fs, before: spec.before, after: spec.after, align: spec.align });
  const segments = [...segmenter.process(cond, undefined, annotations.map((a) => a.sample)), ...segmenter.flush()];
  const builder = new ModelInputBuilder(spec);
  const out: ReferenceBeat[] = [];
  segments.forEach((s, i) => {
    const cut = s.quality !== 'edge';
    const input = builder.next(s.index, cut ? s.window : null);
    if (input !== null) out.push({ sample: s.index, symbol: annotations[i].symbol, windowMv: s.window, input });
  });
  return out;
}
