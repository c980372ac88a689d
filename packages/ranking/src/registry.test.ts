import { describe, expect, it } from 'vitest';
import { endpoints, errorCode, probe } from '../test/strategy-helpers.js';
import { InvalidStrategyOptionError, UnknownStrategyError } from './errors.js';
import { createStrategy, listStrategies, listWrapperOptions } from './registry.js';
import { createSeededRandom } from './seeded-random.js';
import { P2cPeakEwmaStrategy } from './strategies/p2c-peak-ewma.js';
import { HealthCheckedStrategy } from './wrappers/with-health.js';
import { SlowStartStrategy } from './wrappers/with-slow-start.js';

const CORE = [
  'rank-weighted',
  'inverse-time',
  'round-robin',
  'smooth-weighted-round-robin',
  'random',
  'least-pending-p2c',
  'p2c-peak-ewma',
];

describe('listStrategies', () => {
  it('lists the core strategies, each name once', () => {
    const names = listStrategies().map((info) => info.name);
    expect(names).toEqual(expect.arrayContaining(CORE));
    expect(new Set(names).size).toBe(names.length);
    expect(listStrategies().find((info) => info.name === 'p2c-peak-ewma')).toMatchObject({
      hashed: false,
      options: [
        { name: 'tauMs', type: 'number', default: 10_000 },
        { name: 'failurePenaltyMs', type: 'number', default: 5_000 },
        { name: 'failureDecayMs', type: 'number', default: 1_000 },
        { name: 'choices', type: 'number', default: 2 },
      ],
    });
    expect(listStrategies().find((info) => info.name === 'least-pending-p2c')).toMatchObject({
      options: [
        { name: 'failurePenaltyMs', type: 'number', default: 1_000 },
        { name: 'choices', type: 'number', default: 2 },
      ],
    });
  });

  it('every option is well described: default of its type, within its choices', () => {
    for (const info of [...listStrategies(), { name: 'wrappers', options: listWrapperOptions() }]) {
      for (const option of info.options) {
        expect(typeof option.default, `${info.name}.${option.name}`).toBe(option.type);
        expect(option.description.length).toBeGreaterThan(0);
        if (option.choices) expect(option.choices).toContain(option.default);
      }
    }
  });
});

describe('createStrategy', () => {
  it.each(listStrategies().map((info) => [info.name, info] as const))(
    '%s can be created with defaults and picks',
    (name, info) => {
      const strategy = createStrategy(name);
      expect(strategy.name).toBe(name);
      strategy.setEndpoints(endpoints(['a', 'b', 'c']));
      strategy.observe('a', probe(100), 0);
      const result = strategy.pick({ now: 1, ...(info.hashed ? { hashKey: 'file.iso' } : {}) });
      expect(result.ok).toBe(true);
      let total = 0;
      for (const share of strategy.shares(1).values()) total += share;
      expect(total).toBeCloseTo(1, 12);
    },
  );

  it('is deterministic without deps.random (fixed default seed)', () => {
    const run = () => {
      const strategy = createStrategy('random');
      strategy.setEndpoints(endpoints(['a', 'b', 'c', 'd']));
      return Array.from({ length: 20 }, () => {
        const result = strategy.pick({ now: 0 });
        return result.ok ? result.endpoint.id : result.reason;
      });
    };
    expect(run()).toEqual(run());
  });

  it('uses the injected random source', () => {
    const draws: number[] = [];
    const source = createSeededRandom(3);
    const strategy = createStrategy(
      'random',
      {},
      {
        random: () => {
          const x = source();
          draws.push(x);
          return x;
        },
      },
    );
    strategy.setEndpoints(endpoints(['a', 'b']));
    strategy.pick({ now: 0 });
    expect(draws).toHaveLength(1);
  });

  it('passes options through', () => {
    const strategy = createStrategy('p2c-peak-ewma', { tauMs: 500, failurePenaltyMs: 1 });
    expect(strategy).toBeInstanceOf(P2cPeakEwmaStrategy);
    expect(strategy).toMatchObject({ tauMs: 500, failurePenaltyMs: 1 });
  });

  it('accepts numeric and boolean strings, as a command line passes them', () => {
    expect(createStrategy('p2c-peak-ewma', { tauMs: '2500' })).toMatchObject({ tauMs: 2500 });
    expect(createStrategy('random', { health: 'true' })).toBeInstanceOf(HealthCheckedStrategy);
  });

  it('unknown name → LB_RANKING_UNKNOWN_STRATEGY listing the valid names', () => {
    try {
      createStrategy('fastest-first');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownStrategyError);
      expect((error as UnknownStrategyError).code).toBe('LB_RANKING_UNKNOWN_STRATEGY');
      for (const name of CORE) expect((error as Error).message).toContain(name);
    }
  });

  it.each([
    ['an unknown option key', 'rank-weighted', { alfa: 0.5 }, 'alfa'],
    ['a string for a number', 'rank-weighted', { alpha: 'fast' }, 'alpha'],
    ['an empty string for a number', 'rank-weighted', { alpha: '' }, 'alpha'],
    ['NaN', 'p2c-peak-ewma', { tauMs: Number.NaN }, 'tauMs'],
    ['an out-of-range number', 'rank-weighted', { alpha: 2 }, 'alpha'],
    ['zero tau', 'p2c-peak-ewma', { tauMs: 0 }, 'tauMs'],
    ['a value outside the choices', 'inverse-time', { metric: 'latency' }, 'metric'],
    ['a number for a string', 'inverse-time', { metric: 3 }, 'metric'],
    ['a non-boolean health', 'random', { health: 'yes' }, 'health'],
    ['healthRise without health', 'random', { healthRise: 3 }, 'healthRise'],
    ['healthFall 0', 'random', { health: true, healthFall: 0 }, 'healthFall'],
    ['fractional healthRise', 'random', { health: true, healthRise: 1.5 }, 'healthRise'],
    ['negative slowStartMs', 'random', { slowStartMs: -1 }, 'slowStartMs'],
  ])(
    'rejects %s with LB_RANKING_INVALID_OPTION naming the option',
    (_case, name, options, option) => {
      try {
        createStrategy(name, options as Record<string, unknown>);
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidStrategyOptionError);
        expect(error).toMatchObject({ code: 'LB_RANKING_INVALID_OPTION', option });
        expect((error as Error).message).toContain(option);
      }
    },
  );

  it('rejects non-object options and a non-function random', () => {
    expect(errorCode(() => createStrategy('random', [] as never))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
    expect(errorCode(() => createStrategy('random', {}, { random: 4 as never }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
  });

  it('wrapper options compose health inside slow start and keep the name', () => {
    const strategy = createStrategy('rank-weighted', {
      health: true,
      healthRise: 1,
      healthFall: 1,
      slowStartMs: 1000,
    });
    expect(strategy).toBeInstanceOf(SlowStartStrategy);
    expect((strategy as SlowStartStrategy).inner).toBeInstanceOf(HealthCheckedStrategy);
    expect(((strategy as SlowStartStrategy).inner as HealthCheckedStrategy).fall).toBe(1);
    expect(strategy.name).toBe('rank-weighted');
  });
});
