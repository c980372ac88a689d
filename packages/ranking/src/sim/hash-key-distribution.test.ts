import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../seeded-random.js';
import {
  createHashKeySampler,
  type HashKeyDistribution,
  validateHashKeyDistribution,
} from './hash-key-distribution.js';

function frequencies(dist: HashKeyDistribution, n: number): Map<string, number> {
  const sample = createHashKeySampler(dist, createSeededRandom(11));
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = sample();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('createHashKeySampler', () => {
  it('uniform spreads draws evenly over key-0 … key-(n-1)', () => {
    const counts = frequencies({ kind: 'uniform', keys: 10 }, 100_000);
    expect([...counts.keys()].sort()).toEqual(Array.from({ length: 10 }, (_, i) => `key-${i}`));
    for (const c of counts.values()) expect(c / 100_000).toBeCloseTo(0.1, 1);
  });

  it('zipf makes key i about (i+1)^s times rarer than key-0', () => {
    const counts = frequencies({ kind: 'zipf', keys: 1000, exponent: 1 }, 200_000);
    const first = counts.get('key-0')!;
    expect(first / counts.get('key-1')!).toBeCloseTo(2, 0);
    expect(first / counts.get('key-3')!).toBeCloseTo(4, 0);
    // H(1000) ≈ 7.485, so key-0 takes ≈ 13.4% of the draws.
    expect(first / 200_000).toBeCloseTo(1 / 7.485, 2);
  });

  it('zipf with exponent 0 is uniform', () => {
    const counts = frequencies({ kind: 'zipf', keys: 4, exponent: 0 }, 40_000);
    for (const c of counts.values()) expect(c / 40_000).toBeCloseTo(0.25, 1);
  });
});

describe('validateHashKeyDistribution', () => {
  it.each([
    [{ kind: 'pareto', keys: 3 }, 'h.kind'],
    [{ kind: 'uniform', keys: 0 }, 'h.keys'],
    [{ kind: 'uniform', keys: 1.5 }, 'h.keys'],
    [{ kind: 'zipf', keys: 3, exponent: -1 }, 'h.exponent'],
  ])('rejects %j at %s', (value, path) => {
    expect(() => validateHashKeyDistribution(value, 'h')).toThrow(
      expect.objectContaining({ code: 'LB_RANKING_SIM_CONFIG', path }),
    );
  });
});
