import type { SelectorConfig, SimulationConfig } from '../simulation-config.js';

export interface PinnedSlowServerScenarioOptions {
  readonly selector: SelectorConfig;
  /** Length of the run, ms. Default 60 000. */
  readonly durationMs?: number;
  /** When the slow server gets pinned, and for how long. Defaults 15 000 and 30 000. */
  readonly pinnedFromMs?: number;
  readonly pinnedForMs?: number;
  readonly seed?: number;
}

/** Servers, offered rate and the pinned latency of {@link pinnedSlowServerScenario}. */
export const PINNED_SCENARIO = {
  servers: 11,
  ratePerSec: 1000,
  pinnedLatencyMs: 2000,
  requestTimeoutMs: 1000,
} as const;

/**
 * Eleven servers (log-normal service, median 10 ms, 16 slots each) take 1000 requests/s; for 30 s
 * one of them (`s0`) answers every request in exactly 2 s, beyond the clients' 1 s timeout. Probes
 * run every second with a 1 s timeout, as the balancer's prober would. Shows how fast each strategy
 * stops feeding the wedged server: its success rate and p99.9 under the timeout.
 */
export function pinnedSlowServerScenario(
  options: PinnedSlowServerScenarioOptions,
): SimulationConfig {
  const durationMs = options.durationMs ?? 60_000;
  const fromMs = options.pinnedFromMs ?? 15_000;
  const untilMs = fromMs + (options.pinnedForMs ?? 30_000);
  return {
    seed: options.seed ?? 1,
    servers: Array.from({ length: PINNED_SCENARIO.servers }, (_, i) => ({
      serviceTime: { kind: 'lognormal', medianMs: 10, sigma: 0.5 },
      concurrency: 16,
      ...(i === 0
        ? {
            disruptions: [
              { kind: 'pinned', fromMs, untilMs, latencyMs: PINNED_SCENARIO.pinnedLatencyMs },
            ],
          }
        : {}),
    })),
    selector: options.selector,
    arrivals: {
      kind: 'poisson',
      ratePerSec: PINNED_SCENARIO.ratePerSec,
      requests: Math.round((PINNED_SCENARIO.ratePerSec * durationMs) / 1000),
    },
    requestTimeoutMs: PINNED_SCENARIO.requestTimeoutMs,
    probes: { intervalMs: 1000, timeoutMs: 1000 },
  };
}
