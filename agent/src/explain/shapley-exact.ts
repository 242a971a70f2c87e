/**
 * Exact Shapley values (Shapley 1953) by enumerating all 2^M coalitions:
 *   phi_i = sum over S not containing i of |S|! (M - |S| - 1)! / M! (v(S + i) - v(S)).
 * Coalition k is the bit pattern of k (bit i = player i present), so v(S + i)
 * is row k | 2^i. Values are requested from the game in batches of
 * `batchSize` rows, then combined in float64.
 * Limits: 2^M evaluations; M is capped at 16 (65,536 model runs); shap.ts uses
 * this up to 12 segments and KernelSHAP above.
 */
import { checkedValues, type CoalitionGame, type ShapleyResult } from './game.ts';

export const MAX_EXACT_PLAYERS = 16;

/** |S|! (M - |S| - 1)! / M! for |S| = 0 .. M-1. */
export function shapleyWeights(players: number): Float64Array {
  const w = new Float64Array(players);
  // w(s) = 1 / (M * C(M-1, s)); C by the multiplicative recurrence.
  let choose = 1;
  for (let s = 0; s < players; s++) {
    w[s] = 1 / (players * choose);
    choose = (choose * (players - 1 - s)) / (s + 1);
  }
  return w;
}

function popcount(k: number): number {
  let c = 0;
  for (let v = k; v !== 0; v &= v - 1) c++;
  return c;
}

export async function shapleyExact(game: CoalitionGame, batchSize = 512): Promise<ShapleyResult> {
  const m = game.players;
  if (!(Number.isInteger(m) && m >= 1 && m <= MAX_EXACT_PLAYERS)) {
    throw new RangeError(`exact Shapley: players must be an integer from 1 to ${MAX_EXACT_PLAYERS}, got ${m}; use KernelSHAP for more`);
  }
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`exact Shapley: batchSize must be an integer >= 1, got ${batchSize}`);
  const total = 2 ** m;
  const v = new Float64Array(total);
  for (let from = 0; from < total; from += batchSize) {
    const count = Math.min(batchSize, total - from);
    const rows = new Uint8Array(count * m);
    for (let r = 0; r < count; r++) for (let i = 0; i < m; i++) rows[r * m + i] = ((from + r) >> i) & 1;
    const got = checkedValues(await game.value(rows, count), count);
    for (let r = 0; r < count; r++) v[from + r] = got[r];
  }
  const w = shapleyWeights(m);
  const values = new Float64Array(m);
  for (let k = 0; k < total; k++) {
    const size = popcount(k);
    for (let i = 0; i < m; i++) {
      const bit = 1 << i;
      if ((k & bit) === 0) values[i] += w[size] * (v[k | bit] - v[k]);
    }
  }
  return { values, empty: v[0], full: v[total - 1], evaluations: total };
}
