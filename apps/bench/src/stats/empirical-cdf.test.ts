import { describe, expect, it } from 'vitest';
import { empiricalCdf } from './empirical-cdf.js';

describe('empiricalCdf', () => {
  it('gives every point of a small sample, sorted, with exact fractions', () => {
    expect(empiricalCdf([3, 1, 2, 2])).toEqual([
      { value: 1, fraction: 0.25 },
      { value: 2, fraction: 0.5 },
      { value: 2, fraction: 0.75 },
      { value: 3, fraction: 1 },
    ]);
  });

  it('is empty for no values', () => {
    expect(empiricalCdf([])).toEqual([]);
  });

  it('thins a large sample to at most maxPoints, keeping the exact tail and the maximum', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const points = empiricalCdf(values, 200);
    expect(points.length).toBeLessThanOrEqual(200);
    expect(points.at(-1)).toEqual({ value: 10_000, fraction: 1 });
    // A quarter of the budget: the 50 highest ranks, every one of them.
    const tail = points.filter((point) => point.fraction > 0.995);
    expect(tail.map((point) => point.value)).toEqual(
      Array.from({ length: 50 }, (_, i) => 9951 + i),
    );
    for (const point of points) expect(point.fraction).toBe(point.value / 10_000);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.value).toBeGreaterThan(points[i - 1]!.value);
    }
  });

  it('refuses fewer than 2 points', () => {
    expect(() => empiricalCdf([1, 2, 3], 1)).toThrow(RangeError);
  });
});
