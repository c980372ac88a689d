import { describe, expect, it } from 'vitest';
import { mm1MeanSojourn, supermarketMeanSojourn } from './queueing-theory.js';

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

  it('rejects loads outside [0, 1)', () => {
    expect(() => mm1MeanSojourn(1)).toThrow(RangeError);
    expect(() => supermarketMeanSojourn(1.2)).toThrow(RangeError);
    expect(() => supermarketMeanSojourn(0.5, 1)).toThrow(RangeError);
  });
});
