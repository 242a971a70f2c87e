/**
 * KernelSHAP (Lundberg & Lee, NeurIPS 2017): Shapley values as the weighted
 * least-squares fit of v(z) - v(empty) = sum_i phi_i z_i over coalitions z,
 * with the Shapley kernel pi(z) = (M - 1) / (C(M, |z|) |z| (M - |z|)), and the
 * efficiency constraint sum_i phi_i = v(full) - v(empty) enforced exactly by
 * eliminating the last player (phi_M-1 = D - sum of the others).
 *
 * Coalitions, as the reference implementation (shap's KernelExplainer) picks
 * them: sizes in complementary pairs (s, M - s), smallest first; a pair is
 * enumerated completely while the budget would give it at least as many
 * samples as it has coalitions under kernel-proportional sampling; the rest of
 * the budget is drawn at random: a pair by its kernel mass, a uniform subset
 * of that size, and always its complement too (antithetic pairs). Draws of the
 * same coalition merge (their weights add), so `samples` bounds the distinct
 * coalitions evaluated besides empty and full. With a budget of 2^M - 2 or
 * more every size is enumerated and the result is the exact Shapley value.
 * Deterministic for a seed (mulberry32).
 * Limits: a Monte Carlo estimate; error falls roughly as 1/sqrt(samples).
 */
import { mulberry32 } from '../sources/synthetic/prng.ts';
import { checkedValues, type CoalitionGame, type ShapleyResult } from './game.ts';

export interface KernelShapOptions {
  /** Distinct coalitions to evaluate besides empty and full (default 2 M + 2048, as shap). */
  samples?: number;
  /** Seed of the coalition sampler (default 1). */
  seed?: number;
  /** Coalitions per value call (default 512). */
  batchSize?: number;
}

function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}

/** Calls `visit` with every subset of {0..m-1} of size `size`, as a 0/1 row. */
function forEachSubset(m: number, size: number, visit: (row: Uint8Array) => void): void {
  const idx = Array.from({ length: size }, (_, i) => i);
  for (;;) {
    const row = new Uint8Array(m);
    for (const i of idx) row[i] = 1;
    visit(row);
    let j = size - 1;
    while (j >= 0 && idx[j] === m - size + j) j--;
    if (j < 0) return;
    idx[j]++;
    for (let k = j + 1; k < size; k++) idx[k] = idx[k - 1] + 1;
  }
}

/** Weighted coalitions: distinct rows, weights summed over repeats. */
class CoalitionSet {
  readonly rows: Uint8Array[] = [];
  readonly weights: number[] = [];
  private readonly index = new Map<string, number>();
  add(row: Uint8Array, weight: number): void {
    const key = row.join('');
    const at = this.index.get(key);
    if (at !== undefined) { this.weights[at] += weight; return; }
    this.index.set(key, this.rows.length);
    this.rows.push(row);
    this.weights.push(weight);
  }
  get size(): number { return this.rows.length; }
}

