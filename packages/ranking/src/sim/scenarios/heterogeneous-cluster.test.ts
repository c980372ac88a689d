import { describe, expect, it } from 'vitest';
import { simulate } from '../simulate.js';
import type { SelectorConfig } from '../simulation-config.js';
import {
  HETEROGENEOUS_MEDIANS_MS,
  heterogeneousClusterCapacityPerSec,
  heterogeneousClusterScenario,
} from './heterogeneous-cluster.js';

const run = (selector: SelectorConfig) =>
  simulate(heterogeneousClusterScenario({ selector, requests: 100_000 }));

describe('mixed-speed cluster at 80% load (the oracle comparison)', () => {
  it('computes the capacity from slots and mean service times', () => {
    // 4 slots / (median · e^0.125) summed over the servers.
    const expected = HETEROGENEOUS_MEDIANS_MS.reduce(
      (sum, m) => sum + 4000 / (m * Math.exp(0.125)),
      0,
    );
    expect(heterogeneousClusterCapacityPerSec()).toBeCloseTo(expected, 9);
  });

  it('random overloads the slow servers; the oracle and the adaptive strategies do not', () => {
    const random = run({ kind: 'strategy', name: 'random' });
    const oracle = run({ kind: 'jsq-oracle' });
    const peakEwma = run({ kind: 'strategy', name: 'p2c-peak-ewma' });
    const leastPending = run({ kind: 'strategy', name: 'least-pending-p2c' });
    expect(random.latency.p99).toBeGreaterThan(10 * oracle.latency.p99);
    for (const adaptive of [peakEwma, leastPending]) {
      expect(adaptive.latency.p99).toBeLessThan(random.latency.p99 / 10);
      // Traffic follows speed: the 5 ms servers get several times the 80 ms server's share.
      expect(adaptive.perServer[0]!.requests).toBeGreaterThan(4 * adaptive.perServer[9]!.requests);
    }
  });
});
