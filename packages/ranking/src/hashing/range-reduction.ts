const TWO_POW_32 = 2 ** 32;

/**
 * Maps a uint32 hash onto [0, size) by its high bits (Lemire's multiply-shift) rather than `% size`:
 * the high bits are the well-mixed ones for every hash here (FNV-1a's low bits are weak).
 * Exact for size < 2^21 (the product stays below 2^53).
 */
export function reduceToRange(hash: number, size: number): number {
  return Math.floor((hash * size) / TWO_POW_32);
}

/** Maps a uint32 hash into the open interval (0, 1): never 0 or 1, so `ln(u)` is finite and non-zero. */
export function toOpenUnitInterval(hash: number): number {
  return (hash + 0.5) / TWO_POW_32;
}

/** A uniformly random uint32 from a `() => [0, 1)` source; stands in for a key hash when no key is given. */
export function randomUint32(random: () => number): number {
  return Math.floor(random() * TWO_POW_32) >>> 0;
}
