import test from 'ava';
import { QualityFlag, SignalQuality, type BadSignalSpan, type BadSignalStart, type SignalQualityOptions } from '../../agent/src/dsp/signal-quality.ts';
import { SampleFlag } from '../../agent/src/signal.ts';
import { prng, syntheticEcg } from './synthetic-ecg.ts';

function assess(mv: Float32Array, flags?: Uint8Array, size = Infinity) {
  const q = new SignalQuality({ fs: 360 });
  const spans: BadSignalSpan[] = [];
  const starts: BadSignalStart[] = [];
  const out: number[] = [];
  const keep = (list: (BadSignalSpan | BadSignalStart)[]) => {
    for (const s of list) {
      if (s.kind === 'bad-signal') spans.push(s);
      else starts.push(s);
    }
  };
  const step = Number.isFinite(size) ? size : mv.length;
  for (let s = 0; s < mv.length; s += step) {
    for (const b of q.process(mv.subarray(s, s + step), flags?.subarray(s, s + step))) {
      t0(b.start, out.length);
      out.push(...b.flags);
      keep(b.spans);
    }
  }
  const b = q.flush();
  out.push(...b.flags);
  keep(b.spans);
  return { spans, starts, flags: out };
}
function t0(start: number, expected: number) {
  if (start !== expected) throw new Error(`block starts at ${start}, expected ${expected}`);
}

test('clean ECG: no spans, no judged flags', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 60, seed: 1 });
  const { spans, flags } = assess(ecg.mv);
  t.deepEqual(spans, []);
  t.is(flags.length, ecg.mv.length);
  t.true(flags.every((f) => f === 0));
});

test('a flat stretch is a FLAT span, at block resolution', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 40, seed: 1 });
  ecg.mv.fill(0.4, 10 * 360, 25 * 360);
  const { spans, flags } = assess(ecg.mv);
  const flat = spans.filter((s) => s.reason === 'flat');
  t.is(flat.length, 1);
  t.like(flat[0], { kind: 'bad-signal', reason: 'flat', fs: 360 });
  // The 2-s window sees the flat line fully from the 2nd flat block on; the
  // block before, with the filter's decay after the step, may be judged noisy.
  t.true(flat[0].start >= 10 * 360 && flat[0].start <= 12 * 360);
  t.true(flat[0].end >= 24 * 360 && flat[0].end <= 26 * 360);
  t.true(spans.every((s) => s === flat[0] || (s.start >= 10 * 360 && s.end <= flat[0].start)));
  t.is(flags[20 * 360] & QualityFlag.FLAT, QualityFlag.FLAT);
});

test('Gaussian noise is NOISY; a huge amplitude too', (t) => {
  const rand = prng(3);
  const noise = Float32Array.from({ length: 360 * 20 }, () => {
    let g = 0;
    for (let k = 0; k < 6; k++) g += rand() - 0.5;
    return g;
  });
  const { spans } = assess(noise);
  t.true(spans.length >= 1 && spans.every((s) => s.reason === 'noisy'));
  t.true(spans.reduce((a, s) => a + s.end - s.start, 0) > 0.8 * noise.length);
  const big = syntheticEcg({ fs: 360, seconds: 10, seed: 2, rMv: 15 });
  t.true(assess(big.mv).spans.some((s) => s.reason === 'noisy'));
});

test('source flags give spans with the worst reason and stay on their samples', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 20, seed: 1 });
  const flags = new Uint8Array(ecg.mv.length);
  flags.fill(SampleFlag.GAP, 3 * 360 + 10, 4 * 360 + 10);
  flags.fill(SampleFlag.LEAD_OFF, 8 * 360, 10 * 360);
  flags[15 * 360 + 5] = SampleFlag.SATURATED;
  const { spans, flags: out } = assess(ecg.mv, flags);
  t.deepEqual(spans.map((s) => [s.reason, s.start / 360, s.end / 360]), [
    ['gap', 3, 5], ['lead-off', 8, 10], ['saturated', 15, 16],
  ]);
  t.is(out[3 * 360 + 10] & SampleFlag.GAP, SampleFlag.GAP);
  t.is(out[3 * 360 + 9] & SampleFlag.GAP, 0);
});

