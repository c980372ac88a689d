import type { RandomSource } from '../types.js';

/**
 * Picks an index with probability weights[i] / sum(weights) using one random draw.
 * Linear scan: endpoint lists are small (mirrors, not thousands of hosts) and weights change on
 * every sample, so a prebuilt alias table would be rebuilt more often than used.
 * Requires at least one positive weight.
 */
export function pickWeightedIndex(weights: readonly number[], random: RandomSource): number {
  let total = 0;
  for (const weight of weights) total += weight;
  let target = random() * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const weight = weights[i]!;
    if (weight <= 0) continue;
    last = i;
    if (target < weight) return i;
    target -= weight;
  }
  // Floating-point rounding can leave a sliver past the last positive weight.
  return last;
}

/** Normalises weights to shares that sum to 1 (equal shares when every weight is 0). */
export function normalizeWeights(weights: readonly number[]): number[] {
  let total = 0;
  for (const weight of weights) total += weight;
  if (total <= 0) return weights.map(() => 1 / weights.length);
  return weights.map((weight) => weight / total);
}

/**
 * Cumulative weights for repeated draws from one set of weights: built once in O(n), each draw is
 * one random number and a binary search, O(log n), with no allocation. Strategies keep one per
 * membership and measurement version and rebuild it only when either changes.
 */
export class CumulativeWeights {
  /** Σ weights. */
  readonly total: number;
  readonly #cumulative: Float64Array;
  /** The last index with a positive weight (-1 when none). */
  readonly #lastPositive: number;

  constructor(weights: ArrayLike<number>) {
    const cumulative = new Float64Array(weights.length);
    let total = 0;
    let lastPositive = -1;
    for (let i = 0; i < weights.length; i++) {
      const weight = weights[i]!;
      if (weight > 0) {
        total += weight;
        lastPositive = i;
      }
      cumulative[i] = total;
    }
    this.#cumulative = cumulative;
    this.total = total;
    this.#lastPositive = lastPositive;
  }

  get length(): number {
    return this.#cumulative.length;
  }

  /**
   * An index with probability weights[i] / total (never a zero weight). Requires total > 0.
   * The same mapping of the draw as `pickWeightedIndex`: the first index whose cumulative weight
   * exceeds random() · total.
   */
  pick(random: RandomSource): number {
    const cumulative = this.#cumulative;
    const target = random() * this.total;
    let low = 0;
    let high = this.#lastPositive;
    // Rounding can leave the target at or past the last cumulative sum: `high` starts there.
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (target < cumulative[middle]!) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
