import { describe, expect, it } from 'vitest';
import { simulate } from '../simulate.js';
import type { SelectorConfig } from '../simulation-config.js';
import { towerDemoChoicesLatencyFloor, towerDemoScenario } from './tower-demo.js';

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

describe("tower's demo: the floor under power-of-d choices", () => {
  it('d = 2 cannot get the p99 under 275 ms; d = 3 under 88 ms; d = 4 under 58 ms', () => {
    expect(towerDemoChoicesLatencyFloor(2, 0.99)).toBeCloseTo(275, 6);
    expect(towerDemoChoicesLatencyFloor(3, 0.99)).toBeCloseTo(88, 6);
    expect(towerDemoChoicesLatencyFloor(4, 0.99)).toBeCloseTo(100 * (1 - 0.01 / (5 / 210)), 6);
    // Comparing every endpoint leaves only the 1 ms one's own latency.
    expect(towerDemoChoicesLatencyFloor(10, 0.99)).toBeCloseTo(0.99, 6);
  });

  it('the simulated P2C p99 sits above its floor', () => {
    const result = simulate(
      towerDemoScenario({
        selector: { kind: 'strategy', name: 'p2c-peak-ewma' },
        requests: 50_000,
      }),
    );
    expect(result.latency.p99).toBeGreaterThan(towerDemoChoicesLatencyFloor(2, 0.99));
  });
});
