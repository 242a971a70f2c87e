/**
 * A classifier that reads the answer from a WFDB record's reference annotation
 * file: each detected beat takes the label of the reference beat within 150 ms
 * (the EC57 match window) of its R peak, mapped to the model's classes
 * (N L R A V; aberrant/nodal/supraventricular premature a J S -> A, ventricular
 * escape E -> V); unmatched beats and other types are Q.
 * For replays that must exercise the rhythm rules and the publishing end to end
 * with known labels, independent of any model's accuracy (`run --reference-labels`).
 * Probabilities are one-hot (the reference is taken as certain), null for Q.
 * Not a model: the status says which annotator labelled the beats.
 */
import type { Beat } from '../pipeline.ts';
import type { BeatLabel } from '../rhythm/types.ts';
import { isBeat, readAnnotations, type Annotation } from '../sources/wfdb/index.ts';
import type { BeatClassifier, Classification } from './classifier.ts';

const TO_LABEL: Readonly<Record<string, BeatLabel>> = {
  N: 'N', L: 'L', R: 'R', A: 'A', a: 'A', J: 'A', S: 'A', V: 'V', E: 'V',
};

/** The model's classes in model order (models/spec.json); a reference label is certain: one-hot. */
const CLASSES: readonly BeatLabel[] = ['N', 'L', 'R', 'A', 'V'];

/** EC57 beat match window, s. */
const MATCH_S = 0.15;

export async function referenceClassifier(recordPath: string, annotator = 'atr'): Promise<BeatClassifier> {
  const beats: Annotation[] = (await readAnnotations(recordPath, annotator)).filter((a) => isBeat(a.code));
  /** Index of the first reference beat not yet behind the stream (beats arrive in order). */
  let cursor = 0;
  const label = (b: Beat): BeatLabel => {
    const win = Math.round(MATCH_S * b.sourceFs);
    while (cursor < beats.length && beats[cursor].sample < b.sourceIndex - win) cursor++;
    let best: Annotation | undefined;
    for (let i = cursor; i < beats.length && beats[i].sample <= b.sourceIndex + win; i++) {
      if (!best || Math.abs(beats[i].sample - b.sourceIndex) < Math.abs(best.sample - b.sourceIndex)) best = beats[i];
    }
    return best ? TO_LABEL[best.symbol] ?? 'Q' : 'Q';
  };
  return {
    id: `reference annotations (${annotator})`,
    isModel: true,
    classify: (batch) => Promise.resolve(batch.map((b): Classification => {
      const l = label(b);
      return { label: l, probs: l === 'Q' ? null : CLASSES.map((c) => (c === l ? 1 : 0)) };
    })),
  };
}
