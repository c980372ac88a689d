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

/**
 * A floor under the `quantile` latency of any selector that picks among `choices` distinct
 * endpoints sampled uniformly (power of d choices, whatever its load metric) in tower's demo,
 * where latency is pure service time, uniform on [0, max_i). Whichever endpoint of the sample is
 * chosen, its latency tail is at least that of the sample's fastest, so
 * P(latency > x) ≥ Σ_i P(i is the fastest sampled) · (1 − x / max_i)⁺, with
 * P(i is the fastest) = C(n − 1 − i, d − 1) / C(n, d) over endpoints sorted by max. For d = 2 one
 * pick in 45 samples only the 500 ms and 1 s endpoints, which alone puts the p99 at ≥ 275 ms.
 */
export function towerDemoChoicesLatencyFloor(
  choices: number,
  quantile: number,
  maxLatenciesMs: readonly number[] = TOWER_DEMO_MAX_LATENCIES_MS,
): number {
  const sorted = [...maxLatenciesMs].sort((a, b) => a - b);
  const n = sorted.length;
  const d = Math.min(choices, n);
  const choose = (x: number, y: number): number => {
    if (y < 0 || y > x) return 0;
    let result = 1;
    for (let k = 1; k <= y; k++) result = (result * (x - y + k)) / k;
    return result;
  };
  const fastest = sorted.map((_, i) => choose(n - 1 - i, d - 1) / choose(n, d));
  const tail = (x: number) =>
    sorted.reduce((sum, max, i) => sum + fastest[i]! * Math.max(0, 1 - x / max), 0);
  let low = 0;
  let high = sorted[n - 1]!;
  for (let i = 0; i < 100; i++) {
    const middle = (low + high) / 2;
    if (tail(middle) > 1 - quantile) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