test('flags and spans are the same whatever the chunking', (t) => {
  const ecg = syntheticEcg({ fs: 360, seconds: 30, seed: 8 });
  ecg.mv.fill(0.1, 5 * 360, 12 * 360);
  const flags = new Uint8Array(ecg.mv.length);
  flags.fill(SampleFlag.GAP, 20 * 360, 21 * 360 + 100);
  const whole = assess(ecg.mv, flags);
  for (const size of [1, 7, 360]) t.deepEqual(assess(ecg.mv, flags, size), whole, `chunks of ${size}`);
});

test('the last partial block and an open span come out at flush', (t) => {
  const mv = new Float32Array(360 * 3 + 100).fill(0.2);
  const { spans, flags } = assess(mv);
  t.is(flags.length, mv.length);
  t.deepEqual(spans.map((s) => [s.reason, s.start, s.end]), [['flat', 0, mv.length]]);
});

test('slow artefacts as large as the QRS (electrode motion) are NOISY by the slow/QRS band ratio alone', (t) => {
  const fs = 360;
  const ecg = syntheticEcg({ fs, seconds: 40, seed: 4 });
  const from = 15 * fs;
  const to = 25 * fs;
  // 1.3 and 3.1 Hz swings of about the R amplitude: the kind of motion artefact
  // whose kurtosis stays ECG-like but whose energy sits below the QRS band.
  for (let i = from; i < to; i++) ecg.mv[i] += 0.6 * Math.sin(2 * Math.PI * 1.3 * i / fs) + 0.4 * Math.sin(2 * Math.PI * 3.1 * i / fs);
  const run = (options: { maxSlowToQrs?: number }) => {
    const q = new SignalQuality({ fs, minKurtosis: 0, ...options });
    const flags: number[] = [];
    for (const b of [...q.process(ecg.mv), q.flush()]) flags.push(...b.flags);
    return flags;
  };
  const flags = run({});
  const noisyIn = flags.slice(from + 2 * fs, to).filter((f) => (f & QualityFlag.NOISY) !== 0).length;
  t.true(noisyIn > 0.9 * (to - from - 2 * fs), `${noisyIn} NOISY samples of ${to - from - 2 * fs}`);
  t.true(flags.slice(0, from).every((f) => f === 0));
  t.true(flags.slice(to + 2 * fs).every((f) => f === 0));
  // With the ratio test switched off, the same stretch passes.
  t.true(run({ maxSlowToQrs: Infinity }).every((f) => f === 0));
});

test('a bad-signal span is announced by a start record while it lasts, then closed by the span', (t) => {
  const fs = 360;
  const ecg = syntheticEcg({ fs, seconds: 30, seed: 3 });
  const flags = new Uint8Array(ecg.mv.length);
  flags.fill(SampleFlag.LEAD_OFF, 10 * fs, 16 * fs);
  const q = new SignalQuality({ fs });
  /** Sample count fed when each record came out. */
  const seen: { at: number; kind: string; start: number; reason: string }[] = [];
  for (let s = 0; s < ecg.mv.length; s += fs) {
    for (const b of q.process(ecg.mv.subarray(s, s + fs), flags.subarray(s, s + fs))) {
      for (const r of b.spans) seen.push({ at: s + fs, kind: r.kind, start: r.start, reason: r.reason });
    }
  }
  const start = seen.find((r) => r.kind === 'bad-signal-start');
  const end = seen.find((r) => r.kind === 'bad-signal');
  t.truthy(start && end, JSON.stringify(seen));
  t.is(start!.reason, 'lead-off');
  t.is(start!.start, end!.start, 'the start record and the span agree on where it began');
  t.true(start!.at <= 12 * fs, `announced after ${start!.at / fs} s of signal, lead-off began at 10 s`);
  t.true(end!.at >= 16 * fs, 'the span closes only once the lead is back');
  t.is(seen.filter((r) => r.kind === 'bad-signal-start').length, 1);
});

