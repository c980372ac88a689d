import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jumpHash } from './jump-hash.js';

const MASK_64 = (1n << 64n) - 1n;

/** The paper's C++ transcribed with BigInt: the oracle for the 32-bit-word implementation. */
function referenceJumpHash(key: bigint, buckets: number): number {
  let state = key & MASK_64;
  let bucket = -1n;
  let next = 0n;
  while (next < BigInt(buckets)) {
    bucket = next;
    state = (state * 2862933555777941757n + 1n) & MASK_64;
    next = BigInt(Math.floor(Number(bucket + 1n) * (2 ** 31 / Number((state >> 33n) + 1n))));
  }
  return Number(bucket);
}

function jumpHash64(key: bigint, buckets: number): number {
  return jumpHash(Number(key >> 32n), Number(key & 0xffffffffn), buckets);
}

describe('jumpHash', () => {
  it.each([
    [1n, 1, 0],
    [256n, 1024, 520],
    [10863919174838991n, 11, 6],
    [2016238256797177309n, 11, 3],
    [0xdeadbeefn, 1000, referenceJumpHash(0xdeadbeefn, 1000)],
  ])('key %s into %i buckets gives %i', (key, buckets, expected) => {
    expect(jumpHash64(key, buckets)).toBe(expected);
  });

  it('returns -1 for zero buckets', () => {
    expect(jumpHash(1, 2, 0)).toBe(-1);
  });

  it('is bit-exact with the 64-bit reference, including carries out of the low word', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MASK_64 }),
        fc.integer({ min: 1, max: 5000 }),
        (key, b) => {
          expect(jumpHash64(key, b)).toBe(referenceJumpHash(key, b));
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
    for (const key of [MASK_64, MASK_64 - 1n, 0xffffffffn, 0x1_0000_0000n, 0n]) {
      expect(jumpHash64(key, 1 << 20)).toBe(referenceJumpHash(key, 1 << 20));
    }
  });

  it('moves a key only to the new bucket when buckets grow', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: MASK_64 }),
        fc.integer({ min: 1, max: 500 }),
        (key, b) => {
          const before = jumpHash64(key, b);
          const after = jumpHash64(key, b + 1);
          expect(after === before || after === b).toBe(true);
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });
});
