import { describe, expect, it } from 'vitest';
import {
  CHI_SQUARE_999,
  chiSquare,
  countPicks,
  endpoints,
  errorCode,
  probe,
} from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
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
    expect(strategy.pick({ now: 0, exclude: new Set(['a', 'b', 'c']) })).toEqual({
      ok: false,
      reason: 'all-excluded',
    });
    expect(strategy.pick({ now: 0, exclude: new Set(['a', 'b']) })).toEqual({
      ok: false,
      reason: 'all-unavailable',
    });
  });

  it('validates samples and the clock even though it ignores them', () => {
    const strategy = new RandomStrategy();
    strategy.setEndpoints(endpoints(['a']));
    expect(
      errorCode(() =>
        strategy.observe('a', { kind: 'request', ok: true, latencyMs: Number.NaN }, 0),
      ),
    ).toBe('LBR_INVALID_SAMPLE');
    expect(errorCode(() => strategy.pick({ now: Number.NaN }))).toBe('LBR_INVALID_SAMPLE');
  });
});
