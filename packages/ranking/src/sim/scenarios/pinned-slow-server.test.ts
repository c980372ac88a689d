import { describe, expect, it } from 'vitest';
import { simulate } from '../simulate.js';
import type { SelectorConfig } from '../simulation-config.js';
import { PINNED_SCENARIO, pinnedSlowServerScenario } from './pinned-slow-server.js';

const run = (selector: SelectorConfig) => simulate(pinnedSlowServerScenario({ selector }));

/** Share of s0 in the traffic buckets entirely inside the pinned window, after 2 s to react. */
function pinnedWindowShare(result: ReturnType<typeof run>): number {
  const inside = result.traffic.buckets.filter((b) => b.startMs >= 17_000 && b.startMs < 44_000);
  const requests = inside.reduce((sum, b) => sum + b.requests, 0);
  return inside.reduce((sum, b) => sum + b.shares[0]! * b.requests, 0) / requests;
}

describe('one of 11 servers pinned to 2 s for 30 s, 1 s timeout', () => {
  const random = run({ kind: 'strategy', name: 'random' });

  it('random keeps sending 1/11 of the traffic to the wedged server, and all of it times out', () => {
    expect(pinnedWindowShare(random)).toBeCloseTo(1 / PINNED_SCENARIO.servers, 2);
    // 30 s of 60 s at 1/11 of the traffic is lost: success ≈ 1 − 0.5/11 ≈ 0.955.
    expect(random.successRate).toBeGreaterThan(0.94);
    expect(random.successRate).toBeLessThan(0.965);
    expect(random.latency.p999).toBe(PINNED_SCENARIO.requestTimeoutMs);
    expect(random.counts.timedOut).toBe(random.perServer[0]!.timedOut);
  });

  it.each(['p2c-peak-ewma', 'rank-weighted', 'inverse-time'])(
    '%s drains the wedged server and keeps success above 99.5%%',
    (name) => {
      const result = run({ kind: 'strategy', name });
      expect(pinnedWindowShare(result)).toBeLessThan(0.01);
      expect(result.successRate).toBeGreaterThan(0.995);
      expect(result.latency.p999).toBeLessThan(PINNED_SCENARIO.requestTimeoutMs);
    },
  );

  it('least-pending P2C, blind to latency, still starves it well below random', () => {
    const result = run({ kind: 'strategy', name: 'least-pending-p2c' });
    expect(pinnedWindowShare(result)).toBeLessThan(pinnedWindowShare(random) / 2);
    expect(result.successRate).toBeGreaterThan(random.successRate);
  });
});
