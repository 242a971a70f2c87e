/** ADS1292 wire codecs (DESIGN.md section 3): our framed format and ProtoCentral OpenView. */
export * from './types.ts';
export * from './conversion.ts';
export { crc16CcittFalse } from './crc16.ts';
export { encodeDataFrame, encodeInfoFrame, PROTOCOL_VERSION, type InfoFields } from './ours-format.ts';
export { OursDecoder, type OursDecoderOptions } from './ours-decoder.ts';
export { OursEncoder, type OursEncoderOptions } from './ours-encoder.ts';
export { OpenViewDecoder, OpenViewEncoder, type OpenViewDecoderOptions } from './openview-codec.ts';
export { OPENVIEW_PRESETS, resolveLayout, validateLayout, type OpenViewLayout, type OpenViewField } from './openview-layouts.ts';
export { SampleChunkAdapter, decodeFrames, toSampleChunks } from './to-sample-chunks.ts';
