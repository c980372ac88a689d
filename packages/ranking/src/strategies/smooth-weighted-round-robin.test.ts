import { describe, expect, it } from 'vitest';
import { endpoints, pickExcluding } from '../../test/strategy-helpers.js';
import type { PickContext, Strategy } from '../types.js';
import { SmoothWeightedRoundRobinStrategy } from './smooth-weighted-round-robin.js';

function sequence(strategy: Strategy, count: number, ctx: PickContext = { now: 0 }): string {
  return Array.from({ length: count }, () => {
    const result = strategy.pick(ctx);
    if (!result.ok) throw new Error(result.reason);
    return result.endpoint.id;
  }).join(' ');
}

describe('SmoothWeightedRoundRobinStrategy', () => {
  it("reproduces nginx's published sequence for weights 5, 1, 1", () => {
    const strategy = new SmoothWeightedRoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [5, 1, 1]));
    expect(sequence(strategy, 7)).toBe('a a b a c a a');
    // The cycle repeats: all `current` values are back to 0.
    expect(sequence(strategy, 7)).toBe('a a b a c a a');
  });

  it('shares are proportional to weight; weight 0 drains', () => {
    const strategy = new SmoothWeightedRoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [3, 1, 0]));
    expect([...strategy.shares(0)]).toEqual([
      ['a', 0.75],
      ['b', 0.25],
      ['c', 0],
    ]);
    expect(sequence(strategy, 4)).toBe('a a b a');
  });

  it('equal weights degrade to plain round robin', () => {
    const strategy = new SmoothWeightedRoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect(sequence(strategy, 6)).toBe('a b c a b c');
  });

  it('excluded endpoints sit out the round', () => {
    const strategy = new SmoothWeightedRoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [5, 1, 1]));
    expect(sequence(strategy, 6, { now: 0, exclude: new Set(['a']) })).toBe('b c b c b c');
    expect(pickExcluding(strategy, ['a', 'b', 'c'])).toEqual({ ok: false, reason: 'all-excluded' });
  });

  it('a weight update takes effect and keeps the accumulated state', () => {
    const strategy = new SmoothWeightedRoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b']));
    expect(sequence(strategy, 2)).toBe('a b');
    strategy.apply({ type: 'update', endpoint: { id: 'b', address: 'x', weight: 3 } });
    expect(sequence(strategy, 4)).toBe('b a b b');
    expect(strategy.shares(0).get('b')).toBe(0.75);
  });

  it('reports no-endpoints', () => {
    expect(new SmoothWeightedRoundRobinStrategy().pick({ now: 0 })).toEqual({
      ok: false,
      reason: 'no-endpoints',
    });
  });
});
