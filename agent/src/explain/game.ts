/**
 * A cooperative game for SHAP: `players` players and a batched value function
 * v over coalitions. Coalitions travel as rows of a Uint8Array, `players` bytes
 * per row, 1 = the player is present; v returns one value per row. Batched
 * because each value is a model run, and onnxruntime is fastest on batches.
 */

export interface CoalitionGame {
  players: number;
  /** v of `count` coalitions given as rows of `coalitions` (count x players, 0/1). */
  value(coalitions: Uint8Array, count: number): Promise<ArrayLike<number>>;
}

/** Shapley values of a game with the two values the efficiency axiom ties them to. */
export interface ShapleyResult {
  /** One value per player; they sum to full - empty. */
  values: Float64Array;
  /** v(empty coalition): every player absent. */
  empty: number;
  /** v(grand coalition): every player present. */
  full: number;
  /** Coalitions evaluated (v calls' rows). */
  evaluations: number;
}

/** Checks a value function's answer: one finite number per row. */
export function checkedValues(got: ArrayLike<number>, count: number): ArrayLike<number> {
  if (got.length !== count) throw new RangeError(`SHAP game: value function returned ${got.length} values for ${count} coalitions`);
  for (let i = 0; i < count; i++) if (!Number.isFinite(got[i])) throw new RangeError(`SHAP game: value of coalition ${i} is ${got[i]}, not a finite number`);
  return got;
}
