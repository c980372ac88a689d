import type { SelectorConfig, SimulationConfig } from '../simulation-config.js';

export interface SupermarketScenarioOptions {
  readonly selector: SelectorConfig;
  /** Servers. Default 100. */
  readonly servers?: number;
  /** Arrival rate per server in units of the service rate (utilisation). Default 0.9. */
  readonly load?: number;
  /** Requests simulated. Default 2 000 000. */
  readonly requests?: number;
  /**
   * Excluded start, ms (in mean service times, since service has mean 1 ms). At load 0.9 an M/M/1
   * queue needs a few hundred service times to forget that it started empty. Default 1000.
   */
  readonly warmupMs?: number;
  readonly seed?: number;
}

/**
 * The textbook validation: `servers` single-slot queues with exponential service time of mean 1 ms,
 * Poisson arrivals at `load` per server. Random routing makes each server an M/M/1 queue (mean
 * sojourn 1/(1−load)); two choices give the supermarket model (see `supermarketMeanSojourn`).
 */
export function supermarketScenario(options: SupermarketScenarioOptions): SimulationConfig {
  const servers = options.servers ?? 100;
  const load = options.load ?? 0.9;
  return {
    seed: options.seed ?? 1,
    servers: Array.from({ length: servers }, () => ({
      serviceTime: { kind: 'exponential', meanMs: 1 },
    })),
    selector: options.selector,
    arrivals: {
      kind: 'poisson',
      ratePerSec: load * servers * 1000,
      requests: options.requests ?? 2_000_000,
    },
    warmupMs: options.warmupMs ?? 1000,
  };
}
