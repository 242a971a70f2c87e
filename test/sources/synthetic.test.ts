import test from 'ava';
import { SyntheticEcg, synthesize, syntheticChunks, type SyntheticOptions, type TruthBeat } from '../../agent/src/sources/synthetic.ts';

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

test('the mean heart rate of sinus beats is the one asked for', (t) => {
  for (const hrMeanBpm of [50, 75, 120]) {
    const { beats } = synthesize({ hrMeanBpm, hrStdBpm: 1, seed: hrMeanBpm }, 180);
    const rr = beats.slice(1).map((b) => b.rrMs);
    const hr = 60000 / mean(rr);
    t.true(Math.abs(hr - hrMeanBpm) < 1, `asked ${hrMeanBpm} bpm, got ${hr.toFixed(2)}`);
    t.true(beats.every((b) => b.kind === 'N'));
  }
});

test('heart rate variability follows hrStdBpm; 0 gives a fixed RR', (t) => {
  const fixed = synthesize({ hrMeanBpm: 75, hrStdBpm: 0 }, 30).beats;
  t.true(fixed.every((b) => Math.abs(b.rrMs - 800) < 1e-6));
  const varied = synthesize({ hrMeanBpm: 60, hrStdBpm: 3, seed: 5 }, 600).beats;
  const hrStd = std(varied.slice(1).map((b) => 60000 / b.rrMs));
  t.true(hrStd > 1.5 && hrStd < 4.5, `hr std ${hrStd.toFixed(2)} bpm for 3 asked`);
});

test('ectopics come at the requested beats with the requested prematurity and pauses', (t) => {
  const ectopics = [{ kind: 'V' as const, atBeat: 10, prematurity: 0.35 }, { kind: 'A' as const, atBeat: 20, prematurity: 0.2 }];
  const { beats } = synthesize({ hrMeanBpm: 60, hrStdBpm: 0, ectopics }, 40);
  t.deepEqual(beats.map((b, i) => (b.kind === 'N' ? null : [i, b.kind])).filter(Boolean), [[10, 'V'], [20, 'A']]);
  t.true(Math.abs(beats[10].rrMs - 650) < 1e-6);
  // Compensatory: coupling interval + pause = two sinus intervals.
  t.true(Math.abs(beats[10].rrMs + beats[11].rrMs - 2000) < 1e-6);
  t.true(Math.abs(beats[20].rrMs - 800) < 1e-6);
  // Non-compensatory: the sinus node restarts from the atrial beat.
  t.true(Math.abs(beats[21].rrMs - 1000) < 1e-6);
});

test('ectopics asked by time come at the first beat at or after that time, with HRV on', (t) => {
  const fs = 360;
  const ectopics = [{ kind: 'A' as const, atSec: 30, prematurity: 0.3 }, { kind: 'V' as const, atSec: 12 }];
  const hrMeanBpm = 80;
  const hrStdBpm = 0.5;
  const { beats } = synthesize({ fs, hrMeanBpm, hrStdBpm, seed: 9, ectopics }, 45);
  // Neighbouring sinus intervals differ by HRV: allow 4 RR standard deviations (relative).
  const tolerance = (4 * hrStdBpm) / hrMeanBpm;
  const found = beats.map((b, i) => ({ b, i })).filter(({ b }) => b.kind !== 'N');
  t.deepEqual(found.map(({ b }) => b.kind), ['V', 'A']);
  const asked = [12, 30];
  const prematurity = [0.3, 0.3]; // V default 0.3
  found.forEach(({ b, i }, k) => {
    const tSec = b.rIndex / fs;
    const localRrMs = mean([beats[i - 1].rrMs, beats[i - 2].rrMs]);
    t.true(tSec >= asked[k] - 1 / fs && tSec < asked[k] + localRrMs / 1000, `${b.kind} at ${tSec} s, asked ${asked[k]}`);
    const ratio = b.rrMs / localRrMs;
    t.true(Math.abs(ratio - (1 - prematurity[k])) < tolerance, `${b.kind} RR ratio ${ratio.toFixed(3)}`);
  });
});

function localMax(mv: Float32Array, around: number, halfWidth: number): number {
  let best = around;
  for (let i = Math.max(0, around - halfWidth); i <= Math.min(mv.length - 1, around + halfWidth); i++) if (mv[i] > mv[best]) best = i;
  return best;
}

