import type { SimulationConfig } from '../simulation-config.js';

export interface ServerOutageScenarioOptions {
  /** Registry strategy under test, and its options. */
  readonly name: string;
  readonly options?: Readonly<Record<string, unknown>>;
  /** How s0 is down: refusing at once (default) or swallowing requests until the timeout. */
  readonly mode?: 'fail-fast' | 'black-hole';
  /** Probes every second (default true). */
  readonly probes?: boolean;
  /** Default 8000 (40 s at 200 req/s). */
  readonly requests?: number;
}

/**
 * Five servers (log-normal service, median 20 ms, σ 0.3, 8 slots) take Poisson 200 requests/s;
 * s0 is down from 10 s to 20 s; 1 s client timeout; 250 ms traffic buckets. Shows how fast a
 * strategy stops feeding a dead server and how fast it gives it traffic again.
 */
export function serverOutageScenario(scenario: ServerOutageScenarioOptions): SimulationConfig {
  const { name, options = {}, mode = 'fail-fast', probes = true, requests = 8000 } = scenario;
  return {
    servers: Array.from({ length: 5 }, (_, i) => ({
      serviceTime: { kind: 'lognormal', medianMs: 20, sigma: 0.3 },
      concurrency: 8,
      ...(i === 0
        ? { disruptions: [{ kind: 'down', mode, fromMs: 10_000, untilMs: 20_000 }] }
        : {}),
    })),
    selector: { kind: 'strategy', name, options },
    arrivals: { kind: 'poisson', ratePerSec: 200, requests },
    ...(probes ? { probes: { intervalMs: 1000 } } : {}),
    requestTimeoutMs: 1000,
    trafficBucketMs: 250,
  };
}
