import { describe, expect, it } from 'vitest';
import { countPicks } from '../../test/pick-statistics.js';
import { endpoints, errorCode, probe } from '../../test/strategy-helpers.js';
import { createStrategy, listStrategies } from '../registry.js';
import { createSeededRandom } from '../seeded-random.js';
import type { Strategy, StrategyDeps } from '../types.js';
import { ConsistentHashStrategy } from './consistent-hash.js';
import { SlotTableHashStrategy } from './consistent-hash-slots.js';
import { JumpHashStrategy } from './jump.js';
import { MaglevStrategy } from './maglev.js';
import { RendezvousStrategy } from './rendezvous.js';

// The behaviour every hashed strategy shares; strategy-specific claims live in each one's tests.
const factories: Record<string, (deps?: Partial<StrategyDeps>) => Strategy> = {
  'consistent-hash': (deps) => new ConsistentHashStrategy({}, deps),
  'consistent-hash bounded': (deps) => new ConsistentHashStrategy({ loadFactor: 0.25 }, deps),
  'consistent-hash-slots': (deps) => new SlotTableHashStrategy({}, deps),
  maglev: (deps) => new MaglevStrategy({ tableSize: 4099 }, deps),
  rendezvous: (deps) => new RendezvousStrategy({}, deps),
  jump: (deps) => new JumpHashStrategy({}, deps),
};

const keys = Array.from({ length: 300 }, (_, i) => `/pub/file-${i}.iso`);

function assignment(strategy: Strategy, exclude?: ReadonlySet<string>): string[] {
  return keys.map((hashKey) => {
    const result = strategy.pick({ now: 0, hashKey, exclude });
    if (!result.ok) throw new Error(result.reason);
    result.done?.({ ok: true, latencyMs: 1, now: 0 });
    return result.endpoint.id;
  });
}

describe('registry', () => {
  it('lists the five hashed strategies with hashed: true and their defaults', () => {
    const hashed = listStrategies().filter((info) => info.hashed);
    expect(hashed.map((info) => info.name)).toEqual([
      'consistent-hash',
      'consistent-hash-slots',
      'maglev',
      'rendezvous',
      'jump',
    ]);
    const defaults = Object.fromEntries(
      hashed.map((info) => [
        info.name,
        Object.fromEntries(info.options.map((o) => [o.name, o.default])),
      ]),
    );
    expect(defaults).toEqual({
      'consistent-hash': { vnodes: 160, hash: 'murmur3', loadFactor: 0 },
      'consistent-hash-slots': { slots: 512, replicas: 32, probing: 'linear', hash: 'murmur3' },
      maglev: { tableSize: 65537, hash: 'murmur3' },
      rendezvous: { hash: 'murmur3' },
      jump: { hash: 'murmur3' },
    });
  });

  it.each(['consistent-hash', 'consistent-hash-slots', 'maglev', 'rendezvous', 'jump'])(
    'creates %s by name, with options from a command line, and rejects a bad hash',
    (name) => {
      const strategy = createStrategy(name, { hash: 'fnv1a' });
      expect(strategy.name).toBe(name);
      strategy.setEndpoints(endpoints(['a', 'b']));
      expect(strategy.pick({ now: 0, hashKey: 'k' }).ok).toBe(true);
      expect(errorCode(() => createStrategy(name, { hash: 'md5' }))).toBe(
        'LB_RANKING_INVALID_OPTION',
      );
    },
  );
});

