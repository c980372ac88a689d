import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_999, chiSquare } from '../../test/pick-statistics.js';
import { createSeededRandom } from '../seeded-random.js';
import { bestOfChoicesShares, pickBestOfChoices, twoChoicesShares } from './p2c.js';

const identity = (x: number) => x;

function countChoices(
  costs: readonly number[],
  choices: number,
  picks: number,
  seed: number,
  excluded?: ReadonlySet<number>,
): Map<string, number> {
  const random = createSeededRandom(seed);
  const indices = costs.map((_, i) => i);
  const counts = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const index = pickBestOfChoices(
      indices,
      choices,
      (j) => costs[j]!,
      random,
      excluded && ((j) => excluded.has(j)),
    );
    if (index === undefined) throw new Error('gave up');
    counts.set(String(index), (counts.get(String(index)) ?? 0) + 1);
  }
  return counts;
}

function expectedMap(shares: readonly number[]): Map<string, number> {
  return new Map(
    shares.map((share, i) => [String(i), share] as const).filter(([, share]) => share > 0),
  );
}

describe('pickBestOfChoices (power of d choices)', () => {
  it('d = 2 draws exactly like two choices: first uniform, second mapped past it', () => {
    const draws = [0.5, 0.5];
    const random = () => draws.shift()!;
    // n = 4: first = ⌊0.5·4⌋ = 2; second = ⌊0.5·3⌋ = 1 (< 2, kept): candidates 2 and 1.
    expect(pickBestOfChoices([9, 5, 7, 1], 2, identity, random)).toBe(5);
    expect(draws).toEqual([]);
  });

  it('d = 3 never returns the two costliest of n ≥ 4, and matches bestOfChoicesShares', () => {
    const costs = [5, 1, 3, 3, 9, 7];
    const counts = countChoices(costs, 3, 60_000, 21);
    expect(counts.has('4')).toBe(false);
    expect(counts.has('5')).toBe(false);
    const shares = bestOfChoicesShares(costs, 3, identity);
    expect(chiSquare(counts, expectedMap(shares))).toBeLessThan(CHI_SQUARE_999[3]!);
  });

  it('d ≥ n compares every candidate and splits ties evenly', () => {
    const counts = countChoices([4, 2, 2, 8], 5, 20_000, 22);
    expect([...counts.keys()].sort()).toEqual(['1', '2']);
    expect(chiSquare(counts, expectedMap([0, 0.5, 0.5, 0]))).toBeLessThan(CHI_SQUARE_999[1]!);
  });

  it('exclusion redraws past excluded candidates: uniform over the rest', () => {
    const costs = [1, 1, 1, 1, 1, 1, 1, 1];
    const counts = countChoices(costs, 2, 40_000, 23, new Set([0, 3]));
    expect(counts.has('0') || counts.has('3')).toBe(false);
    const rest = new Map(['1', '2', '4', '5', '6', '7'].map((id) => [id, 1 / 6] as const));
    expect(chiSquare(counts, rest)).toBeLessThan(20.52 /* χ²(5) at 0.999 */);
  });

  it('stays exact when a cost function picks again (re-entrant call)', () => {
    const costs = [4, 2, 7, 1, 9, 3];
    const inner = createSeededRandom(27);
    const outer = createSeededRandom(26);
    const counts = new Map<string, number>();
    for (let i = 0; i < 40_000; i++) {
      const index = pickBestOfChoices(
        costs.map((_, j) => j),
        3,
        (j) => {
          pickBestOfChoices([5, 6, 7, 8, 9], 3, identity, inner);
          return costs[j]!;
        },
        outer,
      )!;
      counts.set(String(index), (counts.get(String(index)) ?? 0) + 1);
    }
    const shares = bestOfChoicesShares(costs, 3, identity);
    const dof = shares.filter((share) => share > 0).length - 1;
    expect(chiSquare(counts, expectedMap(shares))).toBeLessThan(CHI_SQUARE_999[dof]!);
  });

  it('returns undefined when every candidate is excluded, or to hand heavy exclusion back', () => {
    const random = createSeededRandom(24);
    expect(pickBestOfChoices([1, 2], 2, identity, random, () => true)).toBeUndefined();
    expect(pickBestOfChoices([], 2, identity, random)).toBeUndefined();
    // 1 of 1000 left: ten draws almost surely miss it, so the caller is asked to filter.
    const many = Array.from({ length: 1000 }, (_, i) => i);
    expect(pickBestOfChoices(many, 2, identity, random, (i) => i !== 500)).toBeUndefined();
    // With the whole small list drawn, the answer is exact: the only one left.
    expect(pickBestOfChoices([1, 2, 3], 2, identity, random, (i) => i !== 2)).toBe(2);
  });
});

describe('bestOfChoicesShares', () => {
  it('is exact: the cheapest of a sampled d-subset, ties split', () => {
    // d = 3 of 4: index 0 wins the 3 subsets holding it, index 1 the one without 0.
    expect(bestOfChoicesShares([1, 2, 3, 4], 3, identity)).toEqual([0.75, 0.25, 0, 0]);
    expect(bestOfChoicesShares([3, 1, 1], 3, identity)).toEqual([0, 0.5, 0.5]);
    expect(bestOfChoicesShares([3, 1, 1], 8, identity)).toEqual([0, 0.5, 0.5]);
    const costs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5];
    for (const d of [2, 3, 4, 7, 11]) {
      expect(bestOfChoicesShares(costs, d, identity).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    }
    expect(bestOfChoicesShares(costs, 2, identity)).toEqual(twoChoicesShares(costs, identity));
  });

  it('matches the draws for d = 4 with ties (chi-square)', () => {
    const costs = [2, 2, 1, 5, 5, 5, 3, 1];
    const counts = countChoices(costs, 4, 80_000, 25);
    const shares = bestOfChoicesShares(costs, 4, identity);
    const dof = shares.filter((s) => s > 0).length - 1;
    expect(chiSquare(counts, expectedMap(shares))).toBeLessThan(CHI_SQUARE_999[dof]!);
  });
});
