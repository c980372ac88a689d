import { describe, expect, it } from 'vitest';
import {
  endpoints,
  errorCode,
  failedProbe,
  pickExcluding,
  probe,
} from '../../test/strategy-helpers.js';
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
    const result = pickExcluding(strategy, ['probe', 'fastFail']);
    if (!result.ok) throw new Error(result.reason);
    result.done?.({ ok: false, latencyMs: 3_000, now: 0 });
    expect(strategy.cost('outcome', 0)).toBe(3_000);
  });

  it('a failure never enters the latency estimate: its penalty fades with failureDecayMs', () => {
    const strategy = new P2cPeakEwmaStrategy({ failurePenaltyMs: 5_000, failureDecayMs: 1_000 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    for (const id of ['a', 'b', 'c']) strategy.observe(id, probe(10), 0);
    strategy.observe('c', failedProbe, 0);
    expect(strategy.cost('c', 0)).toBe(5_000);
    // Penalty 5000·e^(−t/1000) against c's own 10 ms estimate decaying with τ = 10 s.
    expect(strategy.cost('c', 3_000)).toBeCloseTo(5_000 * Math.exp(-3), 9);
    expect(strategy.cost('c', 10_000)).toBeCloseTo(10 * Math.exp(-1), 9);
    // So the endpoint nobody sends to is back in the running within seconds, not a minute:
    // the old rule (the 5 s penalty as a latency peak decaying with τ = 10 s) kept it out ~55 s.
    expect(strategy.shares(6_000).get('c')).toBe(0);
    expect(strategy.shares(7_000).get('c')).toBeGreaterThan(0);
  });

  it('a success sent after the failure clears the penalty; one sent before does not', () => {
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['a', 'b']));
    strategy.observe('a', probe(20), 0);
    const inFlight = strategy.pick({ now: 900, exclude: new Set(['b']) });
    if (!inFlight.ok) throw new Error(inFlight.reason);
    strategy.observe('a', { kind: 'request', ok: false, latencyMs: 2 }, 1_000);
    expect(strategy.cost('a', 1_000)).toBe(5_000 * 2);
    // Sent at 900, before the failure came back: the penalty stays.
    inFlight.done?.({ ok: true, latencyMs: 150, now: 1_050 });
    expect(strategy.cost('a', 1_050)).toBeCloseTo(5_000 * Math.exp(-50 / 1_000), 9);
    // A probe sent at 1100 succeeds: the endpoint has answered since it failed.
    strategy.observe('a', probe(30), 1_130);
    const w = Math.exp(-80 / 10_000);
    // No penalty left: the cost is the latency estimate (the 150 ms peak blended with the probe).
    expect(strategy.cost('a', 1_130)).toBeCloseTo(150 * w + 30 * (1 - w), 9);
  });

  it('choices = d compares d sampled endpoints (d ≥ n: all of them)', () => {
    const strategy = new P2cPeakEwmaStrategy({ choices: 3 }, { random: createSeededRandom(9) });
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
    ['a', 'b', 'c', 'd'].forEach((id, i) => {
      strategy.observe(id, probe(10 * (i + 1)), 0);
    });
    // Of the 4 subsets of 3, a wins the 3 holding it and b the last one.
    expect([...strategy.shares(0).values()]).toEqual([0.75, 0.25, 0, 0]);
    const all = new P2cPeakEwmaStrategy({ choices: 8 });
    all.setEndpoints(endpoints(['a', 'b', 'c']));
    ['a', 'b', 'c'].forEach((id, i) => {
      all.observe(id, probe(30 - 10 * i), 0);
    });
    expect([...all.shares(0).values()]).toEqual([0, 0, 1]);
    const picked = all.pick({ now: 0 });
    expect(picked.ok && picked.endpoint.id).toBe('c');
    for (const choices of [1, 2.5, 33]) {
      expect(errorCode(() => new P2cPeakEwmaStrategy({ choices }))).toBe(
        'LB_RANKING_INVALID_OPTION',
      );
    }
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
    expect(pickExcluding(strategy, ['b'])).toEqual({ ok: false, reason: 'all-unavailable' });
    expect(pickExcluding(strategy, ['a', 'b'])).toEqual({ ok: false, reason: 'all-excluded' });
  });

  it('rejects bad options, samples and outcomes with exact codes', () => {
    expect(errorCode(() => new P2cPeakEwmaStrategy({ tauMs: 0 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new P2cPeakEwmaStrategy({ tauMs: Number.NaN }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new P2cPeakEwmaStrategy({ failurePenaltyMs: -1 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new P2cPeakEwmaStrategy({ failureDecayMs: 0 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    const strategy = new P2cPeakEwmaStrategy();
    strategy.setEndpoints(endpoints(['a']));
    expect(
      errorCode(() => strategy.observe('a', { kind: 'request', ok: true, latencyMs: -1 }, 0)),
    ).toBe('LB_RANKING_INVALID_SAMPLE');
    expect(errorCode(() => strategy.observe('a', probe(10), Number.NaN))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    const result = strategy.pick({ now: 0 });
    if (!result.ok) throw new Error(result.reason);
    expect(errorCode(() => result.done?.({ ok: true, latencyMs: 5, now: Number.NaN }))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    expect(strategy.pending('a')).toBe(1);
    expect(strategy.cost('a', 0)).toBe(UNMEASURED_PENALTY_MS + 1);
  });
});
