import type { RandomSource } from '../types.js';

/**
 * Power of two choices (Mitzenmacher; tower's `p2c`): sample two distinct candidates uniformly and
 * keep the cheaper. Nearly as good as scanning for the global minimum, yet it never sends every
 * request to the same "best" endpoint, and the worst of n ≥ 3 candidates is never chosen.
 * Equal costs keep the first sampled one, so ties split evenly.
 */
export function pickTwoChoices<T>(
  candidates: readonly T[],
  cost: (candidate: T) => number,
  random: RandomSource,
): T {
  const n = candidates.length;
  if (n === 1) return candidates[0]!;
  const first = Math.floor(random() * n);
  let second = Math.floor(random() * (n - 1));
  if (second >= first) second++;
  const a = candidates[first]!;
  const b = candidates[second]!;
  return cost(b) < cost(a) ? b : a;
}

/**
 * The exact probability that `pickTwoChoices` returns each candidate given the current costs:
 * a candidate wins every pair with a costlier partner and half of the pairs with an equal one,
 * out of n(n−1)/2 equally likely pairs.
 */
export function twoChoicesShares<T>(
  candidates: readonly T[],
  cost: (candidate: T) => number,
): number[] {
  const n = candidates.length;
  if (n === 1) return [1];
  const costs = candidates.map(cost);
  const pairs = (n * (n - 1)) / 2;
  return costs.map((own, i) => {
    let wins = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const other = costs[j]!;
      if (other > own) wins += 1;
      else if (other === own) wins += 0.5;
    }
    return wins / pairs;
  });
}
