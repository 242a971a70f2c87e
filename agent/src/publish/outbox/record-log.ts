/**
 * Framing of the outbox log file: each record is
 *   u32 LE body length | u32 LE CRC-32 of the body | body (UTF-8 JSON)
 * with body {"op":"put","seq","kind","topic","payload"} or {"op":"ack","seq"}.
 *
 * A crash can leave the last record torn (partly written). Decoding stops at the
 * first record that is short, too long, fails its CRC or does not parse, and
 * reports the offset of the end of the last good record, so the file can be
 * truncated there: earlier records are never affected. A bad record in the
 * middle (media corruption) also ends decoding there: the length fields after
 * it cannot be trusted, so what follows is dropped, and reported.
 */
import { crc32 } from 'node:zlib';
import { OUTBOX_KINDS, type OutboxEntry } from './store.ts';

export type LogRecord = ({ op: 'put' } & OutboxEntry) | { op: 'ack'; seq: number };

export const HEADER_BYTES = 8;
/** Far above any message we send; a larger length field means a corrupt header. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function encodeRecord(r: LogRecord): Buffer {
  const body = Buffer.from(JSON.stringify(r), 'utf8');
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body), 4);
  body.copy(out, HEADER_BYTES);
  return out;
}

export interface Decoded {
  records: LogRecord[];
  /** Bytes of whole, valid records from the start of the buffer. */
  goodBytes: number;
  /** Why decoding stopped before the end, if it did. */
  problem?: string;
}

export function decodeRecords(buf: Buffer): Decoded {
  const records: LogRecord[] = [];
  let at = 0;
  const stop = (problem: string): Decoded => ({ records, goodBytes: at, problem: `${problem} at byte ${at}` });
  while (at < buf.length) {
    if (buf.length - at < HEADER_BYTES) return stop(`torn record header (${buf.length - at} of ${HEADER_BYTES} bytes)`);
    const len = buf.readUInt32LE(at);
    if (len > MAX_BODY_BYTES) return stop(`impossible record length ${len}`);
    if (buf.length - at - HEADER_BYTES < len) return stop(`torn record body (${buf.length - at - HEADER_BYTES} of ${len} bytes)`);
    const body = buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + len);
    if (crc32(body) !== buf.readUInt32LE(at + 4)) return stop('record CRC mismatch');
    const r = parseBody(body);
    if (!r) return stop('record body is not a valid put or ack');
    records.push(r);
    at += HEADER_BYTES + len;
  }
  return { records, goodBytes: at };
}

function parseBody(body: Buffer): LogRecord | null {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (!Number.isSafeInteger(r.seq) || (r.seq as number) < 1) return null;
  if (r.op === 'ack') return { op: 'ack', seq: r.seq as number };
  if (r.op === 'put' && OUTBOX_KINDS.includes(r.kind as never) && typeof r.topic === 'string' && typeof r.payload === 'string') {
    return { op: 'put', seq: r.seq as number, kind: r.kind as OutboxEntry['kind'], topic: r.topic, payload: r.payload };
  }
  return null;
}
