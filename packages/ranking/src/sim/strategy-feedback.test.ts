import { describe, expect, it } from 'vitest';
import {
  type ServerOutageScenarioOptions,
  serverOutageScenario,
} from './scenarios/server-outage.js';
import { simulate } from './simulate.js';
import type { SimulationResult } from './simulation-result.js';

/** The server-outage scenario for strategy `name` (fail-fast, probes on, 8000 requests unless told). */
function outage(
  name: string,
  outageOptions: Omit<ServerOutageScenarioOptions, 'name'> = {},
): SimulationResult {
  return simulate(serverOutageScenario({ name, ...outageOptions }));
}

/** How long after `afterMs` the first 250 ms bucket gives s0 at least `share` of the traffic. */
function returnsAfterMs(result: SimulationResult, afterMs: number, share = 0.1): number {
  const bucket = result.traffic.buckets.find((b) => b.startMs >= afterMs && b.shares[0]! >= share);
  return bucket === undefined ? Number.POSITIVE_INFINITY : bucket.startMs - afterMs;
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

  it('least-pending P2C with failurePenaltyMs 0 is blind to failures: the dead server attracts', () => {
    // Failing requests finish at once, so the dead server always looks least loaded.
    const blind = outage('least-pending-p2c', { options: { failurePenaltyMs: 0 } });
    expect(shareOfS0(blind, 10_000, 20_000)).toBeGreaterThan(0.2);
  });
});

describe('recovery after a 10 s outage (fixed seed)', () => {
  // The fair share of s0 is 0.2. "Back" = the first 250 ms bucket after 20 s with s0 ≥ 10%.
  const cases = [
    { mode: 'fail-fast', probes: true },
    { mode: 'fail-fast', probes: false },
    { mode: 'black-hole', probes: true },
    { mode: 'black-hole', probes: false },
  ] as const;

  // p2c-peak-ewma: before the penalty got its own decay and was cleared by a later success, the
  // failure counted as a 5 s latency peak decaying with τ = 10 s: no traffic for ~50 s after
  // recovery. least-pending-p2c: each failure counts as a request in flight for 1 s, so the dead
  // server gets about 20 ms / 1 s of a healthy share instead of more than its share.
  const expectations = [
    {
      name: 'p2c-peak-ewma',
      story: 'out while down, back within 0.5 s',
      maxShareWhileDown: 0.005,
      backWithinMs: 500,
      fairFromMs: 22_000,
      minSuccessRate: 0.999,
    },
    {
      name: 'least-pending-p2c',
      story: 'starved while down, back within 3 s',
      maxShareWhileDown: 0.02,
      backWithinMs: 3_000,
      fairFromMs: 24_000,
      minSuccessRate: 0.995,
    },
  ] as const;

  const rows = expectations.flatMap((expected) =>
    cases.map((variant) => [expected.name, expected.story, variant, expected] as const),
  );

  it.each(rows)('%s: %s (%o)', (name, _story, variant, expected) => {
    const result = outage(name, { ...variant, requests: 10_000 });
    expect(shareOfS0(result, 10_000, 20_000)).toBeLessThan(expected.maxShareWhileDown);
    expect(returnsAfterMs(result, 20_000)).toBeLessThanOrEqual(expected.backWithinMs);
    expect(shareOfS0(result, expected.fairFromMs, 50_000)).toBeGreaterThan(0.17);
    expect(result.successRate).toBeGreaterThan(expected.minSuccessRate);
  });

  it.each(['least-pending-p2c', 'p2c-peak-ewma'])(
    'with health: true from the registry, %s takes the dead server out and probes bring it back',
    (name) => {
      const result = outage(name, { options: { health: true }, requests: 10_000 });
      expect(shareOfS0(result, 10_000, 20_000)).toBeLessThan(0.002);
      // rise = 2 good probes, one per second.
      expect(returnsAfterMs(result, 20_000)).toBeLessThanOrEqual(2_000);
      expect(result.successRate).toBeGreaterThan(0.999);
    },
  );
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
