import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import {
  createServiceTimeSampler,
  type ServiceTimeDistribution,
  validateServiceTimeDistribution,
} from './service-time-distribution.js';

function draws(dist: ServiceTimeDistribution, n = 100_000, seed = 7): Float64Array {
  const sample = createServiceTimeSampler(dist, createSeededRandom(seed));
  return Float64Array.from({ length: n }, sample);
}

function mean(values: Float64Array): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe('createServiceTimeSampler', () => {
  it('constant always returns its value', () => {
    expect(new Set(draws({ kind: 'constant', ms: 4 }, 100))).toEqual(new Set([4]));
  });

  it('exponential has the configured mean and the memoryless tail', () => {
    const values = draws({ kind: 'exponential', meanMs: 2 });
    expect(mean(values)).toBeCloseTo(2, 1);
    // P(X > mean) = e^-1 for an exponential.
    const above = values.filter((v) => v > 2).length / values.length;
    expect(above).toBeCloseTo(Math.exp(-1), 2);
  });

  it('lognormal has the configured median', () => {
    const sorted = draws({ kind: 'lognormal', medianMs: 10, sigma: 0.5 }).sort();
    expect(sorted[sorted.length / 2]!).toBeCloseTo(10, 0);
    // Mean of a lognormal = median · e^(σ²/2).
    expect(mean(sorted) / (10 * Math.exp(0.125))).toBeCloseTo(1, 2);
  });

  it('uniform stays within [min, max) with the midpoint as mean', () => {
    const values = draws({ kind: 'uniform', minMs: 0, maxMs: 100 });
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(100);
    expect(mean(values)).toBeCloseTo(50, 0);
  });

  it('empirical draws only listed values, each about equally often', () => {
    const values = draws({ kind: 'empirical', samplesMs: [1, 2, 3, 4] }, 40_000);
    for (const v of [1, 2, 3, 4]) {
      expect(values.filter((x) => x === v).length / values.length).toBeCloseTo(0.25, 1);
    }
    expect(new Set(values)).toEqual(new Set([1, 2, 3, 4]));
  });

  it('is deterministic for a seed', () => {
    const dist: ServiceTimeDistribution = { kind: 'lognormal', medianMs: 5, sigma: 1 };
    expect(draws(dist, 50, 3)).toEqual(draws(dist, 50, 3));
    expect(draws(dist, 50, 3)).not.toEqual(draws(dist, 50, 4));
  });
});

describe('validateServiceTimeDistribution', () => {
  const bad: Array<[unknown, string]> = [
    [undefined, 'd'],
    [{ kind: 'gamma' }, 'd.kind'],
    [{ kind: 'constant', ms: -1 }, 'd.ms'],
    [{ kind: 'exponential', meanMs: 0 }, 'd.meanMs'],
    [{ kind: 'lognormal', medianMs: 1, sigma: Number.NaN }, 'd.sigma'],
    [{ kind: 'uniform', minMs: 5, maxMs: 1 }, 'd.maxMs'],
    [{ kind: 'empirical', samplesMs: [] }, 'd.samplesMs'],
    [{ kind: 'empirical', samplesMs: [1, -2] }, 'd.samplesMs[1]'],
  ];
  it.each(bad)('rejects %j at %s', (value, path) => {
    expect(() => validateServiceTimeDistribution(value, 'd')).toThrow(
      expect.objectContaining({ code: 'LB_RANKING_SIM_CONFIG', path }),
    );
  });
});
