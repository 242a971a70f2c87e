/**
 * Small seeded random number generators for the synthetic ECG source, so the
 * same seed gives the same signal on every platform and Node version.
 *
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, passes
 * the usual statistical batteries well enough for noise and jitter; not for
 * cryptography. Gaussian deviates by the Box-Muller transform (Box & Muller,
 * Ann Math Stat 29:610, 1958), both outputs used.
 */

/** Uniform deviate in [0, 1). */
export type Uniform = () => number;

export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seed of an independent stream `stream` derived from `seed` (a splitmix32-style
 * hash), so each part of the generator draws from its own sequence and the order
 * in which parts are asked for numbers never changes what any of them gets.
 */
export function streamSeed(seed: number, stream: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b9) + Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** Standard normal deviates from `uniform` (Box-Muller, the pair's second value cached). */
export function gaussian(uniform: Uniform): () => number {
  let spare = 0;
  let hasSpare = false;
  return () => {
    if (hasSpare) {
      hasSpare = false;
      return spare;
    }
    // 1 - u keeps the logarithm's argument in (0, 1].
    const radius = Math.sqrt(-2 * Math.log(1 - uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  };
}
