import { describe, expect, it } from 'vitest';
import {
  mm1MeanSojourn,
  supermarketMeanSojourn,
  supermarketSojournQuantile,
  supermarketSojournTail,
} from './queueing-theory.js';

describe('queueing theory', () => {
  it('M/M/1 at load 0.9 has mean sojourn 10', () => {
    expect(mm1MeanSojourn(0.9)).toBeCloseTo(10, 12);
  });

  it('the supermarket model at load 0.9 with two choices has mean sojourn ≈ 2.6141', () => {
    // Mitzenmacher's thesis tabulates 2.6141 as the limit; 2.6104 is his simulation of 100 queues.
    expect(supermarketMeanSojourn(0.9)).toBeCloseTo(2.6141, 4);
  });

  it('more choices shorten the queue, and zero load leaves only the service time', () => {
    expect(supermarketMeanSojourn(0.9, 3)).toBeLessThan(supermarketMeanSojourn(0.9, 2));
    expect(supermarketMeanSojourn(0)).toBe(1);
  });

  it('sojourn quantiles: M/M/1 exactly, and d choices between random and one queue each', () => {
    // M/M/1 sojourn is exponential with rate 1 − load: p99 = ln(100) / 0.1.
    expect(supermarketSojournQuantile(0.9, 1, 0.99)).toBeCloseTo(Math.log(100) / 0.1, 6);
    expect(supermarketSojournTail(0, 2, 3)).toBeCloseTo(Math.exp(-3), 12);
    const p99 = [2, 3, 4, 5, 6].map((d) => supermarketSojournQuantile(0.9, d, 0.99));
    expect(p99.map((x) => Number(x.toFixed(2)))).toEqual([8.79, 7.31, 6.7, 6.32, 6.1]);
    // Never below a lone exponential service's p99, ln 100.
    expect(supermarketSojournQuantile(0.9, 32, 0.99)).toBeGreaterThan(Math.log(100));
  });

  it('rejects loads outside [0, 1)', () => {
    expect(() => mm1MeanSojourn(1)).toThrow(RangeError);
    expect(() => supermarketMeanSojourn(1.2)).toThrow(RangeError);
    expect(() => supermarketMeanSojourn(0.5, 1)).toThrow(RangeError);
  });
});
