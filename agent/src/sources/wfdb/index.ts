/**
 * WFDB records for ArrhythmiNet Edge: headers, streaming signal readers,
 * MIT-format annotation reader and writer. See docs/wfdb.md.
 */
export { WfdbError } from './errors.ts';
export {
  baseWallMs, DEFAULT_ADC_GAIN, DEFAULT_FS, findSignal, MITDB_PRIMARY_LEAD, parseHeader, readHeader,
} from './header.ts';
export type { WfdbHeader, WfdbSignalSpec } from './header.ts';
export { SUPPORTED_FORMATS } from './formats.ts';
export { formatOf, readSignal, readSignalAdc, readWholeSignal } from './signal-reader.ts';
export type { ReadSignalOptions } from './signal-reader.ts';
export type { AdcChunk } from './adc-chunk.ts';
export { readFrames } from './frame-reader.ts';
export type { FrameChunk, ReadFramesOptions } from './frame-reader.ts';
export { listRecords, recordPath } from './records.ts';
export { annotationPath, auxText } from './annotation.ts';
export type { Annotation, AnnotationInput } from './annotation.ts';
export { decodeAnnotations, readAnnotations } from './annotation-reader.ts';
export { encodeAnnotations, writeAnnotations } from './annotation-writer.ts';
export {
  aamiClass, AnnotationCode, codeOf, isBeat, isQrs, MAX_ANNOTATION_CODE, symbolOf,
} from './annotation-codes.ts';
export type { AamiClass } from './annotation-codes.ts';
export { choosePrimaryLead, chooseSecondLead, readLeads } from './lead-pair.ts';
export type { ReadLeadsOptions } from './lead-pair.ts';
