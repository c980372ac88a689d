import type { Strategy, StrategyDeps } from '../types.js';
import type { ArrivalProcess } from './arrival-process.js';
import type { HashKeyDistribution } from './hash-key-distribution.js';
import type { ServiceTimeDistribution } from './service-time-distribution.js';

/**
 * Everything a simulation needs. All times are virtual milliseconds from 0; rates are per second.
 * Fields marked optional show their default.
 */
export interface SimulationConfig {
  /** Seed of every random stream in the run (service times, arrivals, keys, the strategy). Default 1. */
  readonly seed?: number;
  /** The servers behind the balancer, at least one. Their ids must be unique. */
  readonly servers: readonly SimulatedServerConfig[];
  /** Who picks the server for each request: a registered strategy or the JSQ oracle. */
  readonly selector: SelectorConfig;
  /** When requests arrive. */
  readonly arrivals: ArrivalProcess;
  /** Hash key per request (`PickContext.hashKey`), for the hashing strategies. Default: no key. */
  readonly hashKeys?: HashKeyDistribution;
  /**
   * The client gives up after this long: the request counts as timed out with latency exactly
   * `requestTimeoutMs`, and the strategy's `done` sees `ok: false` then. Default: no timeout.
   * Required when a server goes down in `'black-hole'` mode (its requests would never end).
   */
  readonly requestTimeoutMs?: number;
  /** Periodic probes fed to `strategy.observe`, like the balancer's prober. Default: no probes. */
  readonly probes?: ProbeConfig;
  /**
   * Requests that arrive before this time are simulated but left out of every statistic (latencies,
   * counts, per-server counts), so a queue that starts empty does not flatter the result. Default 0.
   */
  readonly warmupMs?: number;
  /** Width of the buckets of `SimulationResult.traffic`. Default 1000. */
  readonly trafficBucketMs?: number;
}

/** One simulated server. */
export interface SimulatedServerConfig {
  /** Endpoint id the strategy sees. Default `s<index>` (`s0`, `s1`, …). */
  readonly id?: string;
  /** `Endpoint.weight` given to the strategy (0 = drained: strategies never pick it). Default 1. */
  readonly weight?: number;
  /** `Endpoint.region` given to the strategy. Default: none. */
  readonly region?: string;
  /** How long one request takes once a service slot is free. */
  readonly serviceTime: ServiceTimeDistribution;
  /**
   * Parallel service slots; requests beyond them wait in a FIFO queue. `Infinity` means no queueing.
   * Default 1 (the single-server queue of queueing theory).
   */
  readonly concurrency?: number;
  /**
   * Network round trip added to every request and probe, half on the way in and half on the way back
   * (e.g. a server in a far region). Default 0.
   */
  readonly rttMs?: number;
  /** Scheduled failures and slow-downs. Default none. */
  readonly disruptions?: readonly ServerDisruption[];
}

/**
 * Something that happens to a server during [`fromMs`, `untilMs`). Windows of the same kind on the same
 * server must not overlap, except `'slow'` ones, whose factors multiply.
 */
export type ServerDisruption =
  /**
   * The server is down. `'fail-fast'` (default): requests — those arriving and those it holds when it
   * goes down — fail after the network delay, like a refused or reset connection. `'black-hole'`: they
   * get no answer and end at the client's `requestTimeoutMs`.
   */
  | {
      readonly kind: 'down';
      readonly fromMs: number;
      readonly untilMs: number;
      readonly mode?: 'fail-fast' | 'black-hole';
    }
  /** Requests that start service in the window take `factor` times their drawn service time. */
  | {
      readonly kind: 'slow';
      readonly fromMs: number;
      readonly untilMs: number;
      readonly factor: number;
    }
  /** Requests that start service in the window take exactly `latencyMs` (a wedged server). */
  | {
      readonly kind: 'pinned';
      readonly fromMs: number;
      readonly untilMs: number;
      readonly latencyMs: number;
    };

/** Picks the server for each request. */
export type SelectorConfig =
  /** A strategy from the `@lb/ranking` registry, by name, with its options (default `{}`). */
  | {
      readonly kind: 'strategy';
      readonly name: string;
      readonly options?: Readonly<Record<string, unknown>>;
    }
  /**
   * A strategy built by `create` — one outside the registry, or a registry strategy wrapped by the
   * caller. `create` receives the run's seeded random source and must return a strategy with no
   * endpoints; the simulator calls `setEndpoints` with the servers.
   */
  | { readonly kind: 'factory'; readonly create: (deps: StrategyDeps) => Strategy }
  /**
   * Join-shortest-queue oracle, a simulator-only baseline: it sees every server's true number of
   * outstanding requests (in transit, queued or in service) and whether it is down, and picks the
   * smallest (ties at random). No real balancer can know this; it bounds what queue-aware strategies
   * can hope for.
   */
  | { readonly kind: 'jsq-oracle' };

/** Periodic probing of every server. */
export interface ProbeConfig {
  /** A probe of every server each `intervalMs`, the first at time 0. */
  readonly intervalMs: number;
  /**
   * A probe measures the server's current service time (with slow-downs applied, without queueing: a
   * prober's small transfer should not wait behind the requests it is judging) plus its round trip, and
   * reports it as a probe `Sample` transferring `bytes`. Default 65536.
   */
  readonly bytes?: number;
  /** A probe that would take longer, or hits a down server, reports `ok: false`. Default `intervalMs`. */
  readonly timeoutMs?: number;
}
