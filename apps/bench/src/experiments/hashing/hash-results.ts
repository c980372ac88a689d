/** What the consistent-hashing experiments measured (results.json, tables, plots). */
import type { HashVariant } from '../../bench-options.js';
import type { LoadBalance } from '../../stats/load-balance.js';

export interface ReplicaCount {
  label: string;
  /** Counted by the server itself, from its request log (2xx key requests). */
  servers: number;
  /** 301s pointing at it, counted by the client. */
  client: number;
  /** Its redirect counter in the balancer's /rep (difference over the run). */
  balancer: number;
}

export interface HashA1Result {
  variant: HashVariant;
  requests: number;
  concurrency: number;
  succeeded: number;
  failed: number;
  durationMs: number;
  replicas: ReplicaCount[];
  balance: LoadBalance;
  /** True when the three counts agree for every replica. */
  countsAgree: boolean;
}

export interface MembershipStep {
  /** Replicas in the pool during this step. */
  replicas: string[];
  /** Requests per replica label (client-counted 301 Locations), every member listed. */
  counts: Record<string, number>;
  /** The same from /rep redirect counters. */
  balancerCounts: Record<string, number>;
  balance: LoadBalance;
  failed: number;
}

export interface MembershipChange {
  /** e.g. `2→3 (+h3)`. */
  label: string;
  from: number;
  to: number;
  kind: 'add' | 'remove';
  replica: string;
  moved: number;
  compared: number;
  share: number;
  ideal: number;
  /** Keys that moved from one surviving replica to another (minimal disruption: none). */
  movedBetweenSurvivors: number;
}

export interface HashScalingVariantResult {
  variant: HashVariant;
  /** Growing from min to max replicas, then shrinking by removing the oldest. */
  steps: MembershipStep[];
  changes: MembershipChange[];
}

export interface HashScalingResult {
  requests: number;
  concurrency: number;
  variants: HashScalingVariantResult[];
}

export interface FailoverTrial {
  victim: string;
  victimPid: number;
  replacement: string | null;
  /** ms from the kill until /rep no longer listed the victim (the balancer had noticed). */
  goneAfterMs: number | null;
  /** ms from the kill until /rep listed the replacement as up. */
  upAfterMs: number | null;
  /** ms from the kill until a request served by the replacement completed. */
  servedAfterMs: number | null;
  /** ms from the kill until the last 301 pointing at the victim reached the client. */
  lastRedirectAfterMs: number | null;
  /** Failed requests that had been redirected to the victim before the kill (in flight on it). */
  lostInFlight: number;
  /** Failed requests redirected to the victim after the kill, before /rep showed it gone. */
  lostInDetectionWindow: number;
  /** Failed requests redirected to the victim after /rep showed it gone (should be none). */
  lostAfterDetection: number;
  /** Failures by error code, e.g. `LB_WIRE_CONNECT_FAILED` (refused) or `LB_WIRE_PREMATURE_CLOSE`. */
  failures: Record<string, number>;
  /** Failed requests on any other replica (should be none). */
  lostElsewhere: number;
  /** Requests that finished in the window [kill, kill + window]. */
  completedInWindow: number;
}

export interface AdminCheck {
  call: string;
  status: string;
  effect: string;
}

export interface HashA3Result {
  replicas: number;
  concurrency: number;
  adminChecks: AdminCheck[];
  trials: FailoverTrial[];
  totalRequests: number;
  totalFailed: number;
  /**
   * Control: ms from SIGKILL of a plain lb-server child until the bench saw its exit — the part of
   * the detection time that is the operating system tearing a Node process down, not the balancer.
   */
  exitNoticeMs: number | null;
  /** Requests per 100 ms bucket around the first kill, by outcome. */
  timeline: Array<{ atMs: number; outcome: 'ok' | 'failed'; count: number }>;
  timelineMarkers: Array<{ atMs: number; label: string }>;
}