/** Band-limited Gaussian-ish noise (sum of 6 uniforms, then a 3-tap mean) of about rmsMv. */
function noise(n: number, rmsMv: number, seed: number): Float32Array {
  const rand = prng(seed);
  const white = Array.from({ length: n + 2 }, () => {
    let g = 0;
    for (let k = 0; k < 6; k++) g += rand() - 0.5;
    return g * Math.SQRT2;
  });
  return Float32Array.from({ length: n }, (_, i) => (rmsMv * (white[i] + white[i + 1] + white[i + 2])) / Math.sqrt(3));
}

/** Beats with a QRS-free stretch [fromS, toS) cut out of them, plus noise of noiseMv RMS everywhere. */
function pausedEcg(fs: number, fromS: number, toS: number, noiseMv: number) {
  const ecg = syntheticEcg({ fs, seconds: 30, seed: 5 });
  // Cut the beats out (the waves only: the flat line stays at 0 mV).
  ecg.mv.fill(0, fromS * fs, toS * fs);
  const hiss = noise(ecg.mv.length, noiseMv, 9);
  for (let i = 0; i < ecg.mv.length; i++) ecg.mv[i] += hiss[i];
  return ecg.mv;
}

function judgedFlags(mv: Float32Array, fs: number, options: Omit<SignalQualityOptions, 'fs'> = {}): number[] {
  const q = new SignalQuality({ fs, blockS: 0.25, ...options });
  const flags: number[] = [];
  for (const b of [...q.process(mv), q.flush()]) flags.push(...b.flags);
  return flags;
}

test('a QRS-free stretch with only low-level noise (a sinus pause, asystole) is quiet, not NOISY', (t) => {
  const fs = 360;
  // 4 s without beats, 0.015 mV RMS noise: above the FLAT line (peak-to-peak
  // ~0.1 mV), Gaussian (kurtosis 3), far below the ~1.5 mV of the beats before.
  const mv = pausedEcg(fs, 12, 16, 0.015);
  const flags = judgedFlags(mv, fs);
  const pause = flags.slice(12 * fs, 18 * fs);
  t.true(pause.every((f) => (f & QualityFlag.NOISY) === 0), `${pause.filter((f) => f & QualityFlag.NOISY).length} NOISY samples over the pause`);
  t.true(pause.every((f) => (f & QualityFlag.FLAT) === 0));
  // The same stretch without the quiet test: the kurtosis (or band ratio) of a window with no QRS calls it noisy.
  // (The VT exceptions are off too: this smoothed noise has little 20-35 Hz
  // content, so the high-band gate alone would pass part of it.)
  const old = judgedFlags(mv, fs, { quietToQrs: 0, minHfToQrs: 0, periodicAcf: Infinity }).slice(12 * fs, 18 * fs);
  t.true(old.filter((f) => f & QualityFlag.NOISY).length > fs, 'without the quiet test the same pause is NOISY (the bug this guards against)');
});

test('a QRS-free stretch of noise as large as the beats is still NOISY', (t) => {
  const fs = 360;
  // Same pause, but filled with 0.4 mV RMS noise (peak-to-peak ~2.5 mV, above the beats').
  const mv = pausedEcg(fs, 12, 16, 0.015);
  const loud = noise(4 * fs, 0.4, 11);
  for (let i = 0; i < loud.length; i++) mv[12 * fs + i] += loud[i];
  const flags = judgedFlags(mv, fs).slice(14 * fs, 16 * fs);
  t.true(flags.filter((f) => f & QualityFlag.NOISY).length > 0.9 * flags.length);
});

