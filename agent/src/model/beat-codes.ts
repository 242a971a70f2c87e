/**
 * Model labels as MIT annotation codes (WFDB ecgcodes.h), for annotation files
 * and the EC57 evaluator: N, L, R, A, V as themselves, 'Q' (abstained or not
 * classifiable) as UNKNOWN. EC57 then counts A as S (SVEB) and V as V (VEB).
 */
import { AnnotationCode } from '../sources/wfdb/index.ts';

const CODES: Readonly<Record<string, number>> = {
  N: AnnotationCode.NORMAL, L: AnnotationCode.LBBB, R: AnnotationCode.RBBB, A: AnnotationCode.APC,
  V: AnnotationCode.PVC, Q: AnnotationCode.UNKNOWN,
};

export function annotationCodeOf(label: string): number {
  const code = CODES[label];
  if (code === undefined) throw new RangeError(`model label '${label}' has no annotation code (known: ${Object.keys(CODES).join(', ')})`);
  return code;
}
