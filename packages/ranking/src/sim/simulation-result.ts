import type { LatencySummary } from './latency-summary.js';
import type { TrafficBucket } from './traffic-recorder.js';

/** How a measured request ended; the values of `SimulationResult.outcomes`. */
export const RequestOutcomeCode = {
  /** Answered by its server. */
  succeeded: 0,
  /** Its server was down (fail-fast) or went down while holding it. */
  failed: 1,
  /** No answer within `requestTimeoutMs`. */
  timedOut: 2,
  /** The selector found no usable server (`PickResult.ok === false`); ends at once with latency 0. */
  unrouted: 3,
} as const;
export type RequestOutcomeCode = (typeof RequestOutcomeCode)[keyof typeof RequestOutcomeCode];

/** Requests per outcome; `measured` is their sum. */
export interface OutcomeCounts {
  readonly measured: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly unrouted: number;
}

/** What happened to the measured requests routed to one server. */
export interface ServerCounts {
  readonly id: string;
  readonly requests: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
}

/**
 * Outcome of {@link simulate}. "Measured" requests are those that arrived at or after `warmupMs`; the
 * latency and count fields cover only them, the traffic series covers every request.
 */
export interface SimulationResult {
  /** Server ids, in config order; the order of `perServer` and of every `TrafficBucket.shares`. */
  readonly serverIds: readonly string[];
  /** Requests simulated, warm-up included. */
  readonly totalRequests: number;
  /**
   * Latency (ms) of each measured request in arrival order, from its pick to its outcome reaching the
   * client: a timeout counts as exactly `requestTimeoutMs`, an unrouted request as 0.
   */
  readonly latenciesMs: Float64Array;
  /** {@link RequestOutcomeCode} of each measured request, parallel to `latenciesMs`. */
  readonly outcomes: Uint8Array;
  readonly counts: OutcomeCounts;
  /** `succeeded / measured` (NaN when nothing was measured). */
  readonly successRate: number;
  /** Summary of `latenciesMs` — every measured request, failed ones included. */
  readonly latency: LatencySummary;
  /** Summary of the latencies of the measured requests that succeeded. */
  readonly successLatency: LatencySummary;
  readonly perServer: readonly ServerCounts[];
  /** Routing decisions per `trafficBucketMs` bucket, from time 0 to the last arrival. */
  readonly traffic: { readonly bucketMs: number; readonly buckets: readonly TrafficBucket[] };
  /** Virtual time (ms) at which the last request ended. */
  readonly endTimeMs: number;
  /** Events the loop processed (a cost measure for benchmarks). */
  readonly events: number;
}
