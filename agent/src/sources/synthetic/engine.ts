/**
 * The synthetic ECG generator: integrates the dynamical model of McSharry et al.
 * 2003 and hands out its samples in chunks of any size.
 *
 * The model moves a point around a limit cycle in (x, y) at angular speed omega
 * while Gaussian events at phases theta_i push its height z:
 *   dz/dt = -sum_i a_i dtheta_i exp(-dtheta_i^2 / (2 b_i^2)) - (z - z0(t)),
 *   z0(t) = A sin(2 pi f_resp t)  (respiration).
 * On the limit cycle the phase simply advances at omega, so we carry the phase of
 * each beat directly instead of integrating x and y: beat k has its R peak at a
 * scheduled time t_k and dtheta_i = omega_k (t - t_k) - theta_i, with omega_k =
 * 2 pi / RR of the underlying sinus rhythm. This keeps the paper's z dynamics and
 * event tables while placing every R peak exactly where the rhythm (and any
 * injected ectopic) says, which is what makes the ground truth exact.
 *
 * z is integrated by classical fourth-order Runge-Kutta at an internal rate of at
 * least 1000 Hz (an integer multiple of the output rate) and decimated, as ECGSYN
 * does; the signal has no content near the output Nyquist frequency. Noise is
 * added at the output rate. Samples come out in the same order and with the same
 * values whatever chunk sizes are asked for: every random stream is drawn once
 * per beat or per sample in sequence.
 */
import { SampleFlag, type SampleChunk } from '../../signal.ts';
import { beatWaves, sinusRHeight, type BeatKind } from './morphology.ts';
import { baselineWander, mainsHum, muscleNoise, type NoiseSource } from './noise.ts';
import { resolveOptions, type ResolvedOptions, type SyntheticOptions } from './options.ts';
import { mulberry32, streamSeed } from './prng.ts';
import { BeatScheduler, createTachogram, type Tachogram } from './rhythm.ts';

/** A beat the generator produced: the ground truth for detectors and classifiers. */
export interface TruthBeat {
  /** Sample index of the R peak at the output rate, from the stream start. */
  rIndex: number;
  kind: BeatKind;
  /** Interval from the previous R peak, ms (first beat: the rhythm's RR there). */
  rrMs: number;
}

/** A chunk of synthetic ECG with the beats whose R peak falls inside it. */
export interface SyntheticChunk extends SampleChunk {
  beats: TruthBeat[];
}

/** One Gaussian event of a scheduled beat, with its constants worked out once. */
interface ActiveWave { thetaRad: number; a: number; cutoffRad: number; inv2b2: number }

interface ActiveBeat {
  tSec: number;
  omegaRadS: number;
  waves: ActiveWave[];
  /** The span outside which its events are negligible (beyond 6 widths), s. */
  startSec: number;
  endSec: number;
}

const MIN_INTERNAL_HZ = 1000;
/** Beats are scheduled this far ahead of the integration so their P waves are in. */
const LOOKAHEAD_SEC = 3;
const RESPIRATION_HZ = 0.25;
const EVENT_EXTENT_WIDTHS = 6;
const STREAM = { tachogram: 0, baseline: 1, mains: 2, muscle: 3 } as const;

export class SyntheticEcg {
  readonly fs: number;
  readonly options: ResolvedOptions;
  private readonly oversample: number;
  private readonly dtSec: number;
  private readonly gainMvPerZ: number;
  private readonly tachogram: Tachogram;
  private readonly scheduler: BeatScheduler;
  private readonly noise: NoiseSource[] = [];
  private readonly respOmega = 2 * Math.PI * RESPIRATION_HZ;
  /** Internal integration step index; t = step * dtSec. */
  private step = 0;
  /** Model height z at the current step, mV. */
  private z = 0;
  /** Next output sample index. */
  private position = 0;
  private active: ActiveBeat[] = [];
  /** Beats scheduled but not yet handed out, in order. */
  private pending: TruthBeat[] = [];
  private lastScheduledSec = Number.NEGATIVE_INFINITY;
  /** drive() at the current step, kept from the previous step's end point. */
  private driveNow = Number.NaN;

  constructor(options: SyntheticOptions = {}) {
    const o = resolveOptions(options);
    this.options = o;
    this.fs = o.fs;
    this.oversample = Math.ceil(MIN_INTERNAL_HZ / o.fs);
    this.dtSec = 1 / (o.fs * this.oversample);
    this.tachogram = createTachogram(o, mulberry32(streamSeed(o.seed, STREAM.tachogram)));
    const meanOmega = (2 * Math.PI) / this.tachogram.rrMeanSec;
    this.gainMvPerZ = o.rMv / sinusRHeight(o.hrMeanBpm, meanOmega);
    const sinus = beatWaves('N', o.hrMeanBpm);
    const leadSec = -Math.min(...sinus.map((w) => w.thetaRad - EVENT_EXTENT_WIDTHS * w.bRad)) / meanOmega;
    // The first R comes late enough for its whole P wave to be in the stream.
    this.scheduler = new BeatScheduler(this.tachogram, o.ectopics, Math.max(0.6 * this.tachogram.rrMeanSec, leadSec), o.pauses);
    const n = o.noise;
    const rand = (stream: number) => mulberry32(streamSeed(o.seed, stream));
    if (n.baselineMv > 0) this.noise.push(baselineWander(o.fs, n.baselineMv, rand(STREAM.baseline)));
    if (n.mainsMv > 0) this.noise.push(mainsHum(o.fs, n.mainsHz, n.mainsMv, rand(STREAM.mains)));
    if (n.muscleMv > 0) this.noise.push(muscleNoise(o.fs, n.muscleMv, rand(STREAM.muscle)));
  }

