/**
 * WFDB records for ArrhythmiNet Edge: headers, streaming signal readers,
 * MIT-format annotation reader and writer. See docs/wfdb.md.
 */
export { WfdbError } from './errors.ts';
export { DEFAULT_ADC_GAIN, DEFAULT_FS, findSignal, parseHeader, readHeader } from './header.ts';
export type { WfdbHeader, WfdbSignalSpec } from './header.ts';
export { SUPPORTED_FORMATS } from './formats.ts';
export { formatOf, readSignal, readSignalAdc } from './signal-reader.ts';
export type { AdcChunk, ReadSignalOptions } from './signal-reader.ts';
export { readFrames } from './frame-reader.ts';
export type { FrameChunk, ReadFramesOptions } from './frame-reader.ts';
export { listRecords, recordPath } from './records.ts';
