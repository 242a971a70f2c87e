/**
 * Runs the noise stress test (noise-stress.ts) end to end: reads a MIT-BIH
 * record and an NSTDB noise recording, builds the noisy signal as nst does for
 * each SNR on both ECG leads (each lead gets its own noise signal, scaled to
 * that lead's own QRS amplitude, as nst does), feeds them as SampleChunks
 * (primary lead, second lead alongside) through THE pipeline (beatPipeline, the
 * same path as the live agent and `eval detect --run-detector`), and evaluates
 * the beats with the EC57 evaluator (evaluate.ts, bxb's rules) from minute 5.
 * Also counts what the quality stage says: beats it marks not classifiable and
 * seconds of bad-signal spans, inside the noisy and the clean segments.
 * `leads` 1 gives the detector the primary lead only (the noisy second lead is
 * still built, so the primary's noise is the same in both modes).
 * Limits: whole signals are held in memory (one 30-min record: 2.6 MB per copy).
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { beatPipeline, type Beat, type DetectionLeads, type PipelineOptions, type SignalSpan } from '../pipeline.ts';
import type { SampleChunk } from '../signal.ts';
import {
  choosePrimaryLead, chooseSecondLead, readAnnotations, readHeader, readWholeSignal, type WfdbHeader,
} from '../sources/wfdb/index.ts';
import type { BeatPair, EvalAnnotation } from './beat-match.ts';
import { evaluateRecords, type Evaluation, type RecordAnnotations } from './evaluate.ts';
import {
  addScheduledNoise, isMap1Normal, noiseGain, noiseRms, nstSchedule, qrsAmplitude, type NoiseSegment,
} from './noise-stress.ts';

/** A clean MIT-BIH record with what nst measures on it. */
export interface StressRecord {
  name: string;
  header: WfdbHeader;
  /** Index of the ECG signal used (MLII, else V5, else 0). */
  signal: number;
  clean: Float32Array;
  reference: EvalAnnotation[];
  /** Normal-QRS peak-to-peak amplitude, mV (sigamp -a). */
  signalPtpMv: number;
  /** The second ECG lead (the record's other signal), measured the same way; null when there is none. */
  second: { signal: number; clean: Float32Array; signalPtpMv: number } | null;
}

/** A noise recording, one signal, with its RMS amplitude. */
export interface StressNoise {
  name: string;
  fs: number;
  /** Signal index used, and all signals of the recording, mV. */
  signals: Float32Array[];
  /** RMS amplitude of each signal, mV (sigamp -r). */
  rmsMv: number[];
}

export async function loadStressRecord(recordPath: string, name: string): Promise<StressRecord> {
  const header = await readHeader(recordPath);
  const signal = choosePrimaryLead(header);
  const { mv: clean } = await readWholeSignal(recordPath, { header, signal });
  const annotations = await readAnnotations(recordPath, 'atr');
  const normals = annotations.filter((a) => isMap1Normal(a.code)).map((a) => a.sample);
  const signal2 = chooseSecondLead(header, signal);
  let second: StressRecord['second'] = null;
  if (signal2 !== null) {
    const { mv } = await readWholeSignal(recordPath, { header, signal: signal2 });
    second = { signal: signal2, clean: mv, signalPtpMv: qrsAmplitude(mv, header.fs, normals) };
  }
  return {
    name, header, signal, clean,
    reference: annotations.map((a) => ({ sample: a.sample, symbol: a.symbol, subtype: a.subtype })),
    signalPtpMv: qrsAmplitude(clean, header.fs, normals),
    second,
  };
}

export async function loadStressNoise(recordPath: string, name: string): Promise<StressNoise> {
  const header = await readHeader(recordPath);
  const signals: Float32Array[] = [];
  for (const s of header.signals) signals.push((await readWholeSignal(recordPath, { header, signal: s.index })).mv);
  return { name, fs: header.fs, signals, rmsMv: signals.map((s) => noiseRms(s, header.fs)) };
}

