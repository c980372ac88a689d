import { describe, expect, it } from 'vitest';
import { simulate } from './simulate.js';
import type { SimulationResult } from './simulation-result.js';

/** Five servers; s0 is down (fail-fast) from 10 s to 20 s; probes every second. */
function outage(name: string): SimulationResult {
  return simulate({
    servers: Array.from({ length: 5 }, (_, i) => ({
      serviceTime: { kind: 'lognormal', medianMs: 20, sigma: 0.3 },
      concurrency: 8,
      ...(i === 0 ? { disruptions: [{ kind: 'down', fromMs: 10_000, untilMs: 20_000 }] } : {}),
    })),
    selector: { kind: 'strategy', name },
    arrivals: { kind: 'poisson', ratePerSec: 200, requests: 8000 },
    probes: { intervalMs: 1000 },
    trafficBucketMs: 2000,
  });
}

/** s0's share of the traffic over the buckets starting in [fromMs, untilMs). */
function shareOfS0(result: SimulationResult, fromMs: number, untilMs: number): number {
  const buckets = result.traffic.buckets.filter((b) => b.startMs >= fromMs && b.startMs < untilMs);
  const total = buckets.reduce((sum, b) => sum + b.requests, 0);
  return buckets.reduce((sum, b) => sum + b.shares[0]! * b.requests, 0) / total;
}

describe('feedback from probes and outcomes shifts traffic', () => {
  it('random keeps routing to the downed server and those requests fail', () => {
    const result = outage('random');
    expect(shareOfS0(result, 10_000, 20_000)).toBeGreaterThan(0.15);
    expect(result.perServer[0]!.failed).toBeGreaterThan(300);
    expect(result.counts.failed).toBe(result.perServer[0]!.failed);
  });

  it.each(['rank-weighted', 'inverse-time', 'p2c-peak-ewma'])(
    '%s stops routing to it while it is down',
    (name) => {
      const result = outage(name);
      expect(shareOfS0(result, 0, 10_000)).toBeGreaterThan(0.1);
      expect(shareOfS0(result, 10_000, 20_000)).toBeLessThan(0.01);
      expect(result.successRate).toBeGreaterThan(0.995);
    },
  );

  it.each(['rank-weighted', 'inverse-time'])(
    '%s sends traffic back once probes succeed',
    (name) => {
      expect(shareOfS0(outage(name), 22_000, 40_000)).toBeGreaterThan(0.1);
    },
  );

  it('least-pending P2C, blind to failures, sends a fail-fast server more than its share', () => {
    // Failing requests finish at once, so the dead server always looks least loaded.
    expect(shareOfS0(outage('least-pending-p2c'), 10_000, 20_000)).toBeGreaterThan(0.2);
  });
});

describe('hashed strategies in the simulator', () => {
  it('keeps every request of one key on one server', () => {
    const result = simulate({
      servers: Array.from({ length: 8 }, () => ({ serviceTime: { kind: 'constant', ms: 1 } })),
      selector: { kind: 'strategy', name: 'consistent-hash' },
      arrivals: { kind: 'fixed', requests: 500, ratePerSec: 1000 },
      hashKeys: { kind: 'uniform', keys: 1 },
    });
    expect(result.perServer.filter((s) => s.requests > 0)).toHaveLength(1);
  });

  it('spreads many Zipf keys over the servers', () => {
    const result = simulate({
      servers: Array.from({ length: 8 }, () => ({ serviceTime: { kind: 'constant', ms: 1 } })),
      selector: { kind: 'strategy', name: 'maglev' },
      arrivals: { kind: 'fixed', requests: 5000, ratePerSec: 1000 },
      hashKeys: { kind: 'zipf', keys: 1000, exponent: 0.8 },
    });
    expect(result.perServer.every((s) => s.requests > 100)).toBe(true);
  });
});
