import { describe, expect, it } from 'vitest';
import { endpoints, pickExcluding } from '../../test/strategy-helpers.js';
import type { PickContext, Strategy } from '../types.js';
import { RoundRobinStrategy } from './round-robin.js';

function sequence(strategy: Strategy, count: number, ctx: PickContext = { now: 0 }): string[] {
  return Array.from({ length: count }, () => {
    const result = strategy.pick(ctx);
    if (!result.ok) throw new Error(result.reason);
    return result.endpoint.id;
  });
}

describe('RoundRobinStrategy', () => {
  it('visits every endpoint in turn', () => {
    const strategy = new RoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect(sequence(strategy, 7)).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('is fair: equal counts, equal shares, weights ignored except 0', () => {
    const strategy = new RoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd'], [5, 1, 1, 0]));
    const counts = new Map<string, number>();
    for (const id of sequence(strategy, 300)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(Object.fromEntries(counts)).toEqual({ a: 100, b: 100, c: 100 });
    expect([...strategy.shares(0)]).toEqual([
      ['a', 1 / 3],
      ['b', 1 / 3],
      ['c', 1 / 3],
      ['d', 0],
    ]);
  });

  it('respects exclude and continues the rotation after it', () => {
    const strategy = new RoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect(sequence(strategy, 4, { now: 0, exclude: new Set(['b']) })).toEqual([
      'a',
      'c',
      'a',
      'c',
    ]);
    expect(sequence(strategy, 3)).toEqual(['a', 'b', 'c']);
    expect(pickExcluding(strategy, ['a', 'b', 'c'])).toEqual({ ok: false, reason: 'all-excluded' });
  });

  it('keeps going across membership changes', () => {
    const strategy = new RoundRobinStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect(sequence(strategy, 2)).toEqual(['a', 'b']);
    strategy.apply({ type: 'remove', id: 'c' });
    expect(sequence(strategy, 2)).toEqual(['a', 'b']);
    strategy.apply({ type: 'add', endpoint: { id: 'd', address: 'x', weight: 1 } });
    expect(sequence(strategy, 3)).toEqual(['a', 'b', 'd']);
  });

  it('reports no-endpoints and all-unavailable', () => {
    const strategy = new RoundRobinStrategy();
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'no-endpoints' });
    strategy.setEndpoints(endpoints(['a'], [0]));
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'all-unavailable' });
  });
});
