import type { RandomSource } from '../types.js';

/**
 * Draws beyond `choices` that `pickBestOfChoices` spends on excluded candidates before it gives up
 * and lets the caller filter. With a fraction f of the list excluded, giving up has probability
 * about f^(MAX_EXTRA_DRAWS + 1), so only heavy exclusion reaches the O(n) fallback.
 */
const MAX_EXTRA_DRAWS = 8;

/** Drawn indices in ascending order, reused across calls (a re-entrant call gets its own). */
let drawnScratch = new Int32Array(16);
let drawnScratchInUse = false;

/**
 * Power of d choices (Mitzenmacher; tower's `p2c` for d = 2; Envoy's LEAST_REQUEST `choice_count`):
 * sample `choices` distinct candidates uniformly and keep the cheapest. Equal costs keep the first
 * sampled, so ties split evenly. With d = 2 the worst of n ≥ 3 candidates is never chosen; a larger
 * d sees more queues per decision and approaches join-the-shortest-queue; d ≥ n scans every
 * candidate (ties broken uniformly at random).
 *
 * O(d²) per pick, no allocation. Indices are drawn without replacement by mapping a draw in
 * [0, n − k) past the k indices already drawn, so d = 2 costs exactly two draws.
 *
 * `isExcluded` (optional) rejects candidates by drawing on: sampling without replacement and
 * skipping the excluded yields a uniform sample of the rest. Returns `undefined` when it would need
 * more than `choices + 8` draws (heavy exclusion): the caller should then filter the list (O(n))
 * and call again without `isExcluded`. Also `undefined` when every candidate is excluded or the
 * list is empty.
 */
export function pickBestOfChoices<T>(
  candidates: readonly T[],
  choices: number,
  cost: (candidate: T) => number,
  random: RandomSource,
  isExcluded?: (candidate: T) => boolean,
): T | undefined {
  const n = candidates.length;
  if (n === 0) return undefined;
  if (n === 1) {
    const only = candidates[0]!;
    return isExcluded?.(only) ? undefined : only;
  }
  if (choices >= n && choices > 2) return scanCheapest(candidates, cost, random, isExcluded);
  if (choices === 2 && isExcluded === undefined) {
    // The common case, unrolled: the general loop below draws exactly the same two indices.
    const first = Math.floor(random() * n);
    let second = Math.floor(random() * (n - 1));
    if (second >= first) second++;
    const a = candidates[first]!;
    const b = candidates[second]!;
    return cost(b) < cost(a) ? b : a;
  }
  const maxDraws = Math.min(n, isExcluded === undefined ? choices : choices + MAX_EXTRA_DRAWS);
  // `cost` and `isExcluded` are the caller's code and could pick again: only one call at a time
  // may use the shared scratch.
  if (drawnScratchInUse)
    return sampleCheapest(
      candidates,
      choices,
      cost,
      random,
      isExcluded,
      maxDraws,
      new Int32Array(maxDraws),
    );
  if (drawnScratch.length < maxDraws) drawnScratch = new Int32Array(maxDraws * 2);
  drawnScratchInUse = true;
  try {
    return sampleCheapest(candidates, choices, cost, random, isExcluded, maxDraws, drawnScratch);
  } finally {
    drawnScratchInUse = false;
  }
}

/** The sampling loop of `pickBestOfChoices`, drawing into `drawn` (capacity ≥ maxDraws). */
function sampleCheapest<T>(
  candidates: readonly T[],
  choices: number,
  cost: (candidate: T) => number,
  random: RandomSource,
  isExcluded: ((candidate: T) => boolean) | undefined,
  maxDraws: number,
  drawn: Int32Array,
): T | undefined {
  const n = candidates.length;
  let draws = 0;
  let accepted = 0;
  let best: T | undefined;
  let bestCost = 0;
  while (accepted < choices && draws < maxDraws) {
    let index = Math.floor(random() * (n - draws));
    let position = 0;
    // Map the draw among the n − k remaining indices to its absolute index, keeping `drawn` sorted.
    while (position < draws && drawn[position]! <= index) {
      index++;
      position++;
    }
    for (let k = draws; k > position; k--) drawn[k] = drawn[k - 1]!;
    drawn[position] = index;
    draws++;
    const candidate = candidates[index]!;
    if (isExcluded?.(candidate)) continue;
    accepted++;
    const candidateCost = cost(candidate);
    if (best === undefined || candidateCost < bestCost) {
      best = candidate;
      bestCost = candidateCost;
    }
  }
  // Either d candidates were compared, or every candidate was drawn (all the non-excluded seen).
  return accepted === choices || draws === n ? best : undefined;
}