test('the R peak in the signal is within 5 ms of the truth rIndex, at 500, 360 and 250 Hz', (t) => {
  for (const fs of [500, 360, 250]) {
    const ectopics = [{ kind: 'V' as const, atBeat: 4 }, { kind: 'A' as const, atBeat: 9 }, { kind: 'V' as const, atSec: 20 }];
    const { chunk, beats } = synthesize({ fs, hrMeanBpm: 72, seed: 3, ectopics }, 30);
    t.true(beats.length > 30);
    let worstMs = 0;
    for (const b of beats) worstMs = Math.max(worstMs, (Math.abs(localMax(chunk.mv, b.rIndex, Math.round(0.06 * fs)) - b.rIndex) * 1000) / fs);
    t.true(worstMs <= 5, `worst R offset ${worstMs} ms at ${fs} Hz`);
  }
});

test('ventricular beats have a wide QRS, no P wave and a discordant T; atrial beats a narrow QRS', (t) => {
  const fs = 500;
  const ectopics = [{ kind: 'V' as const, atBeat: 5 }, { kind: 'A' as const, atBeat: 10 }];
  const { chunk, beats } = synthesize({ fs, hrStdBpm: 0, respirationMv: 0, ectopics }, 15);
  const at = (b: TruthBeat, ms: number) => b.rIndex + Math.round((ms * fs) / 1000);
  const halfMaxWidthMs = (b: TruthBeat) => {
    const peak = chunk.mv[b.rIndex];
    let lo = b.rIndex;
    let hi = b.rIndex;
    while (chunk.mv[lo - 1] > peak / 2) lo--;
    while (chunk.mv[hi + 1] > peak / 2) hi++;
    return ((hi - lo + 1) * 1000) / fs;
  };
  const span = (b: TruthBeat, fromMs: number, toMs: number) => Array.from(chunk.mv.subarray(at(b, fromMs), at(b, toMs)));
  const [n, v, a] = [beats[4], beats[5], beats[10]];
  t.true(halfMaxWidthMs(v) > 1.4 * halfMaxWidthMs(n), `V ${halfMaxWidthMs(v)} ms vs N ${halfMaxWidthMs(n)} ms`);
  t.true(halfMaxWidthMs(a) < 1.1 * halfMaxWidthMs(n));
  const pRange = (b: TruthBeat) => Math.max(...span(b, -250, -80)) - Math.min(...span(b, -250, -80));
  t.true(pRange(n) > 0.1, `N P wave range ${pRange(n)}`);
  t.true(pRange(v) < 0.3 * pRange(n), `V P-region range ${pRange(v)} vs N ${pRange(n)}`);
  const tPeak = (b: TruthBeat) => span(b, 150, 450).reduce((m, x) => (Math.abs(x) > Math.abs(m) ? x : m), 0);
  t.true(tPeak(n) > 0 && tPeak(v) < 0, `T extremes: N ${tPeak(n)}, V ${tPeak(v)}`);
});

/**
 * QRS duration of a sinus beat, ms: from where the signal leaves to where it
 * returns within 20 uV of the isoelectric level (the TP segment, 45% of an RR
 * before R), around the beat's Q and S troughs. No noise, no respiration.
 */
function sinusQrsMs(hrMeanBpm: number): number {
  const fs = 1000;
  const { chunk, beats } = synthesize({ fs, hrMeanBpm, hrStdBpm: 0, respirationMv: 0 }, 12);
  const x = chunk.mv;
  const r = beats[5].rIndex;
  const iso = x[r - Math.round((0.45 * 60 * fs) / hrMeanBpm)];
  const argMin = (from: number, to: number) => { let m = from; for (let i = from; i < to; i++) if (x[i] < x[m]) m = i; return m; };
  let on = argMin(r - 100, r);
  let off = argMin(r, r + 100);
  while (Math.abs(x[on] - iso) > 0.02) on--;
  while (Math.abs(x[off] - iso) > 0.02) off++;
  return ((off - on) * 1000) / fs;
}

test('a sinus QRS lasts as a normal adult one (under 110 ms, about 90 ms at 75 bpm), not a bundle-branch-block width', (t) => {
  const ms = [60, 75, 100].map(sinusQrsMs);
  t.log(`QRS at 60, 75, 100 bpm: ${ms.join(', ')} ms`);
  t.true(ms.every((d) => d >= 70 && d < 110), `QRS ${ms.join(', ')} ms`);
  t.true(ms[1] >= 80 && ms[1] <= 100, `QRS at 75 bpm ${ms[1]} ms`);
  t.true(ms[0] > ms[1] && ms[1] > ms[2], 'narrower as the rate rises (the heart-rate correction)');
});

