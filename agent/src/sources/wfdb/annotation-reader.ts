/**
 * Reader of MIT-format annotation files (.atr and the like).
 *
 * Reference: PhysioNet "annot(5)"; WFDB lib/annot.c getann(). The file is a
 * sequence of 16-bit little-endian words: code in the top 6 bits, time
 * difference (or pseudo-code data) in the low 10. Pseudo-codes: SKIP (59) adds
 * the 32-bit interval that follows (high 16-bit word first, each word little
 * endian); NUM (60), SUB (61) and CHN (62) set num, subtype and chan; AUX (63)
 * carries its byte count in the low 8 bits and the bytes, padded to an even
 * count. A zero word ends the file.
 *
 * Limits: MIT format only (not AHA); the whole file is read at once (annotation
 * files are small: 4-20 KB for an MIT-BIH record).
 */
import { readFile } from 'node:fs/promises';
import { annotationPath, auxText, type Annotation } from './annotation.ts';
import { symbolOf } from './annotation-codes.ts';
import { WfdbError } from './errors.ts';

export const SKIP = 59;
export const NUM = 60;
export const SUB = 61;
export const CHN = 62;
export const AUX = 63;
/** Mask of the time-difference / data bits of a word. */
export const DATA = 0x3ff;

/** The low 10 bits as a signed value (subtype and num are signed in WFDB). */
function signed10(v: number): number {
  return (v << 22) >> 22;
}

/** Decodes the bytes of an MIT annotation file; `file` names it in errors. */
export function decodeAnnotations(bytes: Uint8Array, file: string): Annotation[] {
  let at = 0;
  const fail = (what: string): never => {
    throw new WfdbError(file, `${file}: ${what} at byte ${at}; the file is truncated or not an MIT annotation file`);
  };
  const word = (): number => {
    if (at + 2 > bytes.length) fail('the data ends without the end-of-file word (0 0)');
    const w = bytes[at] | (bytes[at + 1] << 8);
    at += 2;
    return w;
  };
  const long = (): number => {
    if (at + 4 > bytes.length) fail('a SKIP interval is cut short');
    const high = bytes[at] | (bytes[at + 1] << 8);
    const low = bytes[at + 2] | (bytes[at + 3] << 8);
    at += 4;
    return (high << 16) | low; // signed 32-bit: WFDB writes negative skips for out-of-order input
  };

  const out: Annotation[] = [];
  let time = 0;
  let chan = 0;
  let num = 0;
  let w = word();
  while (w >> 10 === SKIP) {
    time += long();
    w = word();
  }
  while (w !== 0) {
    time += w & DATA;
    const code = w >> 10;
    const ann: Annotation = { sample: time, code, symbol: symbolOf(code), subtype: 0, chan, num };
    for (w = word(); w >> 10 >= SKIP; w = word()) {
      const data = w & DATA;
      switch (w >> 10) {
        case SKIP: time += long(); break;
        case SUB: ann.subtype = signed10(data); break;
        case CHN: ann.chan = chan = data; break;
        case NUM: ann.num = num = signed10(data); break;
        default: { // AUX
          const length = w & 0xff;
          if (at + length > bytes.length) fail(`an aux string of ${length} bytes is cut short`);
          const auxBytes = bytes.slice(at, at + length);
          at += length + (length & 1);
          ann.aux = auxText(auxBytes);
          ann.auxBytes = auxBytes;
        }
      }
    }
    out.push(ann);
  }
  return out;
}

/** Reads `${recordPath}.${annotator}` ('/data/mitdb/100' + 'atr'). */
export async function readAnnotations(recordPath: string, annotator = 'atr'): Promise<Annotation[]> {
  const path = annotationPath(recordPath, annotator);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new WfdbError(path, `${path}: cannot read the annotation file (${(err as Error).message})`);
  }
  return decodeAnnotations(bytes, path);
}
