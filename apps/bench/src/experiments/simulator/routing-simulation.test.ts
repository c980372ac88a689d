import { createStrategy } from '@lb/ranking';
import { describe, expect, it } from 'vitest';
import type { RoutingMachine } from '../routing/routing-result.js';
import { withImmediateDone } from './immediate-done-strategy.js';
import {
  firstProbeRoundMs,
  reachableMachines,
  simulatedServers,
  simulateRouting,
  simulationConfig,
  transferMs,
} from './routing-simulation.js';

const machines: RoutingMachine[] = [
  { label: 'A1', region: 'A', machine: 1, latencyMs: 10, rate: '4M' },
  { label: 'A2', region: 'A', machine: 2, latencyMs: 10, rate: '4M' },
  { label: 'C1', region: 'C', machine: 1, latencyMs: 150, rate: '4M' },
];
const input = {
  machines,
  bestRegion: 'A',
  fileSizeBytes: 65_536,
  requests: 200,
  concurrency: 4,
  probeIntervalSeconds: 2,
  overheadMs: 1,
  seed: 1,
};

describe('the simulated routing scenario', () => {
  it('models each machine as round trip = latency + overhead, service = one transfer at its rate', () => {
    expect(transferMs(65_536, '4M')).toBe(15.625);
    expect(transferMs(65_536, null)).toBe(0);
    expect(simulatedServers(machines.slice(0, 1), 65_536, 1)).toEqual([
      {
        id: 'A1',
        region: 'A',
        rttMs: 11,
        serviceTime: { kind: 'constant', ms: 15.625 },
        concurrency: 1,
      },
    ]);
    const unthrottled = simulatedServers([{ ...machines[0]!, rate: null }], 65_536, 1)[0]!;
    expect(unthrottled.concurrency).toBe(Number.POSITIVE_INFINITY);
  });

  it('reaches the machines the strategy’s URL can reach', () => {
    expect(reachableMachines('uniform-random', machines, 'A').map((m) => m.label)).toEqual([
      'A1',
      'A2',
      'C1',
    ]);
    expect(reachableMachines('random-in-best-region', machines, 'A').map((m) => m.label)).toEqual([
      'A1',
      'A2',
    ]);
    expect(reachableMachines('fixed-machine', machines, 'A').map((m) => m.label)).toEqual(['A1']);
  });

  it('uses the measured run’s closed loop, probes, seed, and leaves out the first probe round', () => {
    const config = simulationConfig(input, 'p2c-peak-ewma', 'as-balancer');
    expect(config.arrivals).toEqual({ kind: 'closed-loop', requests: 200, concurrency: 4 });
    expect(config.probes).toEqual({ intervalMs: 2000, bytes: 65_536 });
    expect(config.seed).toBe(1);
    expect(config.warmupMs).toBe(firstProbeRoundMs(machines, 65_536, 1));
    expect(firstProbeRoundMs(machines, 65_536, 1)).toBe(150 + 1 + 15.625);
  });

  it('saturates a fixed machine: concurrency × transfer time (Little’s law)', () => {
    const run = simulateRouting(input, 'fixed-machine', 'as-balancer');
    expect(Object.keys(run.perServer)).toEqual(['A1']);
    // 4 in flight on one token bucket that completes a transfer every 15.625 ms; the 11 ms round
    // trip overlaps with the other requests' transfers, so the bucket never idles.
    expect(run.latency.p50).toBeCloseTo(4 * 15.625, 6);
  });

  it('is deterministic for a seed', () => {
    expect(simulateRouting(input, 'uniform-random', 'completion')).toEqual(
      simulateRouting(input, 'uniform-random', 'completion'),
    );
  });
});

describe('withImmediateDone', () => {
  it('reports each pick done at once with 0 ms, so least-pending sees no requests in flight', () => {
    const inner = createStrategy('least-pending-p2c', {}, { random: () => 0.5 });
    const wrapped = withImmediateDone(inner);
    wrapped.setEndpoints([
      { id: 'a', address: 'a', weight: 1 },
      { id: 'b', address: 'b', weight: 1 },
    ]);
    const first = wrapped.pick({ now: 0 });
    expect(first.ok && first.done).toBeUndefined();
    expect(wrapped.name).toBe('least-pending-p2c');
    // Without the wrapper the open pick would count as pending and steer the next pick away.
    const picks = Array.from({ length: 4 }, () => wrapped.pick({ now: 1 }));
    expect(new Set(picks.map((pick) => (pick.ok ? pick.endpoint.id : '')))).toEqual(
      new Set([first.ok ? first.endpoint.id : '']),
    );
  });
});
