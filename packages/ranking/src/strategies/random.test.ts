import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_999, chiSquare, countPicks } from '../../test/pick-statistics.js';
import { endpoints, errorCode, pickExcluding, probe } from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import type { PickResult } from '../types.js';
import { RandomStrategy } from './random.js';

describe('RandomStrategy', () => {
  it('is uniform (chi-square, 60,000 picks, fixed seed) and ignores weights and samples', () => {
    const strategy = new RandomStrategy({ random: createSeededRandom(5) });
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd'], [1, 9, 1, 1]));
    strategy.observe('a', probe(1), 0);
    const counts = countPicks(strategy, 60_000);
    expect(chiSquare(counts, strategy.shares(0))).toBeLessThan(CHI_SQUARE_999[3]!);
    expect([...strategy.shares(0).values()]).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const strategy = new RandomStrategy({ random: createSeededRandom(9) });
      strategy.setEndpoints(endpoints(['a', 'b', 'c']));
      return [...countPicks(strategy, 100)];
    };
    expect(run()).toEqual(run());
  });

  it('respects exclude and drains weight 0', () => {
    const strategy = new RandomStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [1, 1, 0]));
    const counts = countPicks(strategy, 200, { now: 0, exclude: new Set(['a']) });
    expect([...counts.keys()]).toEqual(['b']);
    expect(pickExcluding(strategy, ['a', 'b', 'c'])).toEqual({ ok: false, reason: 'all-excluded' });
    expect(pickExcluding(strategy, ['a', 'b'])).toEqual({ ok: false, reason: 'all-unavailable' });
  });

  it('allocates nothing per pick: each endpoint has one frozen result', () => {
    const strategy = new RandomStrategy({ random: createSeededRandom(35) });
    strategy.setEndpoints(endpoints(['a', 'b']));
    const seen = new Map<string, PickResult>();
    for (let i = 0; i < 50; i++) {
      const result = strategy.pick({ now: 0 });
      if (!result.ok) throw new Error(result.reason);
      expect(Object.isFrozen(result)).toBe(true);
      const first = seen.get(result.endpoint.id) ?? result;
      seen.set(result.endpoint.id, first);
      expect(result).toBe(first);
    }
    expect(seen.size).toBe(2);
  });

  it('with exclude, stays uniform over the rest, also when most endpoints are excluded', () => {
    const strategy = new RandomStrategy({ random: createSeededRandom(36) });
    const ids = Array.from({ length: 40 }, (_, i) => `e${i}`);
    strategy.setEndpoints(endpoints(ids));
    const exclude = new Set(ids.slice(3));
    const counts = countPicks(strategy, 30_000, { now: 0, exclude });
    const expected = new Map(ids.slice(0, 3).map((id) => [id, 1 / 3] as const));
    expect([...counts.keys()].sort()).toEqual(['e0', 'e1', 'e2']);
    expect(chiSquare(counts, expected)).toBeLessThan(CHI_SQUARE_999[2]!);
  });

  it('validates samples and the clock even though it ignores them', () => {
    const strategy = new RandomStrategy();
    strategy.setEndpoints(endpoints(['a']));
    expect(
      errorCode(() =>
        strategy.observe('a', { kind: 'request', ok: true, latencyMs: Number.NaN }, 0),
      ),
    ).toBe('LB_RANKING_INVALID_SAMPLE');
    expect(errorCode(() => strategy.pick({ now: Number.NaN }))).toBe('LB_RANKING_INVALID_SAMPLE');
  });
});
