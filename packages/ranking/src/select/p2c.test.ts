import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_999, chiSquare } from '../../test/pick-statistics.js';
import { createSeededRandom } from '../seeded-random.js';
import { pickTwoChoices, twoChoicesShares } from './p2c.js';

const identity = (x: number) => x;

describe('pickTwoChoices', () => {
  it('a single candidate is returned without drawing', () => {
    let draws = 0;
    const counting = () => {
      draws++;
      return 0.5;
    };
    expect(pickTwoChoices([7], identity, counting)).toBe(7);
    expect(draws).toBe(0);
  });

  it('never returns the costliest of n ≥ 3, and matches twoChoicesShares (chi-square)', () => {
    const costs = [5, 1, 3, 3, 9];
    const random = createSeededRandom(17);
    const counts = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const index = pickTwoChoices([0, 1, 2, 3, 4], (j) => costs[j]!, random);
      counts.set(String(index), (counts.get(String(index)) ?? 0) + 1);
    }
    expect(counts.has('4')).toBe(false);
    const shares = twoChoicesShares(costs, identity);
    const expected = new Map(
      shares.map((share, i) => [String(i), share] as const).filter(([, share]) => share > 0),
    );
    expect(chiSquare(counts, expected)).toBeLessThan(CHI_SQUARE_999[3]!);
  });

  it('draws two distinct candidates', () => {
    // Draws 0 and 0 would pick index 0 twice without the skip; the second maps to index 1.
    const picked = pickTwoChoices([10, 1], identity, () => 0);
    expect(picked).toBe(1);
  });
});

describe('twoChoicesShares', () => {
  it('is exact: wins over costlier partners, half the ties, over n(n−1)/2 pairs', () => {
    expect(twoChoicesShares([1, 2, 3], identity)).toEqual([2 / 3, 1 / 3, 0]);
    expect(twoChoicesShares([1, 1, 3], identity)).toEqual([0.5, 0.5, 0]);
    expect(twoChoicesShares([4, 4], identity)).toEqual([0.5, 0.5]);
    expect(twoChoicesShares([4], identity)).toEqual([1]);
    const shares = twoChoicesShares([3, 1, 4, 1, 5, 9, 2, 6], identity);
    expect(shares.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
  });
});
