import { describe, expect, it } from 'vitest';
import type { HashFunction } from './hash-functions.js';
import { HashRing } from './hash-ring.js';
import { murmur3 } from './murmur3.js';

// Places point i of member "m<k>" at k * 1000 + i * 10 so positions are predictable.
const spacedHash: HashFunction = (name, seed = 0) => Number(name.slice(1)) * 1000 + seed * 10;

describe('HashRing', () => {
  it('sorts points and remembers their owners', () => {
    const ring = HashRing.build(
      [
        { name: 'm2', pointCount: 2 },
        { name: 'm1', pointCount: 3 },
      ],
      spacedHash,
    );
    expect([...ring.points]).toEqual([1000, 1010, 1020, 2000, 2010]);
    expect([...ring.owners]).toEqual([1, 1, 1, 0, 0]);
    expect(ring.size).toBe(5);
  });

  it('locates the first point at or after a hash and wraps past the last', () => {
    const ring = HashRing.build([{ name: 'm1', pointCount: 3 }], spacedHash);
    expect(ring.locate(0)).toBe(0);
    expect(ring.locate(1000)).toBe(0);
    expect(ring.locate(1001)).toBe(1);
    expect(ring.locate(1020)).toBe(2);
    expect(ring.locate(1021)).toBe(0);
    expect(ring.locate(2 ** 32 - 1)).toBe(0);
    expect(ring.next(2)).toBe(0);
    expect(ring.next(0)).toBe(1);
  });

  it('returns -1 on an empty ring', () => {
    expect(HashRing.build([], murmur3).locate(5)).toBe(-1);
    expect(HashRing.build([{ name: 'a', pointCount: 0 }], murmur3).size).toBe(0);
  });

  it('breaks ties between equal points by member order', () => {
    const sameHash: HashFunction = () => 77;
    const ring = HashRing.build(
      [
        { name: 'x', pointCount: 1 },
        { name: 'y', pointCount: 1 },
      ],
      sameHash,
    );
    expect([...ring.owners]).toEqual([0, 1]);
    expect(ring.ownedFractions(2)[0]).toBe(1);
    expect(ring.ownedFractions(2)[1]).toBe(0);
  });

  it('owned fractions are the arcs ending at each point and sum to 1', () => {
    const ring = HashRing.build(
      [
        { name: 'm1', pointCount: 1 },
        { name: 'm3', pointCount: 1 },
      ],
      spacedHash,
    );
    const fractions = ring.ownedFractions(2);
    expect(fractions[1]).toBeCloseTo(2000 / 2 ** 32, 15);
    expect(fractions[0]! + fractions[1]!).toBeCloseTo(1, 12);
    expect(HashRing.build([{ name: 'solo', pointCount: 1 }], murmur3).ownedFractions(1)[0]).toBe(1);
  });
});