test('noise with no beats before it (no reference yet) is NOISY as before', (t) => {
  const fs = 360;
  const mv = noise(20 * fs, 0.05, 13);
  const flags = judgedFlags(mv, fs);
  t.true(flags.slice(2 * fs).filter((f) => f & QualityFlag.NOISY).length > 0.8 * 18 * fs);
});

/** Sinus beats, with [fromS, toS) replaced by wide ventricular complexes (QRS ~0.16 s, discordant T) at `bpm`, RR jittered by ±`jitter`. */
function ventricularRun(fs: number, fromS: number, toS: number, bpm: number, jitter: number) {
  const ecg = syntheticEcg({ fs, seconds: 30, seed: 6 });
  ecg.mv.fill(0, fromS * fs, toS * fs);
  const rand = prng(8);
  const wave = (c: number, mv: number, sigmaS: number) => {
    for (let i = Math.max(Math.round(fromS * fs), Math.round(c - 4 * sigmaS * fs)); i < Math.min(toS * fs, c + 4 * sigmaS * fs); i++) {
      ecg.mv[i] += mv * Math.exp(-0.5 * ((i - c) / (sigmaS * fs)) ** 2);
    }
  };
  for (let tS = fromS + 0.1; tS < toS - 0.1; tS += (60 / bpm) * (1 + jitter * (2 * rand() - 1))) {
    const r = tS * fs;
    wave(r - 0.03 * fs, 1.4, 0.03);
    wave(r + 0.05 * fs, -0.8, 0.035);
    wave(r + 0.2 * fs, -0.4, 0.05);
  }
  return ecg.mv;
}

const noisyShare = (flags: number[], fromS: number, toS: number, fs: number) => {
  const part = flags.slice(fromS * fs, toS * fs);
  return part.filter((f) => f & QualityFlag.NOISY).length / part.length;
};

test('wide, fast, smooth ventricular complexes (VT) are not NOISY; without the VT exceptions they are', (t) => {
  const fs = 360;
  // Regular (periodic) and irregular (RR ±25%: the high-band gate alone) runs at 180 bpm.
  for (const jitter of [0, 0.25]) {
    const mv = ventricularRun(fs, 10, 20, 180, jitter);
    const now = noisyShare(judgedFlags(mv, fs), 12, 20, fs);
    const old = noisyShare(judgedFlags(mv, fs, { minHfToQrs: 0, periodicAcf: Infinity }), 12, 20, fs);
    t.log(`jitter ${jitter}: NOISY ${(100 * now).toFixed(0)}% of the run (${(100 * old).toFixed(0)}% without the exceptions)`);
    t.true(now < 0.05);
    t.true(old > 0.5, 'the old measure calls this run noise (the bug this guards against)');
  }
});

test('the VT exceptions do not pass noise: broadband hiss plus a slow swing over the same run keep it NOISY', (t) => {
  const fs = 360;
  const mv = ventricularRun(fs, 10, 20, 180, 0.25);
  const hiss = noise(mv.length, 0.25, 12);
  for (let i = 10 * fs; i < 20 * fs; i++) mv[i] += hiss[i] + 1.2 * Math.sin((2 * Math.PI * 1.1 * i) / fs);
  t.true(noisyShare(judgedFlags(mv, fs), 12, 20, fs) > 0.8);
});

test('a VT stretch with noise in it (the autocorrelation is computed) is judged the same whatever the chunking', (t) => {
  const fs = 360;
  const mv = ventricularRun(fs, 10, 20, 180, 0.25);
  const hiss = noise(mv.length, 0.3, 14);
  for (let i = 14 * fs; i < 17 * fs; i++) mv[i] += hiss[i];
  const whole = assess(mv).flags;
  for (const size of [1, 7, 360]) t.deepEqual(assess(mv, undefined, size).flags, whole, `chunks of ${size}`);
});
