/**
 * The strategies of the routing experiment, as data: which balancer strategy serves the requests
 * and which of the balancer's URL shapes the "command unit" uses. The URL shapes mirror a router's
 * three endpoints:
 *
 *   any machine of any region     /<path>                  (the balancer's --strategy decides)
 *   any machine of region R       /r/<R>/<path>            (the strategy, restricted to R)
 *   machine M of region R         /r/<R>/<M>/<path>        (no choice left)
 */
import type { RoutingStrategyName } from '../../bench-options.js';

export type RouteScope = 'any' | 'best-region' | 'best-region-first-machine';

export interface RoutingStrategy {
  name: RoutingStrategyName;
  /** `--strategy` of the balancer the requests go through. */
  balancerStrategy: string;
  scope: RouteScope;
  /** One line for tables and the README. */
  description: string;
}

export const ROUTING_STRATEGIES: Readonly<Record<RoutingStrategyName, RoutingStrategy>> = {
  'uniform-random': {
    name: 'uniform-random',
    balancerStrategy: 'random',
    scope: 'any',
    description: 'uniformly random over every machine of every region',
  },
  'random-in-best-region': {
    name: 'random-in-best-region',
    balancerStrategy: 'random',
    scope: 'best-region',
    description: 'uniformly random within the region with the fastest probes',
  },
  'fixed-machine': {
    name: 'fixed-machine',
    balancerStrategy: 'random',
    scope: 'best-region-first-machine',
    description: 'always machine 1 of the best region',
  },
  'rank-weighted': {
    name: 'rank-weighted',
    balancerStrategy: 'rank-weighted',
    scope: 'any',
    description: 'P ∝ rank of the probed transfer time (slowest rank 1)',
  },
  'inverse-time': {
    name: 'inverse-time',
    balancerStrategy: 'inverse-time',
    scope: 'any',
    description: 'P ∝ measured speed (bytes/s of the probe)',
  },
  'p2c-peak-ewma': {
    name: 'p2c-peak-ewma',
    balancerStrategy: 'p2c-peak-ewma',
    scope: 'any',
    description: 'power of two choices on peak-EWMA latency × (pending + 1)',
  },
  'least-pending-p2c': {
    name: 'least-pending-p2c',
    balancerStrategy: 'least-pending-p2c',
    scope: 'any',
    description: 'power of two choices on requests in flight',
  },
};

/** The request path for a strategy's scope, e.g. `/r/A/1/payload.bin`. */
export function routePath(scope: RouteScope, bestRegion: string, file: string): string {
  switch (scope) {
    case 'any':
      return `/${file}`;
    case 'best-region':
      return `/r/${bestRegion}/${file}`;
    case 'best-region-first-machine':
      return `/r/${bestRegion}/1/${file}`;
  }
}

/**
 * The region whose machines had the lowest median probe time in the balancer's report: how a
 * command unit that only sees /rep would choose. Ties go to the first region listed.
 */
export function bestRegionByProbes(
  servers: ReadonlyArray<{
    region: string | null;
    lastProbe: { ok: boolean; totalMs: number } | null;
  }>,
): string | undefined {
  const byRegion = new Map<string, number[]>();
  for (const server of servers) {
    if (server.region === null || !server.lastProbe?.ok) continue;
    const times = byRegion.get(server.region) ?? [];
    times.push(server.lastProbe.totalMs);
    byRegion.set(server.region, times);
  }
  let best: { region: string; median: number } | undefined;
  for (const [region, times] of byRegion) {
    times.sort((a, b) => a - b);
    const median = times[Math.floor((times.length - 1) / 2)]!;
    if (best === undefined || median < best.median) best = { region, median };
  }
  return best?.region;
}
