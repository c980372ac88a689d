import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpoints, errorCode } from '../../test/strategy-helpers.js';
import { createSeededRandom } from '../seeded-random.js';
import type { Outcome, PickResult, RandomSource } from '../types.js';
import { ConsistentHashStrategy } from './consistent-hash.js';

const OUTCOME: Outcome = { ok: true, latencyMs: 1, now: 0 };
const keys = Array.from({ length: 2000 }, (_, i) => `/mirror/pool/${i}.deb`);

function owner(strategy: ConsistentHashStrategy, hashKey: string, exclude?: ReadonlySet<string>) {
  const result = strategy.pick({ now: 0, hashKey, exclude });
  if (!result.ok) throw new Error(result.reason);
  return result.endpoint.id;
}

/** Seeded Zipf(s) ranks in [0, n): inverse CDF over precomputed cumulative weights. */
function createZipfSampler(n: number, s: number, random: RandomSource): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / (rank + 1) ** s;
    cumulative[rank] = total;
  }
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

describe('ConsistentHashStrategy options', () => {
  it.each([
    [{ vnodes: 0 }, 'vnodes'],
    [{ vnodes: 1.5 }, 'vnodes'],
    [{ vnodes: 100_001 }, 'vnodes'],
    [{ loadFactor: -0.1 }, 'loadFactor'],
    [{ loadFactor: Number.NaN }, 'loadFactor'],
    [{ hash: 'crc32' as never }, 'hash'],
  ])('rejects %j with LB_RANKING_INVALID_OPTION', (options, option) => {
    let thrown: unknown;
    try {
      new ConsistentHashStrategy(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'LB_RANKING_INVALID_OPTION', option });
  });
});

describe('ConsistentHashStrategy ring', () => {
  it('shares are the arcs each endpoint owns; more vnodes, closer to equal', () => {
    const spread = (vnodes: number) => {
      const strategy = new ConsistentHashStrategy({ vnodes });
      strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
      const shares = [...strategy.shares(0).values()];
      return Math.max(...shares) - Math.min(...shares);
    };
    expect(spread(1000)).toBeLessThan(spread(10));
    expect(spread(1000)).toBeLessThan(0.05);
  });

  it('weight scales the number of points, and so the share', () => {
    const strategy = new ConsistentHashStrategy({ vnodes: 1000 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [1, 1, 2]));
    const shares = strategy.shares(0);
    expect(shares.get('c')).toBeGreaterThan(0.45);
    expect(shares.get('c')).toBeLessThan(0.55);
    // A weight change moves keys only to or from the changed endpoint.
    const before = keys.map((key) => owner(strategy, key));
    strategy.apply({ type: 'update', endpoint: endpoints(['c'], [3])[0]! });
    keys.forEach((key, i) => {
      const after = owner(strategy, key);
      if (after !== before[i]) expect(after).toBe('c');
    });
  });

  it('gives a tiny weight at least one point', () => {
    const strategy = new ConsistentHashStrategy({ vnodes: 10 });
    strategy.setEndpoints(endpoints(['a', 'b'], [1, 0.001]));
    expect(strategy.shares(0).get('b')).toBeGreaterThan(0);
  });

  it('does not depend on the order endpoints were given in', () => {
    const forward = new ConsistentHashStrategy();
    forward.setEndpoints(endpoints(['a', 'b', 'c']));
    const backward = new ConsistentHashStrategy();
    backward.setEndpoints(endpoints(['c', 'b', 'a']));
    expect(keys.map((key) => owner(backward, key))).toEqual(keys.map((key) => owner(forward, key)));
  });

  it('exclude walks clockwise to the next endpoint: the same as removing the excluded one', () => {
    const strategy = new ConsistentHashStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
    const withoutB = new ConsistentHashStrategy();
    withoutB.setEndpoints(endpoints(['a', 'c', 'd']));
    const exclude = new Set(['b']);
    expect(keys.map((key) => owner(strategy, key, exclude))).toEqual(
      keys.map((key) => owner(withoutB, key)),
    );
  });

  it('offers no done callback when bounded loads are off', () => {
    const strategy = new ConsistentHashStrategy();
    strategy.setEndpoints(endpoints(['a']));
    expect(strategy.pick({ now: 0, hashKey: 'k' })).toEqual({
      ok: true,
      endpoint: strategy.endpoints[0],
    });
  });
});

