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
