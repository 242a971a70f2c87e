/**
 * Writer of MIT-format annotation files that PhysioNet's rdann and bxb read.
 *
 * Reference: WFDB lib/annot.c putann() and oannclose(), followed word for word
 * so that re-writing what the reader decoded gives the original bytes: a SKIP
 * before any time difference over 1023 or below 0 (then a word with difference
 * 0), a SKIP to one sample earlier before a code-0 annotation (whose word could
 * otherwise be the end-of-file 0), SUB when the subtype is not 0, CHN and NUM
 * only when they change, AUX with the bytes padded to an even count, and the
 * end-of-file word 0.
 *
 * Annotations should be in time order (then chan order); like putann, this
 * writes out-of-order ones with negative SKIPs rather than refusing them.
 */
import { writeFile } from 'node:fs/promises';
import { annotationPath, auxText, type AnnotationInput } from './annotation.ts';
import { MAX_ANNOTATION_CODE } from './annotation-codes.ts';
import { AUX, CHN, DATA, NUM, SKIP, SUB } from './annotation-reader.ts';
import { WfdbError } from './errors.ts';

const INT32_MAX = 2 ** 31 - 1;

function auxBytesOf(a: AnnotationInput, fail: (m: string) => never): Uint8Array | undefined {
  if (a.auxBytes !== undefined && (a.aux === undefined || auxText(a.auxBytes) === a.aux)) return a.auxBytes;
  if (a.aux === undefined) return undefined;
  const bytes = new Uint8Array(a.aux.length);
  for (let i = 0; i < a.aux.length; i++) {
    const c = a.aux.charCodeAt(i);
    if (c > 0xff) fail(`aux "${a.aux}" has a character beyond latin1 at position ${i}`);
    bytes[i] = c;
  }
  return bytes;
}

/** Encodes annotations as an MIT annotation file; `file` names the output in errors. */
export function encodeAnnotations(annotations: Iterable<AnnotationInput>, file = 'annotations'): Uint8Array {
  const words: number[] = []; // bytes, really; little-endian words pushed as pairs
  const p16 = (w: number) => words.push(w & 0xff, (w >> 8) & 0xff);
  const p32 = (v: number) => { p16((v >> 16) & 0xffff); p16(v & 0xffff); };
  let time = 0;
  let chan = 0;
  let num = 0;
  let i = 0;
  for (const a of annotations) {
    const fail = (what: string): never => {
      throw new WfdbError(file, `${file}: annotation ${i} (sample ${a.sample}): ${what}`);
    };
    const inRange = (name: string, v: number, lo: number, hi: number) => {
      if (!Number.isInteger(v) || v < lo || v > hi) fail(`${name} must be an integer in ${lo}..${hi}, got ${v}`);
    };
    const subtype = a.subtype ?? 0;
    const aChan = a.chan ?? 0;
    const aNum = a.num ?? 0;
    if (!Number.isSafeInteger(a.sample) || a.sample < 0) fail(`sample must be a non-negative integer, got ${a.sample}`);
    inRange('code', a.code, 0, MAX_ANNOTATION_CODE);
    inRange('subtype', subtype, -512, 511);
    inRange('chan', aChan, 0, 1023);
    inRange('num', aNum, -512, 511);
    const aux = auxBytesOf(a, fail);
    if (aux !== undefined && aux.length > 255) fail(`aux is ${aux.length} bytes, at most 255 fit`);

    let delta = a.sample - time;
    if (Math.abs(delta) > INT32_MAX) fail(`the gap of ${delta} samples from the previous annotation does not fit a 32-bit SKIP`);
    if (a.code === 0) {
      p16(SKIP << 10); p32(delta - 1); delta = 1;
    } else if (delta > DATA || delta < 0) {
      p16(SKIP << 10); p32(delta); delta = 0;
    }
    p16((a.code << 10) | delta);
    if (subtype !== 0) p16((SUB << 10) | (subtype & DATA));
    if (aChan !== chan) p16((CHN << 10) | (aChan & DATA));
    if (aNum !== num) p16((NUM << 10) | (aNum & DATA));
    if (aux !== undefined && aux.length > 0) {
      p16((AUX << 10) | aux.length);
      for (const b of aux) words.push(b);
      if (aux.length & 1) words.push(0);
    }
    time = a.sample;
    chan = aChan;
    num = aNum;
    i++;
  }
  p16(0);
  return Uint8Array.from(words);
}

/** Writes `${recordPath}.${annotator}`; returns the path written. */
export async function writeAnnotations(recordPath: string, annotator: string,
  annotations: Iterable<AnnotationInput>): Promise<string> {
  const path = annotationPath(recordPath, annotator);
  const bytes = encodeAnnotations(annotations, path);
  try {
    await writeFile(path, bytes);
  } catch (err) {
    throw new WfdbError(path, `${path}: cannot write the annotation file (${(err as Error).message})`);
  }
  return path;
}