/** The coalitions and their kernel weights (relative scale) for a budget. */
export function kernelCoalitions(m: number, samples: number, seed: number): { rows: Uint8Array[]; weights: number[] } {
  const set = new CoalitionSet();
  const pairs: { size: number; mass: number; count: number }[] = [];
  for (let s = 1; s <= Math.floor(m / 2); s++) {
    const mass = (m - 1) / (s * (m - s));
    const twin = s !== m - s;
    pairs.push({ size: s, mass: twin ? 2 * mass : mass, count: choose(m, s) * (twin ? 2 : 1) });
  }
  let left = samples;
  let restMass = pairs.reduce((a, p) => a + p.mass, 0);
  let p = 0;
  for (; p < pairs.length; p++) {
    const { size, mass, count } = pairs[p];
    if ((left * mass) / restMass < count - 1e-9) break;
    // Per-coalition kernel weight of sizes s and m - s: mass(s) / C(m, s).
    const each = (m - 1) / (size * (m - size)) / choose(m, size);
    forEachSubset(m, size, (row) => {
      set.add(row, each);
      if (size !== m - size) set.add(row.map((b) => 1 - b), each);
    });
    left -= count;
    restMass -= mass;
  }
  const rest = pairs.slice(p);
  if (rest.length > 0 && left > 0) {
    const uniform = mulberry32(seed);
    const sampled = new CoalitionSet();
    const perm = Array.from({ length: m }, (_, i) => i);
    let draws = 0;
    // A draw adds up to two coalitions (it and its complement), so stop while
    // both still fit; repeats add none, so the draws are capped too.
    for (let tries = 0; sampled.size + 2 <= left && tries < 20 * samples; tries++) {
      let u = uniform() * restMass;
      let k = 0;
      while (k < rest.length - 1 && u >= rest[k].mass) { u -= rest[k].mass; k++; }
      const size = rest[k].size;
      for (let i = 0; i < size; i++) {
        const j = i + Math.floor(uniform() * (m - i));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const row = new Uint8Array(m);
      for (let i = 0; i < size; i++) row[perm[i]] = 1;
      sampled.add(row, 1);
      sampled.add(row.map((b) => 1 - b), 1);
      draws += 2;
    }
    sampled.rows.forEach((row, i) => set.add(row, (restMass * sampled.weights[i]) / draws));
  }
  return { rows: set.rows, weights: set.weights };
}

/** Solves A x = b (n x n, row-major, both overwritten) by Gaussian elimination with partial pivoting. */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]) > Math.abs(a[piv * n + c])) piv = r;
    if (Math.abs(a[piv * n + c]) < 1e-300) throw new RangeError('KernelSHAP: singular system (too few distinct coalitions); raise samples');
    if (piv !== c) {
      for (let k = 0; k < n; k++) [a[c * n + k], a[piv * n + k]] = [a[piv * n + k], a[c * n + k]];
      [b[c], b[piv]] = [b[piv], b[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c] / a[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r * n + k] -= f * a[c * n + k];
      b[r] -= f * b[c];
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < n; k++) s -= a[r * n + k] * x[k];
    x[r] = s / a[r * n + r];
  }
  return x;
}

export async function kernelShap(game: CoalitionGame, options: KernelShapOptions = {}): Promise<ShapleyResult> {
  const m = game.players;
  if (!(Number.isInteger(m) && m >= 1)) throw new RangeError(`KernelSHAP: players must be an integer >= 1, got ${m}`);
  const samples = options.samples ?? 2 * m + 2048;
  if (!(Number.isInteger(samples) && samples >= 1)) throw new RangeError(`KernelSHAP: samples must be an integer >= 1, got ${samples}`);
  const batchSize = options.batchSize ?? 512;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`KernelSHAP: batchSize must be an integer >= 1, got ${batchSize}`);
  const { rows, weights } = m > 1 ? kernelCoalitions(m, samples, options.seed ?? 1) : { rows: [], weights: [] };
  // Empty and full first, then the weighted coalitions.
  const all = [new Uint8Array(m), new Uint8Array(m).fill(1), ...rows];
  const v = new Float64Array(all.length);
  for (let from = 0; from < all.length; from += batchSize) {
    const count = Math.min(batchSize, all.length - from);
    const flat = new Uint8Array(count * m);
    for (let r = 0; r < count; r++) flat.set(all[from + r], r * m);
    const got = checkedValues(await game.value(flat, count), count);
    for (let r = 0; r < count; r++) v[from + r] = got[r];
  }
  const empty = v[0];
  const full = v[1];
  const total = full - empty;
  const values = new Float64Array(m);
  if (m === 1) { values[0] = total; return { values, empty, full, evaluations: all.length }; }
  // Eliminate the last player: y - z_last D = sum_{j<last} phi_j (z_j - z_last).
  const n = m - 1;
  const ata = new Float64Array(n * n);
  const atb = new Float64Array(n);
  const a = new Float64Array(n);
  rows.forEach((z, r) => {
    const w = weights[r];
    const zl = z[n];
    const y = v[r + 2] - empty - zl * total;
    for (let j = 0; j < n; j++) a[j] = z[j] - zl;
    for (let j = 0; j < n; j++) {
      if (a[j] === 0) continue;
      atb[j] += w * a[j] * y;
      for (let k = 0; k < n; k++) ata[j * n + k] += w * a[j] * a[k];
    }
  });
  const phi = solve(ata, atb, n);
  let sum = 0;
  for (let j = 0; j < n; j++) { values[j] = phi[j]; sum += phi[j]; }
  values[n] = total - sum;
  return { values, empty, full, evaluations: all.length };
}
