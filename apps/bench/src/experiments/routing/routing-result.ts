/** What the routing experiment measured; stored in results.json and rendered into tables/plots. */
import type { RegionSpec, RoutingStrategyName } from '../../bench-options.js';
import type { RunAggregate } from '../../stats/aggregate-requests.js';
import type { CdfPoint } from '../../stats/empirical-cdf.js';

export interface RoutingMachine {
  /** `A1`, `B2`, … (region name + machine number within the region). */
  label: string;
  region: string;
  machine: number;
  latencyMs: number;
  rate: string | null;
}

export interface RoutingRun {
  strategy: RoutingStrategyName;
  balancerStrategy: string;
  /** The request path used, e.g. `/r/A/payload.bin`. */
  path: string;
  /** Per-server counts keyed by machine label. */
  aggregate: RunAggregate;
  cdf: CdfPoint[];
  /** 301s per machine label as the client received them (failed requests included). */
  clientRedirects: Record<string, number>;
  /** Redirects per machine label as the balancer's /rep counted them during this run. */
  balancerRedirects: Record<string, number>;
  stoppedByTime: boolean;
  durationMs: number;
}

export interface RoutingResult {
  parameters: {
    regions: RegionSpec[];
    requests: number;
    concurrency: number;
    fileSizeBytes: number;
    probeIntervalSeconds: number;
    seed: number;
  };
  machines: RoutingMachine[];
  bestRegion: string;
  runs: RoutingRun[];
}
