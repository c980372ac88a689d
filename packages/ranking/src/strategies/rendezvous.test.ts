import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_999, chiSquare } from '../../test/pick-statistics.js';
import { assignmentOf, endpoints, errorCode, withEndpoints } from '../../test/strategy-helpers.js';
import { RendezvousStrategy } from './rendezvous.js';

const keys = Array.from({ length: 30_000 }, (_, i) => `/debian/pool/main/${i}.deb`);

const assignment = assignmentOf(keys);

const over = (ids: readonly string[], weights?: readonly number[]) =>
  withEndpoints(new RendezvousStrategy(), ids, weights);

describe('RendezvousStrategy', () => {
  it('rejects an unknown hash with LB_RANKING_INVALID_OPTION', () => {
    expect(errorCode(() => new RendezvousStrategy({ hash: 'md5' as never }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
  });

  it('shares are exactly weight / Σ weight, and keys follow them (chi-square, 30,000 keys)', () => {
    const strategy = over(['a', 'b', 'c', 'd'], [1, 2, 3, 0]);
    const shares = strategy.shares(0);
    expect([...shares.values()]).toEqual([1 / 6, 2 / 6, 3 / 6, 0]);
    const counts = new Map<string, number>();
    for (const id of assignment(strategy)) counts.set(id, (counts.get(id) ?? 0) + 1);
    const eligible = new Map([...shares].filter(([, share]) => share > 0));
    expect(chiSquare(counts, eligible)).toBeLessThan(CHI_SQUARE_999[2]!);
  });

  it('exclude takes the next-highest score: the same as removing the excluded endpoint', () => {
    expect(assignment(over(['a', 'b', 'c', 'd']), new Set(['b', 'd']))).toEqual(
      assignment(over(['a', 'c'])),
    );
  });

  it('a weight change moves keys only to or from that endpoint', () => {
    const strategy = over(['a', 'b', 'c']);
    const before = assignment(strategy);
    strategy.apply({ type: 'update', endpoint: endpoints(['b'], [0.5])[0]! });
    const after = assignment(strategy);
    let moved = 0;
    before.forEach((id, i) => {
      if (id === after[i]) return;
      moved++;
      expect(id).toBe('b');
    });
    // b's share drops from 1/3 to 0.5/2.5 = 1/5.
    expect(Math.abs(moved / keys.length - (1 / 3 - 1 / 5))).toBeLessThan(0.01);
  });

  it('does not depend on the order endpoints were given in', () => {
    expect(assignment(over(['c', 'a', 'b']))).toEqual(assignment(over(['a', 'b', 'c'])));
  });
});
