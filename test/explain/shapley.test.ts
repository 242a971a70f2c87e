/**
 * Exact Shapley enumeration and KernelSHAP on games whose Shapley values are
 * known in closed form or computed independently (the permutation definition),
 * and on a linear model, where SHAP with any background must give
 * w_i (x_i - b_i) exactly.
 */
import test from 'ava';
import { mulberry32 } from '../../agent/src/sources/synthetic/prng.ts';
import type { CoalitionGame } from '../../agent/src/explain/game.ts';
import { shapleyExact, shapleyWeights } from '../../agent/src/explain/shapley-exact.ts';
import { kernelCoalitions, kernelShap } from '../../agent/src/explain/kernel-shap.ts';
import { shapWindow, type WindowFunction } from '../../agent/src/explain/shap.ts';
import { timeSegments } from '../../agent/src/explain/segments.ts';

/** A game from a function of the coalition's bitmask. */
function game(players: number, v: (mask: number) => number): CoalitionGame & { calls: number[] } {
  const calls: number[] = [];
  return {
    players, calls,
    async value(rows, count) {
      calls.push(count);
      const out = new Float64Array(count);
      for (let r = 0; r < count; r++) {
        let mask = 0;
        for (let i = 0; i < players; i++) if (rows[r * players + i] === 1) mask |= 1 << i;
        out[r] = v(mask);
      }
      return out;
    },
  };
}

function randomGame(players: number, seed: number): { g: ReturnType<typeof game>; table: Float64Array } {
  const u = mulberry32(seed);
  const table = Float64Array.from({ length: 2 ** players }, () => u() * 2 - 1);
  return { g: game(players, (m) => table[m]), table };
}

/** Shapley values by their definition: mean marginal contribution over all orderings. */
function byPermutations(players: number, v: (mask: number) => number): Float64Array {
  const phi = new Float64Array(players);
  let count = 0;
  const perm = Array.from({ length: players }, (_, i) => i);
  const visit = (k: number): void => {
    if (k === players) {
      let mask = 0;
      for (const p of perm) { phi[p] += v(mask | (1 << p)) - v(mask); mask |= 1 << p; }
      count++;
      return;
    }
    for (let i = k; i < players; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      visit(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  visit(0);
  return phi.map((x) => x / count);
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol: number) => Array.from(a).every((x, i) => Math.abs(x - b[i]) <= tol);

test('Shapley weights: sum over coalition sizes of C(M-1, s) w(s) = 1', (t) => {
  for (const m of [1, 2, 5, 12, 16]) {
    const w = shapleyWeights(m);
    let sum = 0;
    let c = 1;
    for (let s = 0; s < m; s++) { sum += c * w[s]; c = (c * (m - 1 - s)) / (s + 1); }
    t.true(Math.abs(sum - 1) < 1e-12, `M = ${m}: ${sum}`);
  }
});

test('exact: closed-form games (unanimity, majority, additive)', async (t) => {
  // Unanimity on {1, 3}: they split the 1; the others get 0.
  const u = await shapleyExact(game(5, (m) => ((m & 0b1010) === 0b1010 ? 1 : 0)));
  t.true(close(u.values, [0, 0.5, 0, 0.5, 0], 1e-12), `${u.values}`);
  const maj = await shapleyExact(game(3, (m) => ((m & 1) + ((m >> 1) & 1) + ((m >> 2) & 1) >= 2 ? 1 : 0)));
  t.true(close(maj.values, [1 / 3, 1 / 3, 1 / 3], 1e-12));
  const a = [0.3, -1.2, 2, 0.05];
  const add = await shapleyExact(game(4, (m) => 7 + a.reduce((s, x, i) => s + ((m >> i) & 1) * x, 0)));
  t.true(close(add.values, a, 1e-12));
  t.is(add.empty, 7);
  t.is(add.evaluations, 16);
});

test('exact equals the permutation definition on random games; batches of any size', async (t) => {
  for (const m of [1, 2, 3, 6, 7]) {
    const { table } = randomGame(m, 100 + m);
    const want = byPermutations(m, (k) => table[k]);
    for (const batch of [1, 5, 512]) {
      const g = game(m, (k) => table[k]);
      const got = await shapleyExact(g, batch);
      t.true(close(got.values, want, 1e-12), `M = ${m}, batch ${batch}`);
      t.true(g.calls.every((c) => c <= batch));
      t.true(Math.abs(got.values.reduce((s, x) => s + x, 0) - (table[2 ** m - 1] - table[0])) < 1e-12, 'efficiency');
    }
  }
});

test('exact refuses more than 16 players or none', async (t) => {
  await t.throwsAsync(shapleyExact(game(17, () => 0)), { message: /players must be an integer from 1 to 16/ });
  await t.throwsAsync(shapleyExact(game(0, () => 0)), { message: /players/ });
});

test('KernelSHAP with a budget covering every coalition is the exact Shapley value', async (t) => {
  for (const m of [2, 3, 5, 8]) {
    const { table } = randomGame(m, 7 + m);
    const exact = await shapleyExact(game(m, (k) => table[k]));
    const kern = await kernelShap(game(m, (k) => table[k]), { samples: 2 ** m - 2 });
    t.true(close(kern.values, exact.values, 1e-9), `M = ${m}: ${kern.values} vs ${exact.values}`);
    t.is(kern.evaluations, 2 ** m);
  }
});

test('KernelSHAP: efficiency exact at any budget; deterministic for a seed; distinct coalitions within the budget', async (t) => {
  const m = 14;
  const { table } = randomGame(m, 3);
  const a = await kernelShap(game(m, (k) => table[k]), { samples: 300, seed: 5 });
  const b = await kernelShap(game(m, (k) => table[k]), { samples: 300, seed: 5 });
  const c = await kernelShap(game(m, (k) => table[k]), { samples: 300, seed: 6 });
  t.true(Math.abs(a.values.reduce((s, x) => s + x, 0) - (table[2 ** m - 1] - table[0])) < 1e-12);
  t.deepEqual(Array.from(a.values), Array.from(b.values));
  t.notDeepEqual(Array.from(a.values), Array.from(c.values));
  t.true(a.evaluations <= 302 && a.evaluations >= 290, `${a.evaluations} evaluations`);
  const { rows } = kernelCoalitions(m, 300, 5);
  t.is(new Set(rows.map((r) => r.join(''))).size, rows.length);
  t.true(rows.every((r) => r.some((x) => x === 1) && r.some((x) => x === 0)), 'never empty or full');
  // Antithetic: every coalition comes with its complement.
  const keys = new Set(rows.map((r) => r.join('')));
  t.true(rows.every((r) => keys.has(r.map((x) => 1 - x).join(''))));
});

test('KernelSHAP approaches exact on a game with interactions as the budget grows', async (t) => {
  const m = 12;
  const u = mulberry32(11);
  const main = Array.from({ length: m }, () => u() - 0.5);
  const pairs = Array.from({ length: 8 }, () => [Math.floor(u() * m), Math.floor(u() * m), (u() - 0.5) * 0.6] as const);
  const v = (k: number) => main.reduce((s, x, i) => s + ((k >> i) & 1) * x, 0)
    + pairs.reduce((s, [i, j, w]) => s + ((k >> i) & (k >> j) & 1) * w, 0) + 0.2 * Math.tanh(main.reduce((s, x, i) => s + ((k >> i) & 1) * x, 0));
  const exact = await shapleyExact(game(m, v));
  const err = async (samples: number) => {
    let worst = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const k = await kernelShap(game(m, v), { samples, seed });
      worst = Math.max(worst, ...Array.from(k.values, (x, i) => Math.abs(x - exact.values[i])));
    }
    return worst;
  };
  const small = await err(100);
  const large = await err(2000);
  t.log(`max |kernel - exact|: ${small.toExponential(2)} at 100 coalitions, ${large.toExponential(2)} at 2000 (values up to ${Math.max(...exact.values.map(Math.abs)).toFixed(2)})`);
  t.true(large < small);
  t.true(large < 0.02);
});

/** f(z) = c + sum_t w_t z_t over windows. */
function linear(w: Float64Array, c: number): WindowFunction {
  return async (windows, n) => {
    const out = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      let s = c;
      for (let t = 0; t < w.length; t++) s += w[t] * windows[b * w.length + t];
      out[b] = s;
    }
    return out;
  };
}

function randomVector(n: number, u: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => u() * 4 - 2);
}

