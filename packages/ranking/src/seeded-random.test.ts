import { describe, expect, it } from 'vitest';
import { errorCode } from '../test/strategy-helpers.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from './seeded-random.js';

function take(seed: number, count: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => random());
}

describe('createSeededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    expect(take(123, 50)).toEqual(take(123, 50));
    expect(take(DEFAULT_RANDOM_SEED, 5)).toEqual(take(DEFAULT_RANDOM_SEED, 5));
  });

  it('gives unrelated sequences for nearby and large seeds', () => {
    const streams = [0, 1, 2, -1, 2 ** 32, 2 ** 40 + 1].map((seed) => take(seed, 8).join());
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('is pinned: the sequence for seed 1 does not change between releases', () => {
    // Simulations and recorded benchmarks replay from seeds; changing the generator breaks them.
    expect(take(1, 4).map((x) => Math.round(x * 2 ** 32))).toEqual([
      2917898039, 3219067074, 3573976570, 153132209,
    ]);
  });

  it('returns values in [0, 1), uniformly (chi-square over 10 buckets, 100,000 draws)', () => {
    const random = createSeededRandom(2024);
    const buckets = new Array<number>(10).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random();
      min = Math.min(min, x);
      max = Math.max(max, x);
      buckets[Math.floor(x * 10)]!++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    const expected = 10_000;
    const statistic = buckets.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
    // 0.999 quantile for 9 degrees of freedom.
    expect(statistic).toBeLessThan(27.88);
  });

  it('rejects seeds that are not safe integers', () => {
    for (const seed of [Number.NaN, 1.5, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(errorCode(() => createSeededRandom(seed))).toBe('LB_RANKING_INVALID_SEED');
    }
    expect(errorCode(() => createSeededRandom('1' as unknown as number))).toBe(
      'LB_RANKING_INVALID_SEED',
    );
  });
});
