import { describe, expect, it } from 'vitest';
import { assignmentOf, endpoints, thrownBy } from '../../test/strategy-helpers.js';
import { MaglevStrategy } from './maglev.js';

const keys = Array.from({ length: 3000 }, (_, i) => `/iso/${i}.iso`);

const assignment = assignmentOf(keys);

describe('MaglevStrategy', () => {
  it.each([65536, 4, 1, 0, 9, 65537.5])(
    'rejects table size %d with LB_RANKING_INVALID_OPTION',
    (size) => {
      expect(thrownBy(() => new MaglevStrategy({ tableSize: size }))).toMatchObject({
        code: 'LB_RANKING_INVALID_OPTION',
        option: 'tableSize',
      });
    },
  );

  it('rejects a prime table size above 2^21 and an unknown hash', () => {
    expect(thrownBy(() => new MaglevStrategy({ tableSize: 2_097_169 }))).toMatchObject({
      code: 'LB_RANKING_INVALID_OPTION',
      option: 'tableSize',
    });
    expect(thrownBy(() => new MaglevStrategy({ hash: 'md5' as never }))).toMatchObject({
      code: 'LB_RANKING_INVALID_OPTION',
      option: 'hash',
    });
    expect(() => new MaglevStrategy({ tableSize: 2 })).not.toThrow();
  });

  it('gives equal weights ⌊M/n⌋ or ⌈M/n⌉ entries each', () => {
    const strategy = new MaglevStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd', 'e', 'f', 'g']));
    for (const share of strategy.shares(0).values()) {
      const entries = Math.round(share * 65537);
      expect(entries === Math.floor(65537 / 7) || entries === Math.ceil(65537 / 7)).toBe(true);
    }
  });

  it('weights shift entries proportionally (proportional turns)', () => {
    const strategy = new MaglevStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd'], [1, 1, 2, 0]));
    const shares = strategy.shares(0);
    expect(shares.get('a')).toBeCloseTo(0.25, 3);
    expect(shares.get('b')).toBeCloseTo(0.25, 3);
    expect(shares.get('c')).toBeCloseTo(0.5, 3);
    expect(shares.get('d')).toBe(0);
    const counts = new Map<string, number>();
    for (const id of assignment(strategy)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.get('c')! / keys.length).toBeGreaterThan(0.45);
    expect(counts.has('d')).toBe(false);
  });

  it('the table depends on the set of endpoints, not the order they arrived in', () => {
    const forward = new MaglevStrategy({ tableSize: 251 });
    forward.setEndpoints(endpoints(['a', 'b', 'c']));
    const backward = new MaglevStrategy({ tableSize: 251 });
    backward.setEndpoints(endpoints(['c', 'a']));
    backward.apply({ type: 'add', endpoint: endpoints(['b'])[0]! });
    expect(assignment(backward)).toEqual(assignment(forward));
  });

  it('a table smaller than the membership leaves some endpoints without entries', () => {
    const strategy = new MaglevStrategy({ tableSize: 3 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd', 'e']));
    const owning = [...strategy.shares(0).values()].filter((share) => share > 0);
    expect(owning).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});
