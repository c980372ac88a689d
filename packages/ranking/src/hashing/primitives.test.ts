import { describe, expect, it } from 'vitest';
import { isPrime } from './is-prime.js';
import { randomUint32, reduceToRange, toOpenUnitInterval } from './range-reduction.js';
import { rendezvousScore } from './rendezvous-score.js';

/** A `() => [0, 1)` source that replays fixed values. */
function createSequenceRandom(values: readonly number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length]!;
}

describe('isPrime', () => {
  it('recognises primes and rejects everything else', () => {
    expect([2, 3, 5, 7, 65537, 4099].every(isPrime)).toBe(true);
    expect([0, 1, 4, 9, 65535, 65536, -7, 2.5, Number.NaN, 2 ** 60].some(isPrime)).toBe(false);
  });
});

describe('range reduction', () => {
  it('maps by the high bits', () => {
    expect(reduceToRange(0, 512)).toBe(0);
    expect(reduceToRange(2 ** 32 - 1, 512)).toBe(511);
    expect(reduceToRange(2 ** 31, 3)).toBe(1);
  });

  it('maps into the open unit interval', () => {
    expect(toOpenUnitInterval(0)).toBeGreaterThan(0);
    expect(toOpenUnitInterval(2 ** 32 - 1)).toBeLessThan(1);
  });

  it('draws uint32 values from a [0, 1) source', () => {
    const random = createSequenceRandom([0, 0.5, 0.999999999999]);
    expect([randomUint32(random), randomUint32(random), randomUint32(random)]).toEqual([
      0,
      2 ** 31,
      2 ** 32 - 1,
    ]);
  });
});

describe('rendezvousScore', () => {
  it('grows with weight and with the pair hash, and is finite at the extremes', () => {
    expect(rendezvousScore(1000, 2)).toBeCloseTo(2 * rendezvousScore(1000, 1), 12);
    expect(rendezvousScore(2 ** 31, 1)).toBeGreaterThan(rendezvousScore(2 ** 30, 1));
    expect(Number.isFinite(rendezvousScore(2 ** 32 - 1, 1))).toBe(true);
    expect(rendezvousScore(0, 1)).toBeGreaterThan(0);
  });
});
