/**
 * The two ECG leads of a WFDB record as one stream: the primary lead's
 * SampleChunks with the second lead riding along (SampleChunk.mv2, flags2),
 * for two-lead QRS detection (dsp/two-lead-qrs-detector.ts).
 *
 * Lead choice: the primary is the asked signal, else MLII, else V5 (MIT-BIH
 * 102 and 104), else signal 0; the second is the asked one, else the first
 * other signal at the primary's rate (MIT-BIH: V1, V2, V4 or V5; 114 has its
 * two signals swapped, which the choice by name handles).
 * Limits: the file is read twice (one pass per lead); the two signals must
 * have the same samples per frame.
 */
import type { SampleChunk } from '../../signal.ts';
import { WfdbError } from './errors.ts';
import { findSignal, MITDB_PRIMARY_LEAD, type WfdbHeader } from './header.ts';
import { readSignal, type ReadSignalOptions } from './signal-reader.ts';

/** A signal asked by name or 0-based index as text ('MLII', '0'). */
const signalRef = (asked: string): string | number => (/^\d+$/.test(asked) ? Number(asked) : asked);

/** The primary lead: `asked`, else MLII, else V5, else 0. */
export function choosePrimaryLead(header: WfdbHeader, asked?: string): number {
  if (asked !== undefined) return findSignal(header, signalRef(asked));
  try {
    return findSignal(header, MITDB_PRIMARY_LEAD);
  } catch {
    return 0;
  }
}

/**
 * The second lead: `asked` (which must differ from the primary and share its
 * rate), else the first other signal at the primary's rate; null when the
 * record has none.
 */
export function chooseSecondLead(header: WfdbHeader, primary: number, asked?: string): number | null {
  const rate = header.signals[primary].samplesPerFrame;
  if (asked !== undefined) {
    const i = findSignal(header, signalRef(asked));
    if (i === primary) {
      throw new WfdbError(header.headerPath, `${header.headerPath}: the second lead "${asked}" is the primary lead; choose another signal`);
    }
    if (header.signals[i].samplesPerFrame !== rate) {
      throw new WfdbError(header.headerPath, `${header.headerPath}: the second lead "${asked}" has ${header.signals[i].samplesPerFrame} samples per frame, the primary ${rate}; they must be equal`);
    }
    return i;
  }
  const i = header.signals.findIndex((s, k) => k !== primary && s.samplesPerFrame === rate);
  return i >= 0 ? i : null;
}

export interface ReadLeadsOptions extends Omit<ReadSignalOptions, 'signal' | 'header'> {
  header: WfdbHeader;
  primary: number;
  /** The second lead, or null for the primary alone. */
  second: number | null;
}

/** Streams the primary lead's chunks, each with the second lead's samples alongside (when `second` is not null). */
export async function* readLeads(recordPath: string, options: ReadLeadsOptions): AsyncGenerator<SampleChunk> {
  const { primary, second, ...read } = options;
  const first = readSignal(recordPath, { ...read, signal: primary });
  if (second === null) {
    yield* first;
    return;
  }
  const other = readSignal(recordPath, { ...read, signal: second });
  try {
    for await (const a of first) {
      const b = await other.next();
      if (b.done || b.value.start !== a.start || b.value.mv.length !== a.mv.length) {
        throw new WfdbError(options.header.headerPath, `${options.header.headerPath}: signals ${primary} and ${second} are not aligned at sample ${a.start}`);
      }
      const chunk: SampleChunk = { ...a, mv2: b.value.mv };
      if (b.value.flags !== undefined) chunk.flags2 = b.value.flags;
      yield chunk;
    }
  } finally {
    await other.return(undefined);
  }
}
