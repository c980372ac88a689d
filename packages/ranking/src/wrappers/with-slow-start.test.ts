import { describe, expect, it } from 'vitest';
import { CHI_SQUARE_999, chiSquare, countPicks } from '../../test/pick-statistics.js';
import { endpoints, errorCode, pickExcluding } from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import { RandomStrategy } from '../strategies/random.js';
import { SmoothWeightedRoundRobinStrategy } from '../strategies/smooth-weighted-round-robin.js';
import { withSlowStart } from './with-slow-start.js';

function ramped(seed = 1) {
  const strategy = withSlowStart(
    new RandomStrategy({ random: createSeededRandom(seed) }),
    { windowMs: 1_000 },
    { random: createSeededRandom(seed + 100) },
  );
  strategy.setEndpoints(endpoints(['a', 'b']));
  return strategy;
}

describe('withSlowStart', () => {
  it('does not ramp the initial membership', () => {
    const strategy = ramped();
    expect(strategy.rampFactor('a', 0)).toBe(1);
    expect([...strategy.shares(0).values()]).toEqual([0.5, 0.5]);
  });

  it("ramps an added endpoint's share linearly from the first clock reading", () => {
    const strategy = ramped();
    strategy.apply({ type: 'add', endpoint: { id: 'new', address: 'x', weight: 1 } });
    expect(strategy.shares(5_000).get('new')).toBe(0);
    expect(strategy.rampFactor('new', 5_250)).toBe(0.25);
    expect(strategy.shares(5_500).get('new')).toBeCloseTo(1 / 6, 12);
    expect(strategy.shares(5_500).get('a')).toBeCloseTo(5 / 12, 12);
    expect(strategy.shares(6_000).get('new')).toBeCloseTo(1 / 3, 12);
    expect(strategy.rampFactor('new', 7_000)).toBe(1);
  });

  it('picks follow the ramped shares (chi-square, 60,000 picks, fixed seed)', () => {
    const strategy = ramped(4);
    strategy.apply({ type: 'add', endpoint: { id: 'new', address: 'x', weight: 1 } });
    strategy.shares(0);
    const counts = countPicks(strategy, 60_000, { now: 500 });
    expect(chiSquare(counts, strategy.shares(500))).toBeLessThan(CHI_SQUARE_999[2]!);
  });

  it('at factor 0 the new endpoint is only used when nothing else can be', () => {
    const strategy = ramped();
    strategy.apply({ type: 'add', endpoint: { id: 'new', address: 'x', weight: 1 } });
    expect(countPicks(strategy, 500, { now: 0 }).has('new')).toBe(false);
    const only = pickExcluding(strategy, ['a', 'b']);
    expect(only.ok && only.endpoint.id).toBe('new');
    expect(pickExcluding(strategy, ['a', 'b', 'new'])).toEqual({
      ok: false,
      reason: 'all-excluded',
    });
  });

  it('works with weight-aware strategies too and keeps the inner name', () => {
    const strategy = withSlowStart(new SmoothWeightedRoundRobinStrategy(), { windowMs: 100 });
    strategy.setEndpoints(endpoints(['a', 'b'], [1, 3]));
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [1, 3, 4]));
    expect(strategy.name).toBe('smooth-weighted-round-robin');
    expect(strategy.shares(0).get('c')).toBe(0);
    expect(strategy.shares(100).get('c')).toBe(0.5);
  });

  it('an update keeps the ramp; remove and re-add starts it again', () => {
    const strategy = ramped();
    strategy.apply({ type: 'add', endpoint: { id: 'new', address: 'x', weight: 1 } });
    strategy.shares(0);
    strategy.apply({ type: 'update', endpoint: { id: 'new', address: 'y', weight: 1 } });
    expect(strategy.rampFactor('new', 500)).toBe(0.5);
    strategy.apply({ type: 'remove', id: 'new' });
    strategy.apply({ type: 'add', endpoint: { id: 'new', address: 'y', weight: 1 } });
    expect(strategy.rampFactor('new', 500)).toBe(0);
  });

  it('rejects a missing or non-positive window', () => {
    for (const windowMs of [0, -1, Number.NaN, undefined]) {
      expect(
        errorCode(() => withSlowStart(new RandomStrategy(), { windowMs } as { windowMs: number })),
      ).toBe('LB_RANKING_INVALID_OPTION');
    }
  });
});