test('linear model, one sample per segment: SHAP value i = w_i (x_i - b_i), exact and KernelSHAP', async (t) => {
  const u = mulberry32(21);
  for (const [length, method] of [[12, 'exact'], [10, 'exact'], [40, 'kernel']] as const) {
    const w = Float64Array.from({ length }, () => u() * 2 - 1);
    const x = randomVector(length, u);
    const b = randomVector(length, u);
    const e = await shapWindow(linear(w, 0.7), x, b, { segments: length, method, samples: 200 });
    t.is(e.method, method);
    const want = Array.from(w, (wi, i) => wi * (x[i] - b[i]));
    t.true(close(e.values, want, 1e-9), `${method}, ${length} samples`);
    t.true(close(e.perSample, want, 1e-6), 'per sample = the value itself (one sample per segment)');
  }
});

test('linear model, segments of many samples: value = sum over the segment of w_t (x_t - b_t); per-sample map sums to it', async (t) => {
  const u = mulberry32(22);
  const length = 256;
  const w = Float64Array.from({ length }, () => u() * 2 - 1);
  const x = randomVector(length, u);
  for (const segments of [1, 7, 12, 16]) {
    const b = segments === 7 ? new Float32Array(length) : randomVector(length, u);
    const e = await shapWindow(linear(w, -1), x, b, { segments, samples: 300 });
    t.is(e.method, segments <= 12 ? 'exact' : 'kernel');
    const want = timeSegments(length, segments).map((s) => {
      let v = 0;
      for (let i = s.start; i < s.end; i++) v += w[i] * (x[i] - b[i]);
      return v;
    });
    t.true(close(e.values, want, 1e-9), `${segments} segments`);
    e.segments.forEach((s, i) => {
      let sum = 0;
      for (let k = s.start; k < s.end; k++) sum += e.perSample[k];
      t.true(Math.abs(sum - want[i]) < 1e-4);
    });
  }
});

test('segments: contiguous, covering, lengths within one sample; bad counts refused', (t) => {
  for (const [n, s] of [[256, 12], [256, 1], [256, 256], [10, 3]]) {
    const seg = timeSegments(n, s);
    t.is(seg.length, s);
    t.is(seg[0].start, 0);
    t.is(seg[s - 1].end, n);
    seg.forEach((g, i) => { if (i > 0) t.is(g.start, seg[i - 1].end); });
    const lens = seg.map((g) => g.end - g.start);
    t.true(Math.max(...lens) - Math.min(...lens) <= 1 && Math.min(...lens) >= 1);
  }
  t.throws(() => timeSegments(256, 0), { message: /count must be an integer from 1 to the window length 256, got 0/ });
  t.throws(() => timeSegments(10, 11), { message: /got 11/ });
});
