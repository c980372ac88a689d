import { describe, expect, it } from 'vitest';
import { countPicks } from '../../test/pick-statistics.js';
import {
  endpoints,
  errorCode,
  failedProbe,
  pickExcluding,
  probe,
} from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import { LeastPendingP2cStrategy } from '../strategies/least-pending-p2c.js';
import { RandomStrategy } from '../strategies/random.js';
import { RankWeightedStrategy } from '../strategies/rank-weighted.js';
import type { Sample } from '../types.js';
import { withHealth } from './with-health.js';

const fail: Sample = { kind: 'request', ok: false, latencyMs: 1 };
const succeed: Sample = { kind: 'request', ok: true, latencyMs: 1 };

function healthy(ids: string[], rise = 2, fall = 2) {
  const inner = new RandomStrategy({ random: createSeededRandom(1) });
  const strategy = withHealth(inner, { rise, fall });
  strategy.setEndpoints(endpoints(ids));
  return strategy;
}

describe('withHealth', () => {
  it('starts endpoints up and takes one down after `fall` consecutive failures', () => {
    const strategy = healthy(['a', 'b']);
    expect(strategy.isUp('a')).toBe(true);
    strategy.observe('a', fail, 0);
    strategy.observe('a', succeed, 0); // resets the streak
    strategy.observe('a', fail, 0);
    expect(strategy.isUp('a')).toBe(true);
    strategy.observe('a', failedProbe, 0);
    expect(strategy.isUp('a')).toBe(false);
    expect([...strategy.shares(0)]).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(countPicks(strategy, 100).has('a')).toBe(false);
  });

  it('brings it back after `rise` consecutive successes', () => {
    const strategy = healthy(['a', 'b'], 3, 1);
    strategy.observe('a', fail, 0);
    expect(strategy.isUp('a')).toBe(false);
    strategy.observe('a', probe(10), 1);
    strategy.observe('a', probe(10), 2);
    strategy.observe('a', fail, 3);
    strategy.observe('a', probe(10), 4);
    strategy.observe('a', probe(10), 5);
    expect(strategy.isUp('a')).toBe(false);
    strategy.observe('a', succeed, 6);
    expect(strategy.isUp('a')).toBe(true);
    expect(strategy.shares(6).get('a')).toBe(0.5);
  });

  it('request outcomes reported through done() count, and reach the inner strategy', () => {
    const inner = new LeastPendingP2cStrategy();
    const strategy = withHealth(inner, { fall: 1 });
    strategy.setEndpoints(endpoints(['a']));
    const result = strategy.pick({ now: 0 });
    if (!result.ok) throw new Error(result.reason);
    expect(inner.pending('a')).toBe(1);
    result.done?.({ ok: false, latencyMs: 3, now: 1 });
    result.done?.({ ok: false, latencyMs: 3, now: 1 });
    expect(inner.pending('a')).toBe(0);
    expect(strategy.isUp('a')).toBe(false);
    expect(strategy.pick({ now: 1 })).toEqual({ ok: false, reason: 'all-unavailable' });
  });

  it('reports all-excluded only when the caller excluded everything', () => {
    const strategy = healthy(['a', 'b'], 1, 1);
    strategy.observe('a', fail, 0);
    expect(pickExcluding(strategy, ['b'])).toEqual({ ok: false, reason: 'all-unavailable' });
    expect(pickExcluding(strategy, ['a', 'b'])).toEqual({ ok: false, reason: 'all-excluded' });
    expect(withHealth(new RandomStrategy()).pick({ now: 0 })).toEqual({
      ok: false,
      reason: 'no-endpoints',
    });
  });

  it('keeps feeding the inner estimator while an endpoint is down', () => {
    const inner = new RankWeightedStrategy();
    const strategy = withHealth(inner, { fall: 1, rise: 1 });
    strategy.setEndpoints(endpoints(['a', 'b']));
    strategy.observe('a', probe(100), 0);
    strategy.observe('b', probe(200), 0);
    strategy.observe('a', fail, 1);
    strategy.observe('a', probe(300), 2); // success: up again, and a is now the slower one
    expect(strategy.shares(2).get('a')).toBe(1 / 3);
  });

  it('forgets health on remove; validates membership in the inner strategy first', () => {
    const strategy = healthy(['a', 'b'], 1, 1);
    strategy.observe('a', fail, 0);
    strategy.apply({ type: 'remove', id: 'a' });
    strategy.apply({ type: 'add', endpoint: { id: 'a', address: 'x', weight: 1 } });
    expect(strategy.isUp('a')).toBe(true);
    const before = strategy.endpoints;
    expect(errorCode(() => strategy.setEndpoints(endpoints(['c', 'c'])))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(strategy.endpoints).toBe(before);
    expect(strategy.isUp('zz')).toBeUndefined();
  });

  it('rejects bad rise/fall and bad samples', () => {
    expect(errorCode(() => withHealth(new RandomStrategy(), { rise: 0 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => withHealth(new RandomStrategy(), { fall: 1.5 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    const strategy = healthy(['a']);
    expect(
      errorCode(() =>
        strategy.observe('a', { kind: 'request', ok: false, latencyMs: Number.NaN }, 0),
      ),
    ).toBe('LB_RANKING_INVALID_SAMPLE');
    expect(strategy.isUp('a')).toBe(true);
  });

  it('keeps the inner name and snapshot', () => {
    const strategy = healthy(['a']);
    expect(strategy.name).toBe('random');
    expect(strategy.endpoints).toBe(strategy.inner.endpoints);
  });
});
