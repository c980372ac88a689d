import { describe, expect, it } from 'vitest';
import { endpoints, errorCode, failedProbe, probe } from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import { P2cPeakEwmaStrategy, UNMEASURED_PENALTY_MS } from './p2c-peak-ewma.js';

describe('P2cPeakEwmaStrategy', () => {
  it('sends less traffic to a slow endpoint (closed loop, fixed seed)', () => {
    const strategy = new P2cPeakEwmaStrategy({}, { random: createSeededRandom(8) });
    strategy.setEndpoints(endpoints(['a', 'b', 'slow']));
    const latency: Record<string, number> = { a: 10, b: 12, slow: 100 };
    const counts: Record<string, number> = { a: 0, b: 0, slow: 0 };
    let now = 0;
    for (let i = 0; i < 3_000; i++) {
      now += 10;
      const result = strategy.pick({ now });
      if (!result.ok) throw new Error(result.reason);
      const id = result.endpoint.id;
      counts[id]!++;
      result.done?.({ ok: true, latencyMs: latency[id]!, now: now + latency[id]! });
    }
    expect(counts['slow']!).toBeLessThan(counts['a']! / 10);
    expect(counts['slow']!).toBeLessThan(counts['b']! / 10);
    expect(strategy.cost('slow', now)!).toBeGreaterThan(strategy.cost('a', now)!);
  });

  it('a latency peak raises the cost at once and the endpoint loses its share', () => {
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    for (const id of ['a', 'b', 'c']) strategy.observe(id, probe(100), 0);
    expect([...strategy.shares(0).values()]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    strategy.observe('c', { kind: 'request', ok: true, latencyMs: 900 }, 0);
    expect(strategy.cost('c', 0)).toBe(900);
    expect([...strategy.shares(0)]).toEqual([
      ['a', 0.5],
      ['b', 0.5],
      ['c', 0],
    ]);
  });

  it('cost = estimate × (pending + 1) / weight; done() releases and records latency', () => {
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['a'], [2]));
    strategy.observe('a', probe(100), 0);
    expect(strategy.cost('a', 0)).toBe(50);
    const first = strategy.pick({ now: 0 });
    const second = strategy.pick({ now: 0 });
    expect(strategy.pending('a')).toBe(2);
    expect(strategy.cost('a', 0)).toBe(150);
    if (!first.ok || !second.ok) throw new Error('expected picks');
    first.done?.({ ok: true, latencyMs: 400, now: 0 });
    first.done?.({ ok: true, latencyMs: 400, now: 0 });
    expect(strategy.pending('a')).toBe(1);
    // 400 > 100: a peak, so the estimate is 400 now.
    expect(strategy.cost('a', 0)).toBe((400 * 2) / 2);
  });

  it('decays the estimate with tau while no samples arrive', () => {
    const strategy = new P2cPeakEwmaStrategy({ tauMs: 1_000 });
    strategy.setEndpoints(endpoints(['a']));
    strategy.observe('a', probe(200), 0);
    expect(strategy.cost('a', 1_000)).toBeCloseTo(200 * Math.exp(-1), 12);
  });

  it('failures count as at least failurePenaltyMs', () => {
    const strategy = new P2cPeakEwmaStrategy({ failurePenaltyMs: 2_000 });
    strategy.setEndpoints(endpoints(['probe', 'fastFail', 'outcome']));
    strategy.observe('probe', failedProbe, 0);
    strategy.observe('fastFail', { kind: 'request', ok: false, latencyMs: 1 }, 0);
    expect(strategy.cost('probe', 0)).toBe(2_000);
    expect(strategy.cost('fastFail', 0)).toBe(2_000);
    const result = strategy.pick({ now: 0, exclude: new Set(['probe', 'fastFail']) });
    if (!result.ok) throw new Error(result.reason);
    result.done?.({ ok: false, latencyMs: 3_000, now: 0 });
    expect(strategy.cost('outcome', 0)).toBe(3_000);
  });

  it('unmeasured endpoints: cost 0 while idle, a penalty once a request is in flight', () => {
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['old', 'new']));
    strategy.observe('old', probe(50), 0);
    expect(strategy.cost('new', 0)).toBe(0);
    const first = strategy.pick({ now: 0 });
    expect(first.ok && first.endpoint.id).toBe('new');
    expect(strategy.cost('new', 0)).toBe(UNMEASURED_PENALTY_MS + 1);
    const second = strategy.pick({ now: 0 });
    expect(second.ok && second.endpoint.id).toBe('old');
    if (first.ok) first.done?.({ ok: true, latencyMs: 20, now: 1 });
    expect(strategy.cost('new', 1)).toBe(20);
  });

  it('keeps the estimator across update and forgets it on remove', () => {
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['a']));
    strategy.observe('a', probe(70), 0);
    strategy.apply({ type: 'update', endpoint: { id: 'a', address: 'moved', weight: 1 } });
    expect(strategy.cost('a', 0)).toBe(70);
    strategy.setEndpoints([]);
    strategy.setEndpoints(endpoints(['a']));
    expect(strategy.cost('a', 0)).toBe(0);
    expect(strategy.cost('unknown', 0)).toBeUndefined();
  });

  it('reports no-endpoints, all-excluded and all-unavailable', () => {
    const strategy = new P2cPeakEwmaStrategy();
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'no-endpoints' });
    strategy.setEndpoints(endpoints(['a', 'b'], [0, 1]));
    expect(strategy.pick({ now: 0, exclude: new Set(['b']) })).toEqual({
      ok: false,
      reason: 'all-unavailable',
    });
    expect(strategy.pick({ now: 0, exclude: new Set(['a', 'b']) })).toEqual({
      ok: false,
      reason: 'all-excluded',
    });
  });

  it('rejects bad options, samples and outcomes with exact codes', () => {
    expect(errorCode(() => new P2cPeakEwmaStrategy({ tauMs: 0 }))).toBe('LBR_INVALID_OPTION');
    expect(errorCode(() => new P2cPeakEwmaStrategy({ tauMs: Number.NaN }))).toBe(
      'LBR_INVALID_OPTION',
    );
    expect(errorCode(() => new P2cPeakEwmaStrategy({ failurePenaltyMs: -1 }))).toBe(
      'LBR_INVALID_OPTION',
    );
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['a']));
    expect(
      errorCode(() => strategy.observe('a', { kind: 'request', ok: true, latencyMs: -1 }, 0)),
    ).toBe('LBR_INVALID_SAMPLE');
    expect(errorCode(() => strategy.observe('a', probe(10), Number.NaN))).toBe(
      'LBR_INVALID_SAMPLE',
    );
    const result = strategy.pick({ now: 0 });
    if (!result.ok) throw new Error(result.reason);
    expect(errorCode(() => result.done?.({ ok: true, latencyMs: 5, now: Number.NaN }))).toBe(
      'LBR_INVALID_SAMPLE',
    );
    expect(strategy.pending('a')).toBe(1);
    expect(strategy.cost('a', 0)).toBe(UNMEASURED_PENALTY_MS + 1);
  });
});