describe.each(Object.entries(factories))('%s', (_label, create) => {
  it('reports no-endpoints, all-excluded and all-unavailable', () => {
    const strategy = create();
    expect(strategy.pick({ now: 0, hashKey: 'k' })).toEqual({ ok: false, reason: 'no-endpoints' });
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [1, 1, 0]));
    expect(strategy.pick({ now: 0, hashKey: 'k', exclude: new Set(['a', 'b', 'c']) })).toEqual({
      ok: false,
      reason: 'all-excluded',
    });
    expect(strategy.pick({ now: 0, hashKey: 'k', exclude: new Set(['a', 'b']) })).toEqual({
      ok: false,
      reason: 'all-unavailable',
    });
    strategy.setEndpoints(endpoints(['a'], [0]));
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'all-unavailable' });
    strategy.setEndpoints([]);
    expect(strategy.pick({ now: 0 })).toEqual({ ok: false, reason: 'no-endpoints' });
  });

  it('sends the same key to the same endpoint while membership is unchanged', () => {
    const strategy = create();
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
    const first = assignment(strategy);
    strategy.observe('a', probe(5), 0);
    strategy.observe('b', { kind: 'request', ok: false, latencyMs: 9000 }, 0);
    expect(assignment(strategy)).toEqual(first);
    expect(new Set(first).size).toBe(4);
    // An identical membership (a no-op update) rebuilds to the same answers.
    strategy.apply({ type: 'update', endpoint: endpoints(['c'])[0]! });
    expect(assignment(strategy)).toEqual(first);
  });

  it('exclude sends every key of an excluded endpoint elsewhere, deterministically', () => {
    const strategy = create();
    strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
    const before = assignment(strategy);
    const exclude = new Set(['b']);
    const retried = assignment(strategy, exclude);
    expect(retried).toEqual(assignment(strategy, exclude));
    expect(retried.includes('b')).toBe(false);
    // Keys that were not on b stay where they were; b's keys spread over more than one endpoint.
    keys.forEach((_, i) => {
      if (before[i] !== 'b') expect(retried[i]).toBe(before[i]);
    });
    const spread = new Set(retried.filter((_, i) => before[i] === 'b'));
    expect(spread.size).toBeGreaterThan(1);
  });

  it('shares cover every endpoint, sum to 1 and give weight 0 nothing', () => {
    const strategy = create();
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [1, 1, 0]));
    const shares = strategy.shares(0);
    expect([...shares.keys()]).toEqual(['a', 'b', 'c']);
    expect(shares.get('c')).toBe(0);
    expect([...shares.values()].reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 9);
  });

  it('keyless picks hash a key drawn from deps.random: seeded, spread by share', () => {
    const run = () => {
      const strategy = create({ random: createSeededRandom(11) });
      strategy.setEndpoints(endpoints(['a', 'b', 'c']));
      const counts = countPicks(strategy, 3000);
      return { counts, shares: strategy.shares(0) };
    };
    const { counts, shares } = run();
    expect([...counts]).toEqual([...run().counts]);
    for (const [id, share] of shares) {
      expect(Math.abs((counts.get(id) ?? 0) / 3000 - share)).toBeLessThan(0.05);
    }
  });

  it('rejects a bad hashKey, clock or sample with LB_RANKING_INVALID_SAMPLE', () => {
    const strategy = create();
    strategy.setEndpoints(endpoints(['a']));
    const badKey = { now: 0, hashKey: 42 as unknown as string };
    expect(errorCode(() => strategy.pick(badKey))).toBe('LB_RANKING_INVALID_SAMPLE');
    expect(errorCode(() => strategy.pick({ now: Number.NaN, hashKey: 'k' }))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    expect(errorCode(() => strategy.shares(Number.POSITIVE_INFINITY))).toBe(
      'LB_RANKING_INVALID_SAMPLE',
    );
    expect(
      errorCode(() => strategy.observe('a', { kind: 'request', ok: true, latencyMs: -1 }, 0)),
    ).toBe('LB_RANKING_INVALID_SAMPLE');
    expect(strategy.pick({ now: 0, hashKey: '' }).ok).toBe(true);
  });

  it('rejects a bad membership change and keeps the previous membership and answers', () => {
    const strategy = create();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    const before = assignment(strategy);
    expect(errorCode(() => strategy.apply({ type: 'add', endpoint: endpoints(['a'])[0]! }))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(errorCode(() => strategy.apply({ type: 'remove', id: 'zz' }))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(
      errorCode(() =>
        strategy.setEndpoints([...endpoints(['x']), { id: 'y', address: '', weight: 1 }]),
      ),
    ).toBe('LB_RANKING_INVALID_ENDPOINT');
    expect(strategy.endpoints.map((e) => e.id)).toEqual(['a', 'b', 'c']);
    expect(assignment(strategy)).toEqual(before);
  });
});
