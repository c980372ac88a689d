import { describe, expect, it } from 'vitest';
import { simulate } from '../simulate.js';
import type { SelectorConfig } from '../simulation-config.js';
import { towerDemoScenario } from './tower-demo.js';

const run = (selector: SelectorConfig) =>
  simulate(towerDemoScenario({ selector, requests: 50_000 }));

describe("tower's balance demo", () => {
  const random = run({ kind: 'strategy', name: 'random' });

  it('random spreads evenly, so its p99 sits in the slowest endpoints’ range', () => {
    for (const server of random.perServer) {
      expect(server.requests / random.counts.measured).toBeCloseTo(0.1, 1);
    }
    expect(random.latency.p99).toBeGreaterThan(500);
    expect(random.successRate).toBe(1);
  });

  it.each(['least-pending-p2c', 'p2c-peak-ewma'])(
    '%s favours the fast endpoints and cuts p50 and p99',
    (name) => {
      const result = run({ kind: 'strategy', name });
      const share = (i: number) => result.perServer[i]!.requests / result.counts.measured;
      expect(share(0)).toBeGreaterThan(share(9) * 4);
      expect(result.latency.p50).toBeLessThan(random.latency.p50);
      expect(result.latency.p99).toBeLessThan(random.latency.p99 / 2);
    },
  );

  it('the JSQ oracle keeps most traffic on the 1 ms endpoint', () => {
    const oracle = run({ kind: 'jsq-oracle' });
    expect(oracle.perServer[0]!.requests / oracle.counts.measured).toBeGreaterThan(0.5);
    expect(oracle.latency.p99).toBeLessThan(random.latency.p99 / 4);
  });
});
