/**
 * Deletion metrics of an attribution map (Petsiuk et al., RISE, BMVC 2018;
 * Samek et al., IEEE TNNLS 2017): replace the samples a map ranks highest by
 * the baseline's and watch the explained output f fall. A faithful map makes
 * it fall faster than replacing samples at random.
 *   deletionDrop   f(x) minus f after replacing the top `fraction` of samples,
 *                  against the mean over `randomDraws` random sets of the same size;
 *   deletionCurve  f after replacing the first 0, 1/steps, ..., all samples of
 *                  an order; its area (trapezoid rule over the fraction
 *                  replaced, 0..1) is the deletion AUC: lower = more faithful.
 * Ranking: larger attribution first; equal values in sample order (a stable
 * sort), so a map with many ties (Grad-CAM's zeros, SHAP's segment plateaus)
 * gives a fixed order. Random sets come from a seeded mulberry32.
 * Limits: the baseline is out-of-distribution for the model (as in every
 * deletion metric); compare maps on the same baseline only.
 */
import { mulberry32, type Uniform } from '../sources/synthetic/prng.ts';
import type { WindowFunction } from './shap.ts';

/** Sample indices, largest attribution first; ties in index order. */
export function rankByAttribution(attribution: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: attribution.length }, (_, i) => i);
  idx.sort((a, b) => attribution[b] - attribution[a] || a - b);
  return Int32Array.from(idx);
}

/** A uniformly random permutation of 0..length-1 (Fisher-Yates). */
export function randomOrder(length: number, uniform: Uniform): Int32Array {
  const p = Int32Array.from({ length }, (_, i) => i);
  for (let i = length - 1; i > 0; i--) {
    const j = Math.floor(uniform() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Writes x into `out` with the first `count` samples of `order` taken from the baseline. */
function replaceInto(out: Float32Array, x: ArrayLike<number>, baseline: ArrayLike<number>, order: ArrayLike<number>, count: number): void {
  out.set(x);
  for (let k = 0; k < count; k++) out[order[k]] = baseline[order[k]];
}

/** x with the first `count` samples of `order` replaced by the baseline's. */
export function replaceSamples(x: ArrayLike<number>, baseline: ArrayLike<number>, order: ArrayLike<number>, count: number): Float32Array {
  const out = new Float32Array(x.length);
  replaceInto(out, x, baseline, order, count);
  return out;
}

function check(x: ArrayLike<number>, baseline: ArrayLike<number>, attribution: ArrayLike<number>): void {
  if (baseline.length !== x.length || attribution.length !== x.length) {
    throw new RangeError(`deletion: window ${x.length}, baseline ${baseline.length} and attribution ${attribution.length} samples must be equal`);
  }
}

export interface DeletionDrop {
  /** f(x). */
  full: number;
  /** f with the top-ranked fraction replaced. */
  top: number;
  /** Mean f with random sets of the same size replaced. */
  random: number;
  /** Samples replaced. */
  count: number;
}

export interface DeletionDropOptions {
  /** Fraction of samples replaced (default 0.1). */
  fraction?: number;
  /** Random sets averaged (default 5). */
  randomDraws?: number;
  /** Seed of the random sets (default 1). */
  seed?: number;
}

export async function deletionDrop(f: WindowFunction, x: ArrayLike<number>, baseline: ArrayLike<number>, attribution: ArrayLike<number>,
  options: DeletionDropOptions = {}): Promise<DeletionDrop> {
  check(x, baseline, attribution);
  const fraction = options.fraction ?? 0.1;
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`deletion: fraction must be in (0, 1], got ${fraction}`);
  const draws = options.randomDraws ?? 5;
  if (!(Number.isInteger(draws) && draws >= 1)) throw new RangeError(`deletion: randomDraws must be an integer >= 1, got ${draws}`);
  const n = x.length;
  const count = Math.max(1, Math.round(fraction * n));
  const uniform = mulberry32(options.seed ?? 1);
  const windows = new Float32Array((2 + draws) * n);
  replaceInto(windows.subarray(0, n), x, baseline, [], 0);
  replaceInto(windows.subarray(n, 2 * n), x, baseline, rankByAttribution(attribution), count);
  for (let d = 0; d < draws; d++) replaceInto(windows.subarray((2 + d) * n, (3 + d) * n), x, baseline, randomOrder(n, uniform), count);
  const v = await f(windows, 2 + draws);
  let random = 0;
  for (let d = 0; d < draws; d++) random += v[2 + d];
  return { full: v[0], top: v[1], random: random / draws, count };
}

export interface DeletionCurve {
  /** Fraction of samples replaced at each point, 0 .. 1. */
  fractions: number[];
  /** f at each point. */
  values: number[];
  /** Trapezoid area under values over fractions. */
  auc: number;
}

/** f after replacing the first round(k n / steps) samples of `order`, k = 0..steps. */
export async function deletionCurve(f: WindowFunction, x: ArrayLike<number>, baseline: ArrayLike<number>, order: ArrayLike<number>,
  steps = 20): Promise<DeletionCurve> {
  check(x, baseline, order);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new RangeError(`deletion: steps must be an integer >= 1, got ${steps}`);
  const n = x.length;
  const windows = new Float32Array((steps + 1) * n);
  const fractions: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const count = Math.round((k * n) / steps);
    fractions.push(count / n);
    replaceInto(windows.subarray(k * n, (k + 1) * n), x, baseline, order, count);
  }
  const values = Array.from(await f(windows, steps + 1));
  let auc = 0;
  for (let k = 1; k <= steps; k++) auc += ((fractions[k] - fractions[k - 1]) * (values[k] + values[k - 1])) / 2;
  return { fractions, values, auc };
}
