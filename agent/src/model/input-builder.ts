/**
 * Model input of each beat, as models/spec.json defines it, one builder per
 * stream (state: the recent windows, peak-to-peaks and RR intervals):
 *   channel 0  the window minus its mean, divided by scaleMv = max(minScaleMv,
 *              median peak-to-peak of this window and the historyBeats-1 before);
 *   channel 1  the per-sample median of the templateHistoryBeats windows BEFORE
 *              this one (its own window for the first), mean removed, / scaleMv;
 *   rr         rrPrevS, rrLocalS (mean of the localCount intervals before
 *              rrPrevS), rrRatio, rrMedianRatio (rrPrevS over the median of
 *              the medianCount intervals before it), rrIrregularity (1 + mean
 *              absolute successive difference over the mean of the
 *              irregularityCount intervals before rrPrevS), from the R times
 *              of EVERY detected beat.
 * Pure and synchronous; the exact twin of models/training/data.py
 * (test/model/window.test.ts runs both on one record and compares). The
 * state classes are shared with the Node-RED classify node
 * (nodes/src/classify/model-input.ts).
 * Limits: a beat whose window could not be cut (stream edge) still counts for
 * RR but enters no history, as in training (windows that leave the record).
 * Training never sees missing signal; across it the RR history skips the
 * unknown interval rather than restarting, so the patient's rate and
 * irregularity carry over a dropout.
 */
import type { ModelSpec } from './spec.ts';
import { AmplitudeScale, normaliseInto, RrHistory, TemplateHistory } from '../../../nodes/src/classify/model-input.ts';

export interface ModelInput {
  /** [2, length] float32: normalised beat, then normalised template. */
  x: Float32Array;
  /** float32, spec.sideInputs.names order (of rrPrevS, rrLocalS, rrRatio, rrMedianRatio, rrIrregularity). */
  rr: Float32Array;
  /** This beat's amplitude scale, mV. */
  scaleMv: number;
  /** The template before normalisation, mV. */
  templateMv: Float32Array;
}

export class ModelInputBuilder {
  readonly length: number;
  private readonly scale: AmplitudeScale;
  private readonly templates: TemplateHistory;
  private readonly rr: RrHistory;
  /** R index of the previous detected beat, samples; -1 before the first. */
  private lastR = -1;

  constructor(private readonly spec: ModelSpec) {
    this.length = spec.before + spec.after;
    this.scale = new AmplitudeScale(spec.scaleHistoryBeats, spec.minScaleMv);
    this.templates = new TemplateHistory(spec.templateHistoryBeats);
    this.rr = new RrHistory({ localCount: spec.rrLocalCount, medianCount: spec.rrMedianCount, irregularityCount: spec.rrIrregularityCount, defaultRrS: spec.defaultRrS });
  }

  /**
   * Every detected beat, in stream order: its R index (samples at spec.fs) and
   * its window (conditioned mV, before+after samples), or null when the window
   * was not cut; `intervalKnown` false when signal was missing since the
   * previous beat (Beat.rrPrevMs null): its interval is then taken as the
   * local mean and not remembered. Returns the model input, or null for a
   * null window.
   */
  next(index: number, windowMv: Float32Array | null, intervalKnown = true): ModelInput | null {
    const rr = this.nextRr(index, intervalKnown);
    if (windowMv === null) return null;
    if (windowMv.length !== this.length) throw new RangeError(`model input: window of ${windowMv.length} samples, the spec wants ${this.length}`);
    const templateMv = this.templates.next(windowMv);
    const scaleMv = this.scale.next(windowMv);
    const x = new Float32Array(2 * this.length);
    normaliseInto(x, 0, windowMv, scaleMv);
    normaliseInto(x, this.length, templateMv, scaleMv);
    return { x, rr, scaleMv, templateMv };
  }

  /**
   * The model input of a segmented beat, the one rule for every caller (agent,
   * eval, annotate, explain): an edge beat (its window runs off the stream,
   * padded) gets none and stays out of the template and scale history, as the
   * training builder skips beats whose window leaves the record; it still
   * counts for RR.
   */
  nextBeat(b: { index: number; window: Float32Array; quality: string; rrPrevMs: number | null }): ModelInput | null {
    return this.next(b.index, b.quality === 'edge' || b.window.length === 0 ? null : b.window, b.rrPrevMs !== null);
  }

  private nextRr(index: number, intervalKnown: boolean): Float32Array {
    let prevS: number | null = null;
    if (this.lastR >= 0) {
      if (index <= this.lastR) throw new RangeError(`model input: R index ${index} not after the previous ${this.lastR}`);
      if (intervalKnown) prevS = (index - this.lastR) / this.spec.fs;
    }
    this.lastR = index;
    const f = this.rr.next(prevS);
    return Float32Array.from(this.spec.sideInputNames, (name) => f[name]);
  }
}
