/**
 * The annotation value shared by the MIT-format reader and writer.
 *
 * Reference: PhysioNet "annot(5)" and the WFDB library's WFDB_Annotation.
 * `chan` and `num` are persistent in the file format (a CHN or NUM word changes
 * them for this and every later annotation); here every annotation carries its
 * own values, already resolved. `aux` is text; `auxBytes` keeps the stored bytes
 * exactly (MIT-BIH writes some rhythm labels with a trailing NUL, some without),
 * so that read-then-write reproduces a file byte for byte.
 */

export interface Annotation {
  /** Sample (frame) index from the start of the record. */
  sample: number;
  /** Annotation code, 0..49 (see annotation-codes.ts). */
  code: number;
  /** Its mnemonic: 'N', 'V', '+', ... */
  symbol: string;
  /** Subtype; 0 unless the file gives one (noise annotations, '~', use it). */
  subtype: number;
  /** Signal the annotation refers to (0 when the file never says). */
  chan: number;
  /** Annotator-defined number (0 when the file never says). */
  num: number;
  /** Auxiliary text, e.g. '(AFIB' on a rhythm change, trailing NULs removed. */
  aux?: string;
  /** The auxiliary bytes exactly as stored; the writer uses them when they still match `aux`. */
  auxBytes?: Uint8Array;
}

/** What the writer needs: the sample and code; the rest defaults to 0 / none. */
export type AnnotationInput = Pick<Annotation, 'sample' | 'code'> & Partial<Omit<Annotation, 'sample' | 'code' | 'symbol'>>;

/** Aux bytes as text: latin1, trailing NULs removed. */
export function auxText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  let s = '';
  for (let i = 0; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

/** The annotation file of `annotator` ('atr') for a record path ('/data/mitdb/100'). */
export function annotationPath(recordPath: string, annotator: string): string {
  return `${recordPath}.${annotator}`;
}
