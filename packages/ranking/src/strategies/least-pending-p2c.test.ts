import { describe, expect, it } from 'vitest';
import { endpoints, errorCode, pickExcluding } from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import type { Outcome } from '../types.js';
import { LeastPendingP2cStrategy } from './least-pending-p2c.js';

const OUTCOME: Outcome = { ok: true, latencyMs: 5, now: 1 };

function pickDone(strategy: LeastPendingP2cStrategy): { id: string; done: (o: Outcome) => void } {
  const result = strategy.pick({ now: 0 });
  if (!result.ok || !result.done) throw new Error('expected a pick with done');
  return { id: result.endpoint.id, done: result.done };
}

describe('LeastPendingP2cStrategy', () => {
  it('with two endpoints always sends to the less loaded one', () => {
    const strategy = new LeastPendingP2cStrategy({}, { random: createSeededRandom(1) });
    strategy.setEndpoints(endpoints(['a', 'b']));
    for (let i = 0; i < 10; i++) pickDone(strategy);
    expect([strategy.pending('a'), strategy.pending('b')]).toEqual([5, 5]);
  });

  it('spreads in-flight requests evenly across many endpoints', () => {
    const strategy = new LeastPendingP2cStrategy({}, { random: createSeededRandom(2) });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    strategy.setEndpoints(endpoints(ids));
    for (let i = 0; i < 800; i++) pickDone(strategy);
    const pending = ids.map((id) => strategy.pending(id));
    expect(pending.reduce((a, b) => a + b)).toBe(800);
    // P2C keeps the spread tiny (a random pick would have a spread of dozens).
    expect(Math.max(...pending) - Math.min(...pending)).toBeLessThanOrEqual(3);
  });

  it('done() releases the request exactly once', () => {
    const strategy = new LeastPendingP2cStrategy();
    strategy.setEndpoints(endpoints(['a']));
    const first = pickDone(strategy);
    pickDone(strategy);
    expect(strategy.pending('a')).toBe(2);
    first.done(OUTCOME);
    first.done(OUTCOME);
    expect(strategy.pending('a')).toBe(1);
  });

  it('a loaded endpoint is avoided until its requests finish', () => {
    const strategy = new LeastPendingP2cStrategy({}, { random: createSeededRandom(3) });
    strategy.setEndpoints(endpoints(['a', 'b']));
    const held = [pickDone(strategy), pickDone(strategy), pickDone(strategy)];
    // a, b, then the one with fewer pending: 2:1 split in some order.
    const loaded = strategy.pending('a') > strategy.pending('b') ? 'a' : 'b';
    expect(pickDone(strategy).id).not.toBe(loaded);
    for (const pick of held) pick.done(OUTCOME);
  });

  it('shares are the exact P2C probabilities for the current load', () => {
    const strategy = new LeastPendingP2cStrategy({}, { random: createSeededRandom(4) });
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect([...strategy.shares(0).values()]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // Load a with two requests by excluding the others.
    pickExcluding(strategy, ['b', 'c']);
    pickExcluding(strategy, ['b', 'c']);
    expect([...strategy.shares(0)]).toEqual([
      ['a', 0],
      ['b', 0.5],
      ['c', 0.5],
    ]);
  });

  it('divides the cost by weight', () => {
    const strategy = new LeastPendingP2cStrategy();
    strategy.setEndpoints(endpoints(['heavy', 'light'], [3, 1]));
    for (let i = 0; i < 8; i++) pickDone(strategy);
    // (pending + 1) / weight stays balanced at 6:2.
    expect([strategy.pending('heavy'), strategy.pending('light')]).toEqual([6, 2]);
  });

  it('a bad outcome is rejected and the request stays pending until a valid done', () => {
    const strategy = new LeastPendingP2cStrategy();
    strategy.setEndpoints(endpoints(['a']));
    const pick = pickDone(strategy);
    expect(errorCode(() => pick.done({ ok: true, latencyMs: Number.NaN, now: 1 }))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    expect(strategy.pending('a')).toBe(1);
    pick.done(OUTCOME);
    expect(strategy.pending('a')).toBe(0);
  });

  it('done() after the endpoint was removed is harmless', () => {
    const strategy = new LeastPendingP2cStrategy();
    strategy.setEndpoints(endpoints(['a', 'b']));
    const pick = pickDone(strategy);
    strategy.apply({ type: 'remove', id: pick.id });
    expect(() => pick.done(OUTCOME)).not.toThrow();
    expect(strategy.pending(pick.id)).toBe(0);
  });

  it('a failure counts as one more request in flight for failurePenaltyMs', () => {
    const strategy = new LeastPendingP2cStrategy({ failurePenaltyMs: 1_000 });
    strategy.setEndpoints(endpoints(['a', 'b']));
    const pick = pickExcluding(strategy, ['b']);
    if (!pick.ok) throw new Error(pick.reason);
    pick.done?.({ ok: false, latencyMs: 1, now: 1 });
    expect(strategy.pending('a')).toBe(0);
    expect([strategy.cost('a', 1), strategy.cost('a', 1_001), strategy.cost('a', 1_002)]).toEqual([
      2, 2, 1,
    ]);
    // Failed probes and failed request samples count too; three failures fade one per half-life.
    strategy.observe('b', { kind: 'probe', ok: false }, 0);
    strategy.observe('b', { kind: 'request', ok: false, latencyMs: 3 }, 0);
    strategy.observe('b', { kind: 'request', ok: true, latencyMs: 3 }, 0);
    expect(strategy.cost('b', 0)).toBe(3);
    expect([...strategy.shares(0)]).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
  });

  it('a fail-fast endpoint no longer looks least loaded (failurePenaltyMs 0 restores blindness)', () => {
    const run = (failurePenaltyMs: number) => {
      const strategy = new LeastPendingP2cStrategy(
        { failurePenaltyMs },
        { random: createSeededRandom(5) },
      );
      strategy.setEndpoints(endpoints(['dead', 'b', 'c', 'd']));
      const counts = new Map<string, number>();
      const held: Array<(o: Outcome) => void> = [];
      // One request every ms; healthy endpoints answer in 20 ms, the dead one fails at once.
      for (let now = 0; now < 10_000; now++) {
        while (held.length > 0 && held.length >= 20)
          held.shift()!({ ok: true, latencyMs: 20, now });
        const result = strategy.pick({ now });
        if (!result.ok || !result.done) throw new Error('expected a pick with done');
        const id = result.endpoint.id;
        counts.set(id, (counts.get(id) ?? 0) + 1);
        if (id === 'dead') result.done({ ok: false, latencyMs: 0, now });
        else held.push(result.done);
      }
      return (counts.get('dead') ?? 0) / 10_000;
    };
    expect(run(0)).toBeGreaterThan(0.4);
    expect(run(1_000)).toBeLessThan(0.01);
  });

  it('choices = d compares d sampled endpoints', () => {
    const strategy = new LeastPendingP2cStrategy({ choices: 4 }, { random: createSeededRandom(6) });
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    strategy.setEndpoints(endpoints(ids));
    for (let i = 0; i < 800; i++) pickDone(strategy);
    const pending = ids.map((id) => strategy.pending(id));
    expect(Math.max(...pending) - Math.min(...pending)).toBeLessThanOrEqual(1);
    expect(errorCode(() => new LeastPendingP2cStrategy({ choices: 1 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new LeastPendingP2cStrategy({ failurePenaltyMs: -1 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
  });

  it('reports no-endpoints, all-excluded and all-unavailable', () => {
    const strategy = new LeastPendingP2cStrategy();
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'no-endpoints' });
    strategy.setEndpoints(endpoints(['a', 'b'], [1, 0]));
    expect(pickExcluding(strategy, ['a', 'b'])).toEqual({ ok: false, reason: 'all-excluded' });
    expect(pickExcluding(strategy, ['a'])).toEqual({ ok: false, reason: 'all-unavailable' });
  });
});
