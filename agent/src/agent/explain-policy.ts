/**
 * Which classified beats get an `explain` message (DESIGN.md section 7), and
 * the message: with `model.gradcam: non-normal` (the default) every beat the
 * model labelled other than N, with `all` every labelled beat, with `off`
 * none. A beat without a label (Q: bad signal, abstained, overflow) or without
 * a Grad-CAM map (no model) has nothing to explain. The summary's P and T
 * regions follow the beat's preceding RR (explain/regions.ts).
 */
import type { AgentConfig } from '../config/types.ts';
import { buildExplain, MODEL_CLASSES, type ExplainPayload, type ModelClass, type Origin, type WindowGeometry } from '../publish/index.ts';
import type { ClassifiedBeat } from './records.ts';

export function explainPayloadOf(b: ClassifiedBeat, mode: AgentConfig['model']['gradcam'], origin: Origin,
  geometry: WindowGeometry, nowMs: () => number = Date.now): ExplainPayload | null {
  if (!b.gradcam || b.probs === null || mode === 'off' || b.label === 'Q') return null;
  if (mode === 'non-normal' && b.label === 'N') return null;
  const k = MODEL_CLASSES.indexOf(b.label as ModelClass);
  if (k < 0) return null;
  return buildExplain(origin, {
    beatSample: b.beat.index, wallMs: b.beat.wallMs ?? nowMs(), label: b.label as ModelClass, probability: b.probs[k],
    rrPrevMs: b.beat.rrPrevMs, map: b.gradcam, geometry,
  });
}
