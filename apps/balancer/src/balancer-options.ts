/**
 * Everything a balancer needs to run, as plain data: what `cli.ts` produces from flags and what
 * tests build directly. Durations are milliseconds here (flags are seconds).
 */
import type { ServerSpec } from './server-spec.js';

export interface ProbeSettings {
  /** Path of the test file fetched from every server, e.g. `/test.jpg`. */
  path: string;
  /** Time between the starts of two performance tests. */
  intervalMs: number;
  /** Deadline of one transfer (connect to last byte). */
  timeoutMs: number;
  /** Transfers per probe; the median one is reported. */
  samples: number;
  /** Servers probed at the same time. */
  concurrency: number;
  /** Good probes in a row that bring a down server back (with `readmit`). */
  rise: number;
  /** Failed probes in a row that take a live server out. */
  fall: number;
  /** Keep probing failed servers and readmit them; without it a failed server is dropped for good. */
  readmit: boolean;
}

export interface AdminSettings {
  host: string;
  port: number;
  /** Bearer token required on every admin endpoint but the status page. */
  token: string | undefined;
}

export interface ReplicaSettings {
  /** lb-server processes to start. */
  count: number;
  /** Directory they serve. */
  root: string;
}

export interface BalancerOptions {
  servers: readonly ServerSpec[];
  host: string;
  port: number;
  strategy: string;
  strategyOptions: Readonly<Record<string, string>>;
  /** Seed of the strategy's random source; random when undefined. */
  seed: number | undefined;
  probe: ProbeSettings;
  /** A keep-alive connection with no request for this long is closed. */
  idleTimeoutMs: number;
  /** A request must arrive completely within this long once it starts (else 408). */
  requestTimeoutMs: number;
  admin: AdminSettings | undefined;
  replicas: ReplicaSettings | undefined;
}
