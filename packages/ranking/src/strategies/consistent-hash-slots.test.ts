import { describe, expect, it } from 'vitest';
import { assignmentOf, endpoints, errorCode, thrownBy } from '../../test/strategy-helpers.js';
import { SlotTableTooSmallError } from '../errors.js';
import { SlotTableHashStrategy } from './consistent-hash-slots.js';

const keys = Array.from({ length: 2000 }, (_, i) => `/ubuntu/${i}.iso`);

const assignment = assignmentOf(keys);

describe('SlotTableHashStrategy options', () => {
  it.each([
    [{ slots: 1 }, 'slots'],
    [{ slots: 100.5 }, 'slots'],
    [{ slots: 2 ** 21 + 1 }, 'slots'],
    [{ replicas: 0 }, 'replicas'],
    [{ slots: 16, replicas: 16 }, 'slots'],
    [{ probing: 'cubic' as never }, 'probing'],
    [{ hash: 'crc' as never }, 'hash'],
  ])('rejects %j with LB_RANKING_INVALID_OPTION', (options, option) => {
    expect(thrownBy(() => new SlotTableHashStrategy(options))).toMatchObject({
      code: 'LB_RANKING_INVALID_OPTION',
      option,
    });
  });
});

describe('SlotTableHashStrategy', () => {
  it.each(['linear', 'quadratic'] as const)(
    '%s probing places every replica in a crowded table',
    (probing) => {
      const strategy = new SlotTableHashStrategy({ slots: 64, replicas: 15, probing });
      strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
      // 60 of 64 slots: many homes collide, and every replica still gets its own slot.
      expect(strategy.collisions).toBeGreaterThan(10);
      const shares = [...strategy.shares(0).values()];
      expect(shares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
      expect(new Set(assignment(strategy)).size).toBe(4);
    },
  );

  it('linear and quadratic probing resolve the same collisions to different slots', () => {
    const build = (probing: 'linear' | 'quadratic') => {
      const strategy = new SlotTableHashStrategy({ slots: 64, replicas: 15, probing });
      strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
      return assignment(strategy);
    };
    expect(build('quadratic')).not.toEqual(build('linear'));
  });

  it('an uncrowded table rarely collides', () => {
    const strategy = new SlotTableHashStrategy({ slots: 65536, replicas: 8 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    expect(strategy.collisions).toBe(0);
  });

  it('weights scale replicas, and so shares', () => {
    const strategy = new SlotTableHashStrategy({ slots: 8192, replicas: 400 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c'], [1, 1, 2]));
    const share = strategy.shares(0).get('c')!;
    expect(share).toBeGreaterThan(0.42);
    expect(share).toBeLessThan(0.58);
  });

  it('refuses a membership that would overfill the table, leaving everything as it was', () => {
    const strategy = new SlotTableHashStrategy({ slots: 64, replicas: 20 });
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    const before = assignment(strategy);

    const error = thrownBy(() => strategy.apply({ type: 'add', endpoint: endpoints(['d'])[0]! }));
    expect(error).toBeInstanceOf(SlotTableTooSmallError);
    expect(error).toMatchObject({
      code: 'LB_RANKING_SLOT_TABLE_TOO_SMALL',
      slots: 64,
      requiredReplicas: 80,
    });
    expect(
      errorCode(() => strategy.apply({ type: 'update', endpoint: endpoints(['a'], [1.5])[0]! })),
    ).toBe('LB_RANKING_SLOT_TABLE_TOO_SMALL');
    expect(errorCode(() => strategy.setEndpoints(endpoints(['w', 'x', 'y', 'z'])))).toBe(
      'LB_RANKING_SLOT_TABLE_TOO_SMALL',
    );
    // Exactly full is still too small: the table must be larger than the replicas it holds.
    const full = new SlotTableHashStrategy({ slots: 60, replicas: 20 });
    expect(errorCode(() => full.setEndpoints(endpoints(['a', 'b', 'c'])))).toBe(
      'LB_RANKING_SLOT_TABLE_TOO_SMALL',
    );

    expect(strategy.endpoints.map((endpoint) => endpoint.id)).toEqual(['a', 'b', 'c']);
    expect(assignment(strategy)).toEqual(before);
    // Room freed by a drain or a removal can be used again.
    strategy.apply({ type: 'update', endpoint: endpoints(['c'], [0])[0]! });
    strategy.apply({ type: 'add', endpoint: endpoints(['d'])[0]! });
    expect(strategy.endpoints).toHaveLength(4);
  });

  it('membership errors keep their own codes even when the table is full', () => {
    const strategy = new SlotTableHashStrategy({ slots: 64, replicas: 30 });
    strategy.setEndpoints(endpoints(['a', 'b']));
    expect(errorCode(() => strategy.apply({ type: 'add', endpoint: endpoints(['a'])[0]! }))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
    expect(
      errorCode(() => strategy.apply({ type: 'update', endpoint: endpoints(['q'])[0]! })),
    ).toBe('LB_RANKING_INVALID_ENDPOINT');
    expect(errorCode(() => strategy.apply({ type: 'swap' } as never))).toBe(
      'LB_RANKING_INVALID_ENDPOINT',
    );
  });

  it('keys move mostly to a newcomer; collisions can displace a few between others', () => {
    const strategy = new SlotTableHashStrategy();
    strategy.setEndpoints(endpoints(['a', 'b', 'c']));
    const before = assignment(strategy);
    strategy.apply({ type: 'add', endpoint: endpoints(['d'])[0]! });
    const after = assignment(strategy);
    const betweenOthers = before.filter((id, i) => id !== after[i] && after[i] !== 'd').length;
    expect(betweenOthers / keys.length).toBeLessThan(0.02);
  });
});
