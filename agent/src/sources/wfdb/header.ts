/**
 * WFDB header (.hea) parser: the record line and one line per signal.
 *
 * Reference: PhysioNet, "header(5)" in the WFDB Applications Guide, and the
 * WFDB library's readheader() (lib/signal.c). Field defaults follow the library:
 * sampling frequency 250 Hz, ADC gain 200 adu/unit when absent or 0, baseline =
 * ADC zero, initial value = ADC zero, units "mV", ADC resolution by format.
 *
 * Limits: single-segment records only (a `name/nseg` record line is rejected
 * with a clear error); signal lines are not checked against the supported
 * sample formats here (the signal reader does that), so header-only tools can
 * still list records whose data they cannot decode.
 */
import { readFile } from 'node:fs/promises';
import { WfdbError } from './errors.ts';

/** WFDB_DEFFREQ: sampling frequency when the record line gives none. */
export const DEFAULT_FS = 250;
/** WFDB_DEFGAIN: ADC units per physical unit when the header gives none (or 0). */
export const DEFAULT_ADC_GAIN = 200;

/** One signal line of a header. */
export interface WfdbSignalSpec {
  /** 0-based position among the record's signals. */
  index: number;
  /** Line number in the header (1-based), for error messages. */
  line: number;
  /** Data file, relative to the header's directory ('100.dat'). */
  fileName: string;
  /** Storage format code (212, 16, 80, 310, 311, ...). */
  format: number;
  /** Samples of this signal per frame (`x` suffix); 1 when absent. */
  samplesPerFrame: number;
  /** Skew in frames (`:` suffix): sample t is stored in frame t + skew. */
  skew: number;
  /** Bytes to skip at the start of the data file (`+` suffix). */
  byteOffset: number;
  /** ADC units per physical unit (per mV for MIT-BIH). */
  adcGain: number;
  /** True when the header gave no gain (or 0) and DEFAULT_ADC_GAIN applies. */
  adcGainDefaulted: boolean;
  /** ADC value of physical zero: (adc - baseline) / adcGain is the physical value. */
  baseline: number;
  /** Physical units ('mV'). */
  units: string;
  /** ADC resolution in bits. */
  adcResolution: number;
  /** ADC value at the middle of the converter's range. */
  adcZero: number;
  /** First sample value (ADC units). */
  initialValue: number;
  /** 16-bit checksum of all samples, if the header has one. */
  checksum?: number;
  /** Block size in bytes (0: not a block device). */
  blockSize: number;
  /** Signal description, e.g. 'MLII', 'V1' (may contain spaces). */
  description: string;
}

export interface WfdbHeader {
  /** The header file this was parsed from, as the caller named it. */
  headerPath: string;
  recordName: string;
  /** Frame rate, Hz (each signal's rate is fs x its samplesPerFrame). */
  fs: number;
  /** Counter frequency, Hz; equals fs when the header gives none. */
  counterFreq: number;
  /** Counter value of sample 0. */
  baseCounter: number;
  /** Frames per signal; undefined when the header does not say (read to end of file). */
  nsamp?: number;
  /** Base time as written ('HH:MM:SS[.sss]'), if given. */
  baseTime?: string;
  /** Base date as written ('DD/MM/YYYY'), if given. */
  baseDate?: string;
  signals: WfdbSignalSpec[];
  /** Comment lines without the leading '#', trimmed (MIT-BIH: age, sex, medications). */
  comments: string[];
}

