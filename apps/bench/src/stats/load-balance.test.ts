import { describe, expect, it } from 'vitest';
import { loadBalance } from './load-balance.js';

describe('loadBalance', () => {
  it('computes mean, extremes, max/mean and the coefficient of variation exactly', () => {
    const balance = loadBalance([2, 4, 6]);
    expect(balance).toMatchObject({ servers: 3, total: 12, mean: 4, min: 2, max: 6 });
    expect(balance.maxOverMean).toBe(1.5);
    expect(balance.cv).toBeCloseTo(Math.sqrt(8 / 3) / 4, 15);
  });

  it('counts a server that got nothing', () => {
    expect(loadBalance([0, 10]).maxOverMean).toBe(2);
  });

  it('is perfect for equal counts', () => {
    expect(loadBalance([5, 5, 5, 5])).toMatchObject({ maxOverMean: 1, cv: 0 });
  });

  it('refuses an empty list', () => {
    expect(() => loadBalance([])).toThrow(RangeError);
  });
});
