import { describe, expect, it } from 'vitest';
import type { HashFunction } from './hash-functions.js';
import { murmur3 } from './murmur3.js';
import { SlotTable } from './slot-table.js';

const TWO_POW_32 = 2 ** 32;
// Every replica of every member aims at slot `home` of a 16-slot table: worst-case collisions.
const allAt =
  (home: number): HashFunction =>
  () =>
    (home * TWO_POW_32) / 16;

function occupiedSlots(table: SlotTable): number[] {
  return [...table.owners].flatMap((owner, slot) => (owner >= 0 ? [slot] : []));
}

describe('SlotTable', () => {
  it('linear probing fills consecutive slots after a collision', () => {
    const table = SlotTable.build([{ name: 'a', replicas: 5 }], 16, 'linear', allAt(3));
    expect(occupiedSlots(table)).toEqual([3, 4, 5, 6, 7]);
    expect(table.collisions).toBe(4);
  });

  it('quadratic probing jumps by triangular numbers', () => {
    const table = SlotTable.build([{ name: 'a', replicas: 5 }], 16, 'quadratic', allAt(3));
    // 3, then 3+1, 3+1+2, 3+1+2+3, 3+1+2+3+4: the probe starts over from the home slot each time.
    expect(occupiedSlots(table)).toEqual([3, 4, 6, 9, 13]);
  });

  it.each(['linear', 'quadratic'] as const)(
    '%s probing fills a power-of-two table completely',
    (probing) => {
      const table = SlotTable.build([{ name: 'a', replicas: 16 }], 16, probing, allAt(5));
      expect(occupiedSlots(table)).toHaveLength(16);
    },
  );

  it('quadratic probing falls back to linear when its cycle is full (non power of two)', () => {
    // In 12 slots the triangular offsets from 0 reach only {0,1,3,6,10,3,9,4,0,9,7,6}.
    const table = SlotTable.build([{ name: 'a', replicas: 12 }], 12, 'quadratic', allAt(0));
    expect(occupiedSlots(table)).toHaveLength(12);
  });

  it('places replica-major so a contested slot goes to the earlier member at each replica', () => {
    const table = SlotTable.build(
      [
        { name: 'a', replicas: 2 },
        { name: 'b', replicas: 2 },
      ],
      16,
      'linear',
      allAt(0),
    );
    // a0 → 0, b0 → 1, a1 → 2, b1 → 3.
    expect([...table.owners.subarray(0, 4)]).toEqual([0, 1, 0, 1]);
  });

  it('serves each key slot from the next occupied slot clockwise, wrapping', () => {
    const table = SlotTable.build([{ name: 'a', replicas: 2 }], 16, 'linear', allAt(10));
    expect(table.occupiedAtOrAfter(0)).toBe(10);
    expect(table.occupiedAtOrAfter(10)).toBe(10);
    expect(table.occupiedAtOrAfter(11)).toBe(11);
    expect(table.occupiedAtOrAfter(12)).toBe(10);
    expect(table.servedFractions(1)[0]).toBe(1);
  });

  it('served fractions sum to 1 and an empty table serves nothing', () => {
    const members = ['a', 'b', 'c'].map((name) => ({ name, replicas: 40 }));
    const fractions = SlotTable.build(members, 512, 'linear', murmur3).servedFractions(3);
    expect(fractions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const empty = SlotTable.build([], 8, 'linear', murmur3);
    expect(empty.occupiedAtOrAfter(3)).toBe(-1);
    expect([...empty.servedFractions(0)]).toEqual([]);
  });

  it('throws if asked to place more replicas than slots', () => {
    expect(() => SlotTable.build([{ name: 'a', replicas: 5 }], 4, 'linear', murmur3)).toThrow(
      RangeError,
    );
  });
});