const NUMBER = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`;
const FS_FIELD = new RegExp(String.raw`^(${NUMBER})(?:/(${NUMBER})(?:\((${NUMBER})\))?)?$`);
const FORMAT_FIELD = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/;
const GAIN_FIELD = new RegExp(String.raw`^(${NUMBER})(?:\(([-+]?\d+)\))?(?:/(\S+))?$`);
const INTEGER = /^[-+]?\d+$/;
const TIME_FIELD = /^\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d*)?)?$/;
const DATE_FIELD = /^\d{1,2}\/\d{1,2}\/\d{4}$/;

/** Default ADC resolution (bits) by format, as the WFDB library assumes. */
function defaultResolution(format: number): number {
  switch (format) {
    case 80: case 8: return 8;
    case 310: case 311: return 10;
    case 212: return 12;
    case 24: return 24;
    case 32: return 32;
    default: return 16;
  }
}

/** Whitespace-separated fields with the offset where each starts. */
function fieldsOf(line: string): { text: string; at: number }[] {
  const out: { text: string; at: number }[] = [];
  for (const m of line.matchAll(/\S+/g)) out.push({ text: m[0], at: m.index });
  return out;
}

class FieldReader {
  constructor(
    private readonly file: string,
    private readonly lineNo: number,
    private readonly fields: { text: string; at: number }[],
  ) {}

  fail(message: string): never {
    throw new WfdbError(this.file, `${this.file} line ${this.lineNo}: ${message}`);
  }

  has(i: number): boolean {
    return i < this.fields.length;
  }

  text(i: number): string {
    return this.fields[i].text;
  }

  match(i: number, what: string, re: RegExp, examples: string): RegExpMatchArray {
    const m = this.text(i).match(re);
    if (!m) this.fail(`field ${i + 1} (${what}): expected ${examples}, got "${this.text(i)}"`);
    return m;
  }

  integer(i: number, what: string, min = -Infinity): number {
    const t = this.text(i);
    const v = INTEGER.test(t) ? Number(t) : NaN;
    if (!Number.isSafeInteger(v) || v < min) {
      this.fail(`field ${i + 1} (${what}): expected ${min === 0 ? 'a non-negative' : 'an'} integer, got "${t}"`);
    }
    return v;
  }
}

function parseRecordLine(r: FieldReader, count: number): Omit<WfdbHeader, 'headerPath' | 'signals' | 'comments'> {
  if (count < 2) r.fail(`expected at least 2 fields (record name, number of signals), got ${count}`);
  const recordName = r.text(0);
  if (recordName.includes('/')) {
    r.fail(`record "${recordName}" is a multi-segment record (name/segments); only single-segment records are supported`);
  }
  r.integer(1, 'number of signals', 0);
  let fs = DEFAULT_FS;
  let counterFreq = DEFAULT_FS;
  let baseCounter = 0;
  if (r.has(2)) {
    const m = r.match(2, 'sampling frequency', FS_FIELD, 'a frequency such as 360, 360/3600 or 360/3600(0)');
    fs = Number(m[1]);
    if (!(fs > 0)) r.fail(`field 3 (sampling frequency): expected a positive number, got "${r.text(2)}"`);
    counterFreq = m[2] === undefined ? fs : Number(m[2]);
    baseCounter = m[3] === undefined ? 0 : Number(m[3]);
  }
  // 0 means "unknown" in WFDB: read to the end of the file.
  const nsamp = r.has(3) ? r.integer(3, 'number of samples per signal', 0) || undefined : undefined;
  let baseTime: string | undefined;
  let baseDate: string | undefined;
  if (r.has(4)) baseTime = r.match(4, 'base time', TIME_FIELD, 'a time such as 12:30:00')[0];
  if (r.has(5)) baseDate = r.match(5, 'base date', DATE_FIELD, 'a date such as 25/12/1980 (DD/MM/YYYY)')[0];
  if (r.has(6)) r.fail(`expected at most 6 fields (name, signals, frequency, samples, time, date), got ${count}`);
  return { recordName, fs, counterFreq, baseCounter, nsamp, baseTime, baseDate };
}

function parseSignalLine(r: FieldReader, line: string, fields: { text: string; at: number }[],
  index: number, lineNo: number): WfdbSignalSpec {
  if (fields.length < 2) r.fail(`expected at least 2 fields (file name, format), got ${fields.length}`);
  const fm = r.match(1, 'format', FORMAT_FIELD, 'a format such as 212, 16x4 (samples per frame), 212:2 (skew) or 16+512 (byte offset)');
  const format = Number(fm[1]);
  const samplesPerFrame = fm[2] === undefined ? 1 : Number(fm[2]);
  if (samplesPerFrame < 1) r.fail(`field 2 (format): samples per frame must be at least 1, got "${r.text(1)}"`);
  let adcGain = DEFAULT_ADC_GAIN;
  let adcGainDefaulted = true;
  let baselineField: number | undefined;
  let units = 'mV';
  if (r.has(2)) {
    const gm = r.match(2, 'ADC gain', GAIN_FIELD, 'a gain such as 200, 200(1024) (baseline) or 200/mV (units)');
    const g = Number(gm[1]);
    if (g !== 0) {
      adcGain = g;
      adcGainDefaulted = false;
    }
    if (gm[2] !== undefined) baselineField = Number(gm[2]);
    if (gm[3] !== undefined) units = gm[3];
  }
  const resolution = r.has(3) ? r.integer(3, 'ADC resolution', 0) : 0;
  const adcZero = r.has(4) ? r.integer(4, 'ADC zero') : 0;
  const initialValue = r.has(5) ? r.integer(5, 'initial value') : adcZero;
  const checksum = r.has(6) ? r.integer(6, 'checksum') : undefined;
  const blockSize = r.has(7) ? r.integer(7, 'block size', 0) : 0;
  const description = r.has(8) ? line.slice(fields[8].at).trim() : '';
  return {
    index, line: lineNo, fileName: r.text(0), format, samplesPerFrame,
    skew: fm[3] === undefined ? 0 : Number(fm[3]),
    byteOffset: fm[4] === undefined ? 0 : Number(fm[4]),
    adcGain, adcGainDefaulted,
    baseline: baselineField ?? adcZero,
    units,
    adcResolution: resolution === 0 ? defaultResolution(format) : resolution,
    adcZero, initialValue, checksum, blockSize, description,
  };
}

/**
 * Parses the text of a header. `headerPath` is only used in error messages
 * ('100.hea line 2: expected at least 2 fields (file name, format), got 1').
 */
export function parseHeader(text: string, headerPath: string): WfdbHeader {
  const lines = text.split(/\r?\n/);
  const comments: string[] = [];
  const signals: WfdbSignalSpec[] = [];
  let record: ReturnType<typeof parseRecordLine> | undefined;
  let nsig = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      comments.push(trimmed.slice(1).trim());
      continue;
    }
    const fields = fieldsOf(line);
    const r = new FieldReader(headerPath, i + 1, fields);
    if (record === undefined) {
      record = parseRecordLine(r, fields.length);
      nsig = Number(fields[1].text);
    } else if (signals.length < nsig) {
      signals.push(parseSignalLine(r, line, fields, signals.length, i + 1));
    } else {
      r.fail(`the record line says ${nsig} signal${nsig === 1 ? '' : 's'}, but this is signal line ${signals.length + 1}`);
    }
  }
  if (record === undefined) {
    throw new WfdbError(headerPath, `${headerPath}: no record line (the file is empty or holds only comments)`);
  }
  if (signals.length < nsig) {
    throw new WfdbError(headerPath,
      `${headerPath}: the record line says ${nsig} signals, but only ${signals.length} signal line${signals.length === 1 ? ' follows' : 's follow'}`);
  }
  return { headerPath, ...record, signals, comments };
}

/** Reads and parses `${recordPath}.hea` (recordPath: '/data/mitdb/100'). */
export async function readHeader(recordPath: string): Promise<WfdbHeader> {
  const headerPath = `${recordPath}.hea`;
  let text: string;
  try {
    text = await readFile(headerPath, 'latin1');
  } catch (err) {
    throw new WfdbError(headerPath, `${headerPath}: cannot read the header (${(err as Error).message})`);
  }
  return parseHeader(text, headerPath);
}

/**
 * Lead choice for MIT-BIH: MLII, else V5. Records 102 and 104 have no MLII
 * (their leads are V5 and V2; MLII was replaced by V5 because of surgical
 * dressings), and 114 has MLII as signal 1. Pass as `signal` to the readers.
 */
export const MITDB_PRIMARY_LEAD: readonly string[] = ['MLII', 'V5'];

/**
 * Index of a signal chosen by description ('MLII'), by 0-based index, or by a
 * list of descriptions tried in order (the first present wins). Throws naming
 * the signals the record has.
 */
export function findSignal(header: WfdbHeader, signal: string | number | readonly string[]): number {
  const names = header.signals.map((s, i) => `${i}: ${s.description || '(no description)'}`).join(', ');
  if (typeof signal === 'number') {
    if (Number.isInteger(signal) && signal >= 0 && signal < header.signals.length) return signal;
    throw new WfdbError(header.headerPath,
      `${header.headerPath}: no signal ${signal}; the record has ${header.signals.length} (${names})`);
  }
  const wanted = typeof signal === 'string' ? [signal] : signal;
  for (const name of wanted) {
    const i = header.signals.findIndex((s) => s.description === name);
    if (i >= 0) return i;
  }
  const asked = wanted.map((n) => `"${n}"`).join(' or ');
  throw new WfdbError(header.headerPath, `${header.headerPath}: no signal named ${asked}; the record has ${names}`);
}

/**
 * Wall-clock time of sample 0 in ms since the epoch, from the header's base
 * time and date taken as UTC (WFDB headers carry no time zone); undefined
 * unless both are given.
 */
export function baseWallMs(header: WfdbHeader): number | undefined {
  if (header.baseTime === undefined || header.baseDate === undefined) return undefined;
  const [d, m, y] = header.baseDate.split('/').map(Number);
  const parts = header.baseTime.split(':').map(Number);
  const [hh, mm, ss] = parts.length === 3 ? parts : [0, ...parts];
  return Date.UTC(y, m - 1, d, hh, mm) + ss * 1000;
}