describe('ConsistentHashStrategy bounded loads', () => {
  const capacity = (loadFactor: number, inFlight: number, nodes: number) =>
    Math.ceil((1 + loadFactor) * (inFlight / nodes));

  it('every placement respects ⌈(1+ε)·mean⌉ (fast-check: node counts, ε, picks and dones)', () => {
    const operation = fc.oneof(
      { weight: 3, arbitrary: fc.record({ pick: fc.integer({ min: 0, max: 30 }) }) },
      { weight: 2, arbitrary: fc.record({ done: fc.nat() }) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.array(operation, { maxLength: 300 }),
        (nodes, loadFactor, operations) => {
          const ids = Array.from({ length: nodes }, (_, i) => `n${i}`);
          const strategy = new ConsistentHashStrategy({ vnodes: 40, loadFactor });
          strategy.setEndpoints(endpoints(ids));
          const open: { id: string; done: (outcome: Outcome) => void }[] = [];
          for (const op of operations) {
            if ('done' in op) {
              if (open.length === 0) continue;
              const [finished] = open.splice(op.done % open.length, 1);
              finished!.done(OUTCOME);
              continue;
            }
            // Few distinct keys, so hot keys overflow their home endpoint often.
            const result = strategy.pick({ now: 0, hashKey: `key-${op.pick}` }) as PickResult & {
              ok: true;
            };
            open.push({ id: result.endpoint.id, done: result.done! });
            const load = strategy.inFlight(result.endpoint.id);
            expect(load).toBe(open.filter((o) => o.id === result.endpoint.id).length);
            expect(load).toBeLessThanOrEqual(capacity(loadFactor, open.length, nodes));
          }
        },
      ),
      { seed: 20240601, numRuns: 150 },
    );
  });

  it('with arrivals only, the maximum load never exceeds ⌈(1+ε)·mean⌉ (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 200 }),
        (nodes, loadFactor, keyIndexes) => {
          const ids = Array.from({ length: nodes }, (_, i) => `n${i}`);
          const strategy = new ConsistentHashStrategy({ loadFactor });
          strategy.setEndpoints(endpoints(ids));
          keyIndexes.forEach((keyIndex, i) => {
            strategy.pick({ now: 0, hashKey: `hot-${keyIndex}` });
            const maxLoad = Math.max(...ids.map((id) => strategy.inFlight(id)));
            expect(maxLoad).toBeLessThanOrEqual(capacity(loadFactor, i + 1, nodes));
          });
        },
      ),
      { seed: 7, numRuns: 150 },
    );
  });

  it('holds under Zipf-distributed keys, where plain hashing overloads the hot endpoint', () => {
    const run = (loadFactor: number) => {
      const nextRank = createZipfSampler(5000, 1.1, createSeededRandom(99));
      const strategy = new ConsistentHashStrategy({ loadFactor });
      const ids = ['a', 'b', 'c', 'd', 'e'];
      strategy.setEndpoints(endpoints(ids));
      const open: { id: string; done?: (outcome: Outcome) => void }[] = [];
      const loads = new Map(ids.map((id) => [id, 0]));
      let worstRatio = 0;
      for (let i = 0; i < 20_000; i++) {
        // A steady 100 requests in flight: the oldest finishes before each new one.
        if (open.length === 100) {
          const oldest = open.shift()!;
          oldest.done?.(OUTCOME);
          loads.set(oldest.id, loads.get(oldest.id)! - 1);
        }
        const result = strategy.pick({ now: 0, hashKey: `/video/${nextRank()}.mp4` });
        if (!result.ok) throw new Error(result.reason);
        const id = result.endpoint.id;
        loads.set(id, loads.get(id)! + 1);
        open.push({ id, done: result.done });
        const bound = capacity(0.25, open.length, ids.length);
        worstRatio = Math.max(worstRatio, loads.get(id)! / bound);
      }
      return worstRatio;
    };
    // Worst load relative to the ε = 0.25 cap: within it when bounded, far above it when not.
    expect(run(0.25)).toBeLessThanOrEqual(1);
    expect(run(0)).toBeGreaterThan(1.5);
  });

  it('done is validated first, counted once, and stops counting for a removed endpoint', () => {
    const strategy = new ConsistentHashStrategy({ loadFactor: 0.5 });
    strategy.setEndpoints(endpoints(['a', 'b']));
    const first = strategy.pick({ now: 0, hashKey: 'k' }) as PickResult & { ok: true };
    const id = first.endpoint.id;
    expect(strategy.inFlight(id)).toBe(1);
    expect(errorCode(() => first.done!({ ok: true, latencyMs: Number.NaN, now: 0 }))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    expect(strategy.inFlight(id)).toBe(1);
    first.done!(OUTCOME);
    first.done!(OUTCOME);
    expect(strategy.inFlight(id)).toBe(0);

    const second = strategy.pick({ now: 0, hashKey: 'k' }) as PickResult & { ok: true };
    strategy.apply({ type: 'remove', id });
    strategy.apply({ type: 'add', endpoint: endpoints([id])[0]! });
    second.done!(OUTCOME);
    expect(strategy.inFlight(id)).toBe(0);
    expect(strategy.inFlight('nobody')).toBe(0);
  });

  it('when exclusions leave no endpoint under capacity, the first one clockwise still serves', () => {
    const strategy = new ConsistentHashStrategy({ loadFactor: 0.01 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    const exclude = new Set(['a', 'b']);
    for (let i = 0; i < 10; i++) {
      expect(strategy.pick({ now: 0, hashKey: `k${i}`, exclude })).toMatchObject({
        ok: true,
        endpoint: { id: 'c' },
      });
    }
    expect(strategy.inFlight('c')).toBe(10);
  });

  it('keeps in-flight counts of endpoints that stay across setEndpoints', () => {
    const strategy = new ConsistentHashStrategy({ loadFactor: 0.25 });
    strategy.setEndpoints(endpoints(['a', 'b']));
    const picked = strategy.pick({ now: 0, hashKey: 'k' }) as PickResult & { ok: true };
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect(strategy.inFlight(picked.endpoint.id)).toBe(1);
  });
});
