import type { SelectorConfig, SimulationConfig } from '../simulation-config.js';

/**
 * Upper bounds of the ten endpoints' latencies in tower's balance demo (`tower/examples/balance.rs`):
 * each request to endpoint i takes a uniformly random time in [0, max_i).
 */
export const TOWER_DEMO_MAX_LATENCIES_MS: readonly number[] = [
  1, 5, 10, 10, 10, 100, 100, 100, 500, 1000,
];

export interface TowerDemoScenarioOptions {
  readonly selector: SelectorConfig;
  /** Requests. Default 100 000, as in the demo. */
  readonly requests?: number;
  /** Requests kept in flight by the client. Default 500, as in the demo. */
  readonly concurrency?: number;
  /**
   * Probe interval, ms; the real balancer always probes, so probe-driven strategies get data.
   * Default 1000.
   */
  readonly probeIntervalMs?: number;
  readonly seed?: number;
}

/**
 * tower's demo: a closed loop of 500 concurrent requests over ten endpoints whose latencies are
 * uniform on [0, max) with max from 1 ms to 1 s, each endpoint with 500 slots (so latency is pure
 * service time, never queueing). A good balancer learns to keep traffic on the fast endpoints.
 */
export function towerDemoScenario(options: TowerDemoScenarioOptions): SimulationConfig {
  const concurrency = options.concurrency ?? 500;
  return {
    seed: options.seed ?? 1,
    servers: TOWER_DEMO_MAX_LATENCIES_MS.map((maxMs) => ({
      serviceTime: { kind: 'uniform', minMs: 0, maxMs },
      concurrency,
    })),
    selector: options.selector,
    arrivals: { kind: 'closed-loop', requests: options.requests ?? 100_000, concurrency },
    probes: { intervalMs: options.probeIntervalMs ?? 1000 },
  };
}