/** What the quality stage said over one noisy record, from `fromSample` on. */
export interface QualityCounts {
  /** Beats whose quality is not 'good' (not classified), in noisy / clean segments. */
  unclassifiableNoisy: number;
  unclassifiableClean: number;
  /** Beats detected in noisy / clean segments. */
  beatsNoisy: number;
  beatsClean: number;
  /** Seconds inside bad-signal spans, in noisy / clean segments. */
  badSNoisy: number;
  badSClean: number;
  /** Length of the noisy / clean segments, s. */
  noisyS: number;
  cleanS: number;
}

export interface StressRun {
  record: string;
  /** Leads the detector used: 2 only when asked and the record has a second lead. */
  leads: DetectionLeads;
  /** Asked SNR, dB; null: no noise added (the clean baseline). */
  snrDb: number | null;
  /** Noise gain applied (0 for the baseline). */
  gain: number;
  test: EvalAnnotation[];
  /** Samples (source rate) of the test beats the quality stage marked not classifiable. */
  unclassifiable: Set<number>;
  quality: QualityCounts;
}

/** The signal (and a second lead) as chunks of `size` samples, the way a source emits them. */
export function* sampleChunks(mv: Float32Array, fs: number, size = 8192, mv2: Float32Array | null = null): Generator<SampleChunk> {
  for (let s = 0; s < mv.length; s += size) {
    yield mv2 === null ? { start: s, fs, mv: mv.subarray(s, s + size) } : { start: s, fs, mv: mv.subarray(s, s + size), mv2: mv2.subarray(s, s + size) };
  }
}

/** Both leads of `record` (its first `length` samples) with the noise nst adds at `snr` (null: clean). */
export interface NoisyLeads {
  primary: Float32Array;
  second: Float32Array | null;
  /** Noise gain of the primary lead (0: clean). */
  gain: number;
  schedule: NoiseSegment[];
}

/**
 * nst over each lead: ECG signal i gets noise signal i mod (noise signals),
 * scaled by its own gain for `snr` (its own QRS amplitude, that noise signal's RMS).
 */
export function noisyLeads(record: StressRecord, noise: StressNoise, snr: number | null, length = record.clean.length): NoisyLeads {
  const fs = record.header.fs;
  if (noise.fs !== fs) {
    throw new RangeError(`noise recording ${noise.name} is at ${noise.fs} Hz, record ${record.name} at ${fs} Hz; `
      + 'they must have the same rate (nst would resample the noise; this tool does not)');
  }
  const schedule = nstSchedule(length, fs);
  const lead = (clean: Float32Array, signal: number, ptpMv: number) => {
    const n = signal % noise.signals.length;
    const gain = snr === null ? 0 : noiseGain(snr, ptpMv, noise.rmsMv[n]);
    const part = clean.subarray(0, length);
    return { gain, mv: gain === 0 ? part : addScheduledNoise(part, noise.signals[n], gain, schedule) };
  };
  const p = lead(record.clean, record.signal, record.signalPtpMv);
  const s = record.second === null ? null : lead(record.second.clean, record.second.signal, record.second.signalPtpMv).mv;
  return { primary: p.mv, second: s, gain: p.gain, schedule };
}

