import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_999, chiSquare, countPicks } from '../../test/pick-statistics.js';
import {
  endpoints,
  errorCode,
  failedProbe,
  pickExcluding,
  probe,
  withProbes,
} from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import { RankWeightedStrategy } from './rank-weighted.js';

function measured(times: Record<string, number>, seed = 1): RankWeightedStrategy {
  return withProbes(new RankWeightedStrategy({}, { random: createSeededRandom(seed) }), times);
}

describe('RankWeightedStrategy', () => {
  it('gives the slowest rank 1 and the fastest rank n: shares exactly 1/6, 2/6, 3/6', () => {
    const strategy = measured({ slow: 300, mid: 200, fast: 100 });
    expect([...strategy.shares(0)]).toEqual([
      ['slow', 1 / 6],
      ['mid', 2 / 6],
      ['fast', 3 / 6],
    ]);
  });

  it('picks converge to 1:2:3 (chi-square, 60,000 picks, fixed seed)', () => {
    const strategy = measured({ slow: 300, mid: 200, fast: 100 }, 42);
    const counts = countPicks(strategy, 60_000);
    const statistic = chiSquare(counts, strategy.shares(0));
    expect(statistic).toBeLessThan(CHI_SQUARE_999[2]!);
  });

  it('keeps every server pickable', () => {
    const strategy = measured({ a: 10_000, b: 1, c: 2, d: 3 }, 7);
    const counts = countPicks(strategy, 2_000);
    expect([...counts.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('averages the ranks of equal times, independent of list order', () => {
    const strategy = measured({ a: 200, b: 200, c: 100 });
    expect([...strategy.shares(0)]).toEqual([
      ['a', 1.5 / 6],
      ['b', 1.5 / 6],
      ['c', 3 / 6],
    ]);
    const reversed = measured({ c: 100, b: 200, a: 200 });
    expect(reversed.shares(0).get('a')).toBe(1.5 / 6);
    expect(reversed.shares(0).get('c')).toBe(3 / 6);
  });

  it('all tied gives equal shares', () => {
    const strategy = measured({ a: 50, b: 50, c: 50, d: 50 });
    for (const share of strategy.shares(0).values()) expect(share).toBe(0.25);
  });

  it('a single server gets everything', () => {
    const strategy = measured({ only: 123 });
    expect([...strategy.shares(0)]).toEqual([['only', 1]]);
    const result = strategy.pick({ now: 0 });
    expect(result.ok && result.endpoint.id).toBe('only');
  });

  it('ranks unmeasured endpoints as the slowest, tied with each other', () => {
    const strategy = new RankWeightedStrategy();
    strategy.setEndpoints(endpoints(['new1', 'fast', 'new2']));
    expect(strategy.shares(0).get('new1')).toBe(1 / 3);
    strategy.observe('fast', probe(100), 0);
    // new1 and new2 share ranks 1 and 2 (1.5 each), fast has rank 3.
    expect([...strategy.shares(0)]).toEqual([
      ['new1', 1.5 / 6],
      ['fast', 3 / 6],
      ['new2', 1.5 / 6],
    ]);
  });

  it('re-ranks when endpoints are added and removed', () => {
    const strategy = measured({ slow: 300, fast: 100 });
    expect(strategy.shares(0).get('fast')).toBe(2 / 3);
    strategy.apply({ type: 'add', endpoint: { id: 'fastest', address: 'x', weight: 1 } });
    strategy.observe('fastest', probe(50), 1);
    expect([...strategy.shares(1)]).toEqual([
      ['slow', 1 / 6],
      ['fast', 2 / 6],
      ['fastest', 3 / 6],
    ]);
    strategy.apply({ type: 'remove', id: 'slow' });
    expect([...strategy.shares(1)]).toEqual([
      ['fast', 1 / 3],
      ['fastest', 2 / 3],
    ]);
  });

  it('an update keeps the measurement; a remove forgets it', () => {
    const strategy = measured({ slow: 300, fast: 100 });
    strategy.apply({
      type: 'update',
      endpoint: { id: 'fast', address: 'http://moved', weight: 1 },
    });
    expect(strategy.shares(0).get('fast')).toBe(2 / 3);
    strategy.apply({ type: 'remove', id: 'fast' });
    strategy.apply({ type: 'add', endpoint: { id: 'fast', address: 'http://moved', weight: 1 } });
    // Unmeasured again: ranked with the slowest.
    expect(strategy.shares(0).get('fast')).toBe(1 / 3);
  });

  it('a probe that reorders the ranks takes effect on the next pick (cached weights rebuilt)', () => {
    const strategy = new RankWeightedStrategy({}, { random: createSeededRandom(34) });
    strategy.setEndpoints(endpoints(['a', 'b']));
    strategy.observe('a', probe(100), 0);
    strategy.observe('b', probe(200), 0);
    const before = countPicks(strategy, 30_000);
    expect(chiSquare(before, strategy.shares(0))).toBeLessThan(CHI_SQUARE_999[1]!);
    expect(strategy.shares(0).get('a')).toBeCloseTo(2 / 3, 12);
    strategy.observe('a', probe(300), 1);
    expect(strategy.shares(1).get('a')).toBeCloseTo(1 / 3, 12);
    const after = countPicks(strategy, 30_000, { now: 1 });
    expect(chiSquare(after, strategy.shares(1))).toBeLessThan(CHI_SQUARE_999[1]!);
  });

  it('excluding endpoints that are unavailable anyway changes nothing (the health wrapper case)', () => {
    const picks = (exclude?: ReadonlySet<string>) => {
      const strategy = new RankWeightedStrategy({}, { random: createSeededRandom(37) });
      strategy.setEndpoints(endpoints(['a', 'b', 'c', 'down', 'drained'], [1, 1, 1, 1, 0]));
      ['a', 'b', 'c', 'down'].forEach((id, i) => {
        strategy.observe(id, probe(100 * (i + 1)), 0);
      });
      strategy.observe('down', failedProbe, 0);
      return Array.from({ length: 200 }, () => {
        const result = strategy.pick(exclude ? { now: 0, exclude } : { now: 0 });
        return result.ok ? result.endpoint.id : result.reason;
      });
    };
    expect(picks(new Set(['down', 'drained', 'unknown']))).toEqual(picks());
  });

  it('re-ranks among the endpoints left after exclude', () => {
    const strategy = measured({ slow: 300, mid: 200, fast: 100 }, 3);
    const counts = countPicks(strategy, 30_000, { now: 0, exclude: new Set(['fast']) });
    expect(counts.has('fast')).toBe(false);
    const expected = new Map([
      ['slow', 1 / 3],
      ['mid', 2 / 3],
    ]);
    expect(chiSquare(counts, expected)).toBeLessThan(CHI_SQUARE_999[1]!);
  });

  it('a failed probe makes the endpoint unavailable until a good probe', () => {
    const strategy = measured({ slow: 300, mid: 200, fast: 100 });
    strategy.observe('fast', failedProbe, 1);
    expect([...strategy.shares(1)]).toEqual([
      ['slow', 1 / 3],
      ['mid', 2 / 3],
      ['fast', 0],
    ]);
    expect(countPicks(strategy, 500).has('fast')).toBe(false);
    strategy.observe('fast', probe(100), 2);
    expect(strategy.shares(2).get('fast')).toBe(3 / 6);
  });

  it('uses the latest probe by default and an EWMA with alpha < 1', () => {
    const latest = measured({ a: 100, b: 200 });
    latest.observe('a', probe(300), 1);
    expect(latest.shares(1).get('a')).toBe(1 / 3);

    const smoothed = new RankWeightedStrategy({ alpha: 0.25 });
    smoothed.setEndpoints(endpoints(['a', 'b']));
    smoothed.observe('a', probe(100), 0);
    smoothed.observe('b', probe(200), 0);
    smoothed.observe('a', probe(300), 1); // EWMA 0.25·300 + 0.75·100 = 150 < 200
    expect(smoothed.shares(1).get('a')).toBe(2 / 3);
  });

  it('ignores request samples (latencies of different requests are not comparable)', () => {
    const strategy = measured({ slow: 300, fast: 100 });
    strategy.observe('fast', { kind: 'request', ok: false, latencyMs: 9_000 }, 1);
    expect(strategy.shares(1).get('fast')).toBe(2 / 3);
  });

  it('multiplies the rank by the endpoint weight; weight 0 drains', () => {
    const strategy = new RankWeightedStrategy();
    strategy.setEndpoints(endpoints(['slow', 'fast', 'drained'], [3, 1, 0]));
    strategy.observe('slow', probe(300), 0);
    strategy.observe('fast', probe(100), 0);
    strategy.observe('drained', probe(1), 0);
    expect([...strategy.shares(0)]).toEqual([
      ['slow', 3 / 5],
      ['fast', 2 / 5],
      ['drained', 0],
    ]);
  });

  it('reports why nothing can be picked', () => {
    const strategy = new RankWeightedStrategy();
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'no-endpoints' });
    expect(strategy.shares(0).size).toBe(0);
    strategy.setEndpoints(endpoints(['a', 'b']));
    expect(pickExcluding(strategy, ['a', 'b'])).toEqual({ ok: false, reason: 'all-excluded' });
    strategy.observe('a', failedProbe, 0);
    strategy.observe('b', failedProbe, 0);
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'all-unavailable' });
    expect([...strategy.shares(0).values()]).toEqual([0, 0]);
  });

  it('rejects bad options and bad samples with exact codes', () => {
    expect(errorCode(() => new RankWeightedStrategy({ alpha: 0 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new RankWeightedStrategy({ alpha: 1.5 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new RankWeightedStrategy({ alpha: Number.NaN }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    const strategy = measured({ a: 100, b: 200 });
    expect(errorCode(() => strategy.observe('a', probe(Number.NaN), 1))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    expect(errorCode(() => strategy.observe('a', probe(-5), 1))).toBe('LB_RANKING_INVALID_SAMPLE');
    // Nothing was recorded: shares unchanged.
    expect(strategy.shares(1).get('a')).toBe(2 / 3);
  });
});