const noisy: SyntheticOptions = {
  fs: 360, seed: 42, hrMeanBpm: 70,
  noise: { baselineMv: 0.1, mainsMv: 0.05, mainsHz: 60, muscleMv: 0.03 },
  ectopics: [{ kind: 'V', atBeat: 3 }, { kind: 'A', atSec: 6 }, { kind: 'V', atBeat: 12 }],
};

function collect(chunkSize: number, total: number): { mv: number[]; beats: TruthBeat[]; starts: number[]; rates: Set<number> } {
  const mv: number[] = [];
  const beats: TruthBeat[] = [];
  const starts: number[] = [];
  const rates = new Set<number>();
  for (const c of syntheticChunks(noisy, chunkSize, total)) {
    starts.push(c.start);
    rates.add(c.fs);
    mv.push(...c.mv);
    beats.push(...c.beats);
  }
  return { mv, beats, starts, rates };
}

test('same options give identical samples and beats whatever the chunk size', (t) => {
  const total = 360 * 15;
  const whole = collect(total, total);
  t.is(whole.mv.length, total);
  t.deepEqual([...whole.rates], [360]);
  for (const size of [1, 7, 360]) {
    const r = collect(size, total);
    t.deepEqual(r.mv, whole.mv, `chunks of ${size}`);
    t.deepEqual(r.beats, whole.beats, `chunks of ${size}`);
    t.deepEqual(r.starts, Array.from({ length: Math.ceil(total / size) }, (_, i) => i * size));
  }
  t.true(whole.beats.filter((b) => b.kind !== 'N').length === 3);
});

test('each chunk carries exactly the beats whose R peak lies in it', (t) => {
  const ecg = new SyntheticEcg({ seed: 2 });
  for (let k = 0; k < 50; k++) {
    const c = ecg.next(97);
    for (const b of c.beats) t.true(b.rIndex >= c.start && b.rIndex < c.start + 97);
  }
});

test('another seed gives another signal; the same seed the same one', (t) => {
  const a = synthesize({ seed: 1, noise: { muscleMv: 0.02 } }, 5).chunk.mv;
  const b = synthesize({ seed: 2, noise: { muscleMv: 0.02 } }, 5).chunk.mv;
  const c = synthesize({ seed: 1, noise: { muscleMv: 0.02 } }, 5).chunk.mv;
  t.notDeepEqual(Array.from(a), Array.from(b));
  t.deepEqual(Array.from(a), Array.from(c));
});

test('wallMs follows the sample clock when a start time is given', (t) => {
  const ecg = new SyntheticEcg({ fs: 250, startWallMs: 1_000_000 });
  ecg.next(100);
  t.is(ecg.next(50).wallMs, 1_000_400);
  t.is(new SyntheticEcg().next(5).wallMs, undefined);
});

test('bad options are refused with the option named and what is allowed', (t) => {
  t.throws(() => new SyntheticEcg({ fs: 20 }), { instanceOf: RangeError, message: /"fs" is 20; allowed: a rate in Hz from 100/ });
  t.throws(() => new SyntheticEcg({ hrMeanBpm: 400 }), { message: /"hrMeanBpm" is 400; allowed: 30 to 200/ });
  t.throws(() => new SyntheticEcg({ noise: { mainsHz: 55 as 50 } }), { message: /"noise.mainsHz" is 55; allowed: 50 or 60/ });
  t.throws(() => new SyntheticEcg({ ectopics: [{ kind: 'V', atBeat: 0 }] }), { message: /"ectopics\[0\].atBeat" is 0/ });
  t.throws(() => new SyntheticEcg({ ectopics: [{ kind: 'A', atBeat: 3, prematurity: 0.9 }] }), { message: /prematurity" is 0.9; allowed: a fraction/ });
  t.throws(() => new SyntheticEcg({ ectopics: [{ kind: 'A' }] }), { message: /exactly one of atBeat or atSec/ });
  t.throws(() => new SyntheticEcg().next(0), { message: /chunk size must be an integer >= 1; got 0/ });
});
