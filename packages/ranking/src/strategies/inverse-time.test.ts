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
import { type InverseTimeOptions, InverseTimeStrategy } from './inverse-time.js';

function measured(
  times: Record<string, number>,
  options: InverseTimeOptions = {},
  seed = 1,
): InverseTimeStrategy {
  return withProbes(new InverseTimeStrategy(options, { random: createSeededRandom(seed) }), times);
}

describe('InverseTimeStrategy', () => {
  it('a server twice as fast gets twice the share (throughput)', () => {
    const strategy = measured({ slow: 200, fast: 100 });
    const shares = strategy.shares(0);
    expect(shares.get('slow')).toBeCloseTo(1 / 3, 12);
    expect(shares.get('fast')).toBeCloseTo(2 / 3, 12);
  });

  it('picks converge to 1:2 (chi-square, 60,000 picks, fixed seed)', () => {
    const strategy = measured({ slow: 200, fast: 100 }, {}, 11);
    const counts = countPicks(strategy, 60_000);
    expect(chiSquare(counts, strategy.shares(0))).toBeLessThan(CHI_SQUARE_999[1]!);
  });

  it('metric inverse-total-ms uses 1 / transfer time', () => {
    const strategy = new InverseTimeStrategy({ metric: 'inverse-total-ms' });
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    // Same time, very different throughput: inverse-total-ms ignores the bytes.
    strategy.observe('a', probe(100, 1), 0);
    strategy.observe('b', probe(100, 1_000_000), 0);
    strategy.observe('c', probe(50, 1), 0);
    expect([...strategy.shares(0)]).toEqual([
      ['a', 0.25],
      ['b', 0.25],
      ['c', 0.5],
    ]);
  });

  it('counts unmeasured endpoints as fast as the slowest measured one', () => {
    const strategy = new InverseTimeStrategy();
    strategy.setEndpoints(endpoints(['a', 'new', 'b']));
    expect(strategy.shares(0).get('new')).toBe(1 / 3);
    strategy.observe('a', probe(100), 0);
    strategy.observe('b', probe(400), 0);
    const shares = strategy.shares(0);
    expect(shares.get('new')).toBeCloseTo(shares.get('b')!, 12);
    expect(shares.get('a')).toBeCloseTo(4 * shares.get('b')!, 12);
  });

  it('a failed probe makes the endpoint unavailable until a good probe', () => {
    const strategy = measured({ a: 100, b: 100 });
    strategy.observe('a', failedProbe, 1);
    expect([...strategy.shares(1)]).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    strategy.observe('b', failedProbe, 1);
    expect(strategy.pick({ now: 1 })).toEqual({ ok: false, reason: 'all-unavailable' });
    strategy.observe('a', probe(100), 2);
    const result = strategy.pick({ now: 2 });
    expect(result.ok && result.endpoint.id).toBe('a');
  });

  it('zero measured throughput gets no share, unless every candidate measures zero', () => {
    const strategy = new InverseTimeStrategy();
    strategy.setEndpoints(endpoints(['a', 'b']));
    strategy.observe('a', probe(100, 0), 0);
    strategy.observe('b', probe(100), 0);
    expect([...strategy.shares(0)]).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    const onlyZero = pickExcluding(strategy, ['b']);
    expect(onlyZero.ok && onlyZero.endpoint.id).toBe('a');
  });

  it('with exclude, picks are proportional among the rest, measured or not (chi-square)', () => {
    const measured = new InverseTimeStrategy({}, { random: createSeededRandom(31) });
    measured.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
    ['a', 'b', 'c', 'd'].forEach((id, i) => {
      measured.observe(id, probe(100 * (i + 1)), 0);
    });
    // Speeds 1, 1/2, 1/3, 1/4: without b, shares are 6:2:1.5 of 9.5.
    const rest = new Map([
      ['a', 6 / 9.5],
      ['c', 2 / 9.5],
      ['d', 1.5 / 9.5],
    ]);
    const counts = countPicks(measured, 30_000, { now: 0, exclude: new Set(['b']) });
    expect(counts.has('b')).toBe(false);
    expect(chiSquare(counts, rest)).toBeLessThan(CHI_SQUARE_999[2]!);
    // Unmeasured d borrows the slowest speed among the candidates: c's 1/3 once b is excluded.
    const unmeasured = new InverseTimeStrategy({}, { random: createSeededRandom(32) });
    unmeasured.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
    ['a', 'b', 'c'].forEach((id, i) => {
      unmeasured.observe(id, probe(100 * (i + 1)), 0);
    });
    const withoutA = countPicks(unmeasured, 30_000, { now: 0, exclude: new Set(['a']) });
    const expected = new Map([
      ['b', 3 / 7],
      ['c', 2 / 7],
      ['d', 2 / 7],
    ]);
    expect(chiSquare(withoutA, expected)).toBeLessThan(CHI_SQUARE_999[2]!);
  });

  it('a probe invalidates the cached weights; request samples do not touch them', () => {
    const strategy = new InverseTimeStrategy({}, { random: createSeededRandom(33) });
    strategy.setEndpoints(endpoints(['a', 'b']));
    strategy.observe('a', probe(100), 0);
    strategy.observe('b', probe(100), 0);
    expect(countPicks(strategy, 1_000).size).toBe(2);
    strategy.observe('b', probe(100, 0), 1);
    strategy.observe('b', { kind: 'request', ok: true, latencyMs: 1 }, 1);
    expect(countPicks(strategy, 1_000, { now: 1 })).toEqual(new Map([['a', 1_000]]));
  });

  it('multiplies by the endpoint weight', () => {
    const strategy = new InverseTimeStrategy();
    strategy.setEndpoints(endpoints(['a', 'b'], [3, 1]));
    strategy.observe('a', probe(100), 0);
    strategy.observe('b', probe(100), 0);
    expect(strategy.shares(0).get('a')).toBeCloseTo(0.75, 12);
  });

  it('reports no-endpoints and all-excluded', () => {
    const strategy = new InverseTimeStrategy();
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'no-endpoints' });
    strategy.setEndpoints(endpoints(['a']));
    expect(pickExcluding(strategy, ['a'])).toEqual({ ok: false, reason: 'all-excluded' });
  });

  it('rejects bad options', () => {
    expect(errorCode(() => new InverseTimeStrategy({ metric: 'fastest' as 'bytes-per-sec' }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => new InverseTimeStrategy({ alpha: -1 }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
  });
});