/** Every non-excluded candidate is compared; ties go to one of them uniformly (reservoir). */
function scanCheapest<T>(
  candidates: readonly T[],
  cost: (candidate: T) => number,
  random: RandomSource,
  isExcluded: ((candidate: T) => boolean) | undefined,
): T | undefined {
  let best: T | undefined;
  let bestCost = 0;
  let ties = 0;
  for (const candidate of candidates) {
    if (isExcluded?.(candidate)) continue;
    const candidateCost = cost(candidate);
    if (best === undefined || candidateCost < bestCost) {
      best = candidate;
      bestCost = candidateCost;
      ties = 1;
    } else if (candidateCost === bestCost) {
      ties++;
      if (random() * ties < 1) best = candidate;
    }
  }
  return best;
}

/**
 * Power of two choices: `pickBestOfChoices` with d = 2 over a non-empty list. The worst of n ≥ 3
 * candidates is never chosen.
 */
export function pickTwoChoices<T>(
  candidates: readonly T[],
  cost: (candidate: T) => number,
  random: RandomSource,
): T {
  return pickBestOfChoices(candidates, 2, cost, random)!;
}

/**
 * The exact probability that `pickTwoChoices` returns each candidate given the current costs:
 * a candidate wins every pair with a costlier partner and half of the pairs with an equal one,
 * out of n(n−1)/2 equally likely pairs. O(n log n).
 */
export function twoChoicesShares<T>(
  candidates: readonly T[],
  cost: (candidate: T) => number,
): number[] {
  const n = candidates.length;
  if (n === 1) return [1];
  const pairs = (n * (n - 1)) / 2;
  return rankCosts(candidates.map(cost), (costlier, equalOthers) => {
    return (costlier + equalOthers / 2) / pairs;
  });
}

/**
 * The exact probability that `pickBestOfChoices` (no exclusion) returns each candidate: candidate i
 * wins when it is in the sample, no cheaper candidate is, and it comes first among the j equal ones
 * sampled with it (probability 1/(j+1)). With d' = min(d, n), t equal others and a costlier ones:
 * P_i = (d'/n) · Σ_j C(t, j)·C(a, d'−1−j) / C(n−1, d'−1) / (j+1). d = 2 gives `twoChoicesShares`.
 */
export function bestOfChoicesShares<T>(
  candidates: readonly T[],
  choices: number,
  cost: (candidate: T) => number,
): number[] {
  const n = candidates.length;
  if (choices <= 2) return twoChoicesShares(candidates, cost);
  if (n === 1) return [1];
  const d = Math.min(choices, n);
  const lnFactorial = new Float64Array(n + 1);
  for (let i = 2; i <= n; i++) lnFactorial[i] = lnFactorial[i - 1]! + Math.log(i);
  const lnChoose = (x: number, y: number) =>
    lnFactorial[x]! - lnFactorial[y]! - lnFactorial[x - y]!;
  const others = d - 1;
  return rankCosts(candidates.map(cost), (costlier, equalOthers) => {
    let sum = 0;
    for (let j = 0; j <= Math.min(equalOthers, others); j++) {
      if (others - j > costlier) continue;
      sum +=
        Math.exp(
          lnChoose(equalOthers, j) + lnChoose(costlier, others - j) - lnChoose(n - 1, others),
        ) /
        (j + 1);
    }
    return (d / n) * sum;
  });
}

/**
 * Calls `share(costlier, equalOthers)` once per group of equal costs and returns the result for
 * every candidate in input order. O(n log n).
 */
function rankCosts(
  costs: readonly number[],
  share: (costlier: number, equalOthers: number) => number,
): number[] {
  const n = costs.length;
  const order = costs
    .map((_, i) => i)
    .sort((a, b) => (costs[a]! < costs[b]! ? -1 : costs[a]! > costs[b]! ? 1 : 0));
  const result = new Array<number>(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && costs[order[end]!] === costs[order[start]!]) end++;
    const value = share(n - end, end - start - 1);
    for (let k = start; k < end; k++) result[order[k]!] = value;
    start = end;
  }
  return result;
}
