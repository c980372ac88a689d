import type { SelectorConfig, SimulationConfig } from '../simulation-config.js';

/** Median service time of each server of {@link heterogeneousClusterScenario}, ms. */
export const HETEROGENEOUS_MEDIANS_MS: readonly number[] = [5, 5, 5, 10, 10, 10, 20, 20, 40, 80];

const SLOTS = 4;
const SIGMA = 0.5;

export interface HeterogeneousClusterScenarioOptions {
  readonly selector: SelectorConfig;
  /** Offered load as a fraction of the cluster's total capacity. Default 0.8. */
  readonly load?: number;
  /** Requests. Default 200 000. */
  readonly requests?: number;
  readonly seed?: number;
}

/** Requests per second the cluster can serve: Σ slots / mean service time. */
export function heterogeneousClusterCapacityPerSec(): number {
  // Mean of a log-normal = median · e^(σ²/2).
  const meanFactor = Math.exp((SIGMA * SIGMA) / 2);
  return HETEROGENEOUS_MEDIANS_MS.reduce(
    (sum, median) => sum + (SLOTS * 1000) / (median * meanFactor),
    0,
  );
}

/**
 * The oracle comparison: ten mirrors of mixed speed (log-normal service, medians 5–80 ms, 4 slots
 * each) under Poisson traffic at 80% of their combined capacity, probed every second. Unlike the
 * supermarket model the servers differ, so a balancer must learn who is fast; unlike tower's demo
 * the slots are few, so it must also avoid queues. The JSQ oracle sets the bar for the p99.
 */
export function heterogeneousClusterScenario(
  options: HeterogeneousClusterScenarioOptions,
): SimulationConfig {
  return {
    seed: options.seed ?? 1,
    servers: HETEROGENEOUS_MEDIANS_MS.map((medianMs) => ({
      serviceTime: { kind: 'lognormal', medianMs, sigma: SIGMA },
      concurrency: SLOTS,
    })),
    selector: options.selector,
    arrivals: {
      kind: 'poisson',
      ratePerSec: (options.load ?? 0.8) * heterogeneousClusterCapacityPerSec(),
      requests: options.requests ?? 200_000,
    },
    probes: { intervalMs: 1000 },
    warmupMs: 2000,
  };
}
