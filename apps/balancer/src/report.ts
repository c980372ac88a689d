/**
 * The JSON document of `GET /rep`: every server with its state, last probe figures, weight, share
 * and redirect count. The status page renders exactly this, so what an operator sees in the browser
 * and what a script reads are the same numbers.
 */
import type { ProbeResult } from '@lb/probe';
import type { PoolServer, ServerPool, ServerState } from './server-pool.js';

export interface ProbeReport {
  ok: boolean;
  /** ISO-8601 time of the probe. */
  at: string;
  totalMs: number;
  connectMs?: number;
  ttfbMs?: number;
  bytes?: number;
  bytesPerSec?: number;
  status?: number;
  error?: { code: string; message: string };
}

export interface ServerReport {
  id: string;
  url: string;
  state: ServerState;
  /** 1-based rank among live servers (fastest first); null when not live. */
  rank: number | null;
  region: string | null;
  machine: number | null;
  weight: number;
  /** Expected share of traffic in [0, 1]; 0 when not live. */
  share: number;
  redirects: number;
  /** Process id when the balancer manages this server as a replica; null otherwise. */
  pid: number | null;
  lastProbe: ProbeReport | null;
}

export interface BalancerReport {
  strategy: string;
  /** Client URL, `http://HOST:PORT`; null before the client port listens. */
  listening: string | null;
  /** `rounds`: performance tests completed since start (the first one included). */
  probe: { path: string; intervalSeconds: number; readmit: boolean; rounds: number };
  /** `standbyPid`: the warm standby that replaces a dead replica at once (null when none is ready). */
  replicas: { managed: boolean; root: string | null; count: number; standbyPid: number | null };
  totals: { servers: number; up: number; redirects: number; responses: Record<string, number> };
  servers: ServerReport[];
}

export interface ReportContext {
  strategy: string;
  listening: string | null;
  probePath: string;
  probeIntervalSeconds: number;
  readmit: boolean;
  probeRounds: number;
  replicaRoot: string | null;
  standbyPid: number | null;
  statusCounts: ReadonlyMap<number, number>;
}

function round(value: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

function probeReport(result: ProbeResult | undefined, at: number | undefined): ProbeReport | null {
  if (result === undefined || at === undefined) return null;
  const iso = new Date(at).toISOString();
  if (result.ok) {
    return {
      ok: true,
      at: iso,
      totalMs: round(result.totalMs),
      connectMs: round(result.connectMs),
      ttfbMs: round(result.ttfbMs),
      bytes: result.bytes,
      bytesPerSec: Math.round(result.bytesPerSec),
      status: result.status,
    };
  }
  const failed: ProbeReport = {
    ok: false,
    at: iso,
    totalMs: round(result.totalMs),
    error: result.error,
  };
  if (result.status !== undefined) failed.status = result.status;
  return failed;
}

function serverReport(server: PoolServer, rank: number, share: number): ServerReport {
  return {
    id: server.id,
    url: server.origin,
    state: server.state,
    rank: rank < 0 ? null : rank + 1,
    region: server.spec.region ?? null,
    machine: server.machine ?? null,
    weight: server.spec.weight,
    share: round(share, 6),
    redirects: server.redirects,
    pid: server.replicaPid ?? null,
    lastProbe: probeReport(server.lastProbe, server.lastProbeAt),
  };
}

export function buildReport(pool: ServerPool, context: ReportContext): BalancerReport {
  const shares = pool.shares();
  const ranked = pool.ranked();
  const servers = pool
    .all()
    .map((server) => serverReport(server, ranked.indexOf(server), shares.get(server.id) ?? 0));
  const responses: Record<string, number> = {};
  for (const [status, count] of [...context.statusCounts].sort((a, b) => a[0] - b[0])) {
    responses[String(status)] = count;
  }
  return {
    strategy: context.strategy,
    listening: context.listening,
    probe: {
      path: context.probePath,
      intervalSeconds: context.probeIntervalSeconds,
      readmit: context.readmit,
      rounds: context.probeRounds,
    },
    replicas: {
      managed: context.replicaRoot !== null,
      root: context.replicaRoot,
      count: servers.filter((server) => server.pid !== null).length,
      standbyPid: context.standbyPid,
    },
    totals: {
      servers: servers.length,
      up: ranked.length,
      redirects: servers.reduce((sum, server) => sum + server.redirects, 0),
      responses,
    },
    servers,
  };
}