/** The pipeline's beats as test annotations at the source rate (as annotate writes them). */
export function beatsAsAnnotations(beats: readonly Beat[]): EvalAnnotation[] {
  const out: EvalAnnotation[] = [];
  for (const b of beats) {
    if (out.length > 0 && b.sourceIndex <= out[out.length - 1].sample) continue;
    out.push({ sample: b.sourceIndex, symbol: 'Q' });
  }
  return out;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

export function qualityCounts(beats: readonly Beat[], spans: readonly SignalSpan[], schedule: readonly NoiseSegment[],
  fs: number, fromSample: number): QualityCounts {
  const q: QualityCounts = {
    unclassifiableNoisy: 0, unclassifiableClean: 0, beatsNoisy: 0, beatsClean: 0,
    badSNoisy: 0, badSClean: 0, noisyS: 0, cleanS: 0,
  };
  const segs = schedule.map((s) => ({ ...s, start: Math.max(s.start, fromSample) })).filter((s) => s.end > s.start);
  for (const s of segs) {
    if (s.noisy) q.noisyS += (s.end - s.start) / fs; else q.cleanS += (s.end - s.start) / fs;
    for (const sp of spans) {
      const o = overlap(sp.sourceStart, sp.sourceEnd, s.start, s.end) / fs;
      if (s.noisy) q.badSNoisy += o; else q.badSClean += o;
    }
  }
  for (const b of beats) {
    const seg = segs.find((s) => b.sourceIndex >= s.start && b.sourceIndex < s.end);
    if (seg === undefined) continue;
    const bad = b.quality !== 'good';
    if (seg.noisy) { q.beatsNoisy++; if (bad) q.unclassifiableNoisy++; } else { q.beatsClean++; if (bad) q.unclassifiableClean++; }
  }
  return q;
}

/**
 * One record at one SNR (null: no noise) through the pipeline, with `leads`
 * (default 2: the second lead too, when the record has one).
 */
export async function runStress(record: StressRecord, noise: StressNoise, snr: number | null,
  options: { fromS?: number; pipeline?: PipelineOptions; leads?: DetectionLeads; durationS?: number } = {}): Promise<StressRun> {
  const fs = record.header.fs;
  const length = options.durationS === undefined ? record.clean.length : Math.min(record.clean.length, Math.round(options.durationS * fs));
  const { primary, second, gain, schedule } = noisyLeads(record, noise, snr, length);
  const leads: DetectionLeads = (options.leads ?? 2) === 2 && second !== null ? 2 : 1;
  const out = await lastValueFrom(from(sampleChunks(primary, fs, 8192, leads === 2 ? second : null))
    .pipe(beatPipeline({ ...options.pipeline, leads }), toArray()));
  const beats = out.filter((r): r is Beat => r.kind === 'beat');
  const spans = out.filter((r): r is SignalSpan => r.kind === 'bad-signal');
  return {
    record: record.name, leads, snrDb: snr, gain,
    test: beatsAsAnnotations(beats),
    unclassifiable: new Set(beats.filter((b) => b.quality !== 'good').map((b) => b.sourceIndex)),
    quality: qualityCounts(beats, spans, schedule, fs, Math.round((options.fromS ?? 300) * fs)),
  };
}

/** EC57 evaluation of runs at one SNR (one per record), from `fromS`. */
export async function evaluateRuns(records: readonly StressRecord[], runs: readonly StressRun[],
  fromS = 300, lengthS?: number): Promise<Evaluation> {
  const load = async (name: string): Promise<RecordAnnotations> => {
    const r = records.find((x) => x.name === name)!;
    const run = runs.find((x) => x.record === name)!;
    const length = lengthS === undefined ? r.header.nsamp : Math.min(r.header.nsamp ?? Infinity, Math.round(lengthS * r.header.fs));
    const reference = r.reference.filter((a) => length === undefined || a.sample < length);
    return { fs: r.header.fs, lengthSamples: length, reference, test: run.test };
  };
  return evaluateRecords(runs.map((r) => r.record), load, { startS: fromS, keepPairs: true });
}

/**
 * False positives (test beats matching no reference beat, from the start of
 * the comparison) split by what the quality stage said: the ones it marked not
 * classifiable never reach the classifier, so they cannot raise a false
 * arrhythmia; the others can.
 */
export function falsePositivesByQuality(pairs: readonly BeatPair[], unclassifiable: ReadonlySet<number>):
  { total: number; unclassifiable: number } {
  let total = 0;
  let poor = 0;
  for (const p of pairs) {
    if (p.kind !== 'extra' || p.testSample === null) continue;
    total++;
    if (unclassifiable.has(p.testSample)) poor++;
  }
  return { total, unclassifiable: poor };
}
