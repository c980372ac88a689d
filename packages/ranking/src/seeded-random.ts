import { InvalidSeedError } from './errors.js';
import type { RandomSource } from './types.js';

/**
 * Deterministic pseudo-random numbers: Chris Doty-Humphrey's sfc32 (small fast chaotic, 128-bit
 * state, passes PractRand and BigCrush), returning uniform doubles in [0, 1) with 32 bits of
 * resolution. The same seed always yields the same sequence, on every platform.
 *
 * Any safe integer is a seed (both 32-bit halves are used). The first 15 outputs are discarded,
 * as the algorithm's author recommends, so nearby seeds give unrelated streams.
 */
export function createSeededRandom(seed: number): RandomSource {
  if (!Number.isSafeInteger(seed)) throw new InvalidSeedError(seed);
  const low = seed >>> 0;
  const high = Math.floor(seed / 0x1_0000_0000) >>> 0;
  // Fixed odd constants (golden ratio, pi, e) keep seed 0 away from the all-zero state.
  let a = (0x9e3779b9 ^ low) >>> 0;
  let b = (0x243f6a88 ^ high) >>> 0;
  let c = 0xb7e15162;
  let counter = 1;

  const next = (): number => {
    const t = (((a + b) | 0) + counter) | 0;
    counter = (counter + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  };
  for (let i = 0; i < 15; i++) next();
  return next;
}

/** The seed used when a strategy is created without `deps.random`. */
export const DEFAULT_RANDOM_SEED = 0x1b_5eed;