  /** Index of the next sample `next` will return. */
  get samplesProduced(): number {
    return this.position;
  }

  /** The next `count` samples, with the beats whose R peak lies among them. */
  next(count: number): SyntheticChunk {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`chunk size must be an integer >= 1; got ${count}`);
    const start = this.position;
    const end = start + count;
    this.scheduleUntil(end / this.fs + LOOKAHEAD_SEC);
    const mv = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const n = start + i;
      let v = this.z;
      for (const source of this.noise) v += source(n);
      mv[i] = v;
      this.retireBeats(this.step * this.dtSec);
      for (let s = 0; s < this.oversample; s++) this.integrateStep();
    }
    this.position = end;
    let taken = 0;
    while (taken < this.pending.length && this.pending[taken].rIndex < end) taken++;
    const beats = this.pending.splice(0, taken);
    const chunk: SyntheticChunk = { start, fs: this.fs, mv, beats };
    const flags = this.flags(start, count);
    if (flags) chunk.flags = flags;
    if (this.options.startWallMs !== undefined) chunk.wallMs = this.options.startWallMs + (start * 1000) / this.fs;
    return chunk;
  }

  /** LEAD_OFF / SATURATED flags of samples [start, start + count); null when all are clean. */
  private flags(start: number, count: number): Uint8Array | null {
    let flags: Uint8Array | null = null;
    const mark = (intervals: ResolvedOptions['leadOff'], flag: number) => {
      for (const iv of intervals) {
        const from = Math.max(start, Math.round(iv.startSec * this.fs));
        const to = Math.min(start + count, Math.round((iv.startSec + iv.durationSec) * this.fs));
        if (from >= to) continue;
        flags ??= new Uint8Array(count);
        for (let i = from; i < to; i++) flags[i - start] |= flag;
      }
    };
    mark(this.options.leadOff, SampleFlag.LEAD_OFF);
    mark(this.options.saturate, SampleFlag.SATURATED);
    return flags;
  }

  private scheduleUntil(untilSec: number): void {
    while (this.lastScheduledSec < untilSec) {
      const beat = this.scheduler.next();
      this.lastScheduledSec = beat.tSec;
      const omegaRadS = (2 * Math.PI) / beat.sinusRrSec;
      const waves = beatWaves(beat.kind, this.options.hrMeanBpm);
      this.active.push({
        tSec: beat.tSec,
        omegaRadS,
        waves: waves.map((w) => ({
          thetaRad: w.thetaRad,
          a: w.a * this.gainMvPerZ,
          cutoffRad: EVENT_EXTENT_WIDTHS * w.bRad,
          inv2b2: 1 / (2 * w.bRad * w.bRad),
        })),
        startSec: beat.tSec + Math.min(...waves.map((w) => w.thetaRad - EVENT_EXTENT_WIDTHS * w.bRad)) / omegaRadS,
        endSec: beat.tSec + Math.max(...waves.map((w) => w.thetaRad + EVENT_EXTENT_WIDTHS * w.bRad)) / omegaRadS,
      });
      this.pending.push({ rIndex: Math.round(beat.tSec * this.fs), kind: beat.kind, rrMs: beat.rrSec * 1000 });
    }
  }

  private retireBeats(tSec: number): void {
    if (this.active.length > 0 && this.active[0].endSec < tSec) this.active = this.active.filter((b) => b.endSec >= tSec);
  }

  /** The explicit part of dz/dt at time t: the events' push plus z0(t). */
  private drive(tSec: number): number {
    let f = this.options.respirationMv * Math.sin(this.respOmega * tSec);
    for (const beat of this.active) {
      if (tSec < beat.startSec || tSec > beat.endSec) continue;
      const phase = beat.omegaRadS * (tSec - beat.tSec);
      for (const w of beat.waves) {
        const d = phase - w.thetaRad;
        if (d > w.cutoffRad || d < -w.cutoffRad) continue;
        f -= w.a * d * Math.exp(-d * d * w.inv2b2);
      }
    }
    return f;
  }

  /** One RK4 step of dz/dt = drive(t) - z. */
  private integrateStep(): void {
    const h = this.dtSec;
    const t = this.step * h;
    // Beats are scheduled seconds ahead, so none appears between two steps and
    // the previous step's end value is still right.
    const g0 = Number.isNaN(this.driveNow) ? this.drive(t) : this.driveNow;
    const gMid = this.drive(t + h / 2);
    const g1 = this.drive(t + h);
    const z = this.z;
    const k1 = g0 - z;
    const k2 = gMid - (z + (h / 2) * k1);
    const k3 = gMid - (z + (h / 2) * k2);
    const k4 = g1 - (z + h * k3);
    this.z = z + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    this.driveNow = g1;
    this.step++;
  }
}
