import { describe, expect, it } from 'vitest';
import type { HashFunction } from './hash-functions.js';
import { buildMaglevTable } from './maglev-table.js';
import { murmur3 } from './murmur3.js';

function entryCounts(table: Int32Array, members: number): number[] {
  const counts = new Array<number>(members).fill(0);
  for (const owner of table) counts[owner]!++;
  return counts;
}

describe('buildMaglevTable', () => {
  it('reproduces the worked example of the Maglev paper (Table 1, M = 7)', () => {
    // Paper: B0 offset 3 skip 4, B1 offset 0 skip 2, B2 offset 3 skip 1 → lookup table
    // [B1, B0, B1, B0, B2, B2, B0]. Seed 0 gives the offset, seed 1 the skip - 1 (mod 6).
    const params: Record<string, [number, number]> = { B0: [3, 4], B1: [0, 2], B2: [3, 1] };
    const hash: HashFunction = (name, seed = 0) => {
      const [offset, skip] = params[name]!;
      return seed === 0 ? offset : skip - 1;
    };
    const table = buildMaglevTable(
      ['B0', 'B1', 'B2'].map((name) => ({ name, weight: 1 })),
      7,
      hash,
    );
    expect([...table]).toEqual([1, 0, 1, 0, 2, 2, 0]);
  });

  it('fills every entry and balances equal weights to within one entry', () => {
    const members = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name, weight: 1 }));
    const table = buildMaglevTable(members, 65537, murmur3);
    const counts = entryCounts(table, 5);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(65537);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('gives entries proportional to weight through proportional turns', () => {
    const members = [
      { name: 'heavy', weight: 3 },
      { name: 'light', weight: 1 },
      { name: 'off', weight: 0 },
    ];
    const counts = entryCounts(buildMaglevTable(members, 4099, murmur3), 3);
    expect(counts[2]).toBe(0);
    expect(Math.abs(counts[0]! / 4099 - 0.75)).toBeLessThan(0.002);
  });

  it('leaves the table empty (-1) when no member has weight', () => {
    expect([...buildMaglevTable([], 5, murmur3)]).toEqual([-1, -1, -1, -1, -1]);
    expect([...buildMaglevTable([{ name: 'z', weight: 0 }], 3, murmur3)]).toEqual([-1, -1, -1]);
  });
});
