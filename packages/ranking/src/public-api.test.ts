import { describe, expect, it } from 'vitest';
import * as ranking from './index.js';
import * as sim from './sim/index.js';

// The entry points are the contract: primitives (hashes, rings, estimators) stay internal.
describe('public API', () => {
  it('the main entry exports the registry, the wrappers, the seeded random and the errors', () => {
    expect(Object.keys(ranking).sort()).toEqual([
      'DEFAULT_RANDOM_SEED',
      'InvalidEndpointError',
      'InvalidSampleError',
      'InvalidSeedError',
      'InvalidStrategyOptionError',
      'RankingError',
      'SlotTableTooSmallError',
      'UnknownStrategyError',
      'WRAPPER_OPTIONS',
      'createSeededRandom',
      'createStrategy',
      'listStrategies',
      'listWrapperOptions',
      'withHealth',
      'withSlowStart',
    ]);
  });

  it('the sim entry carries the simulator and its error', () => {
    expect(sim.simulate).toBeTypeOf('function');
    expect(new sim.SimulationConfigError('servers', 'empty')).toBeInstanceOf(ranking.RankingError);
  });

  it('an endpoint without a weight counts as weight 1', () => {
    const strategy = ranking.createStrategy('smooth-weighted-round-robin');
    strategy.setEndpoints([
      { id: 'a', address: 'a' },
      { id: 'b', address: 'b', weight: 2 },
    ]);
    expect(strategy.endpoints[0]?.weight).toBe(1);
    expect(strategy.shares(0).get('a')).toBeCloseTo(1 / 3);
  });
});
