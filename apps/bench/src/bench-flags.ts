/**
 * Every flag of the bench, as data: yargs builds the parser and `--help` from it, and the
 * evaluation README prints it as a table, so the documented flags are the real ones.
 * Flags without a yargs default fall back in resolveBenchOptions (so `--quick` can change them).
 */
import type { Options } from 'yargs';
import { DEFAULTS, EXPERIMENT_NAMES, ROUTING_STRATEGY_NAMES } from './bench-options.js';

export const BENCH_FLAG_GROUPS = {
  general: 'General',
  routing: 'Routing (1) and simulator (3)',
  hashing: 'Consistent hashing (A-1 … A-4)',
} as const;

type BenchFlag = Options & { group: (typeof BENCH_FLAG_GROUPS)[keyof typeof BENCH_FLAG_GROUPS] };

export const benchFlags = {
  quick: {
    type: 'boolean',
    describe: 'Smaller runs that finish in under 2 minutes (flags given explicitly still win)',
    group: BENCH_FLAG_GROUPS.general,
  },
  only: {
    type: 'string',
    array: true,
    choices: [...EXPERIMENT_NAMES],
    describe: 'Run only these experiments; the others keep their results from results.json',
    group: BENCH_FLAG_GROUPS.general,
  },
  out: {
    type: 'string',
    describe: 'Output directory (default: docs/evaluation/ of the repository)',
    group: BENCH_FLAG_GROUPS.general,
  },
  seed: {
    type: 'number',
    describe: `Seed of the balancers' strategies, the simulator and the payload (default ${DEFAULTS.seed})`,
    group: BENCH_FLAG_GROUPS.general,
  },
  'max-seconds': {
    type: 'number',
    describe: `Time bound of each measured run; no request starts after it (default ${DEFAULTS.maxSeconds})`,
    group: BENCH_FLAG_GROUPS.general,
  },
  regions: {
    type: 'string',
    array: true,
    describe: `Regions as NAME:MACHINES:LATENCY_MS (default ${DEFAULTS.regions.join(' ')})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  rate: {
    type: 'string',
    array: true,
    describe: `lb-server --rate per machine: one for all, one per machine in region order, or "none" (default ${DEFAULTS.rate})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  requests: {
    type: 'number',
    describe: `Requests per strategy (default ${DEFAULTS.requests.full}; --quick ${DEFAULTS.requests.quick})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  concurrency: {
    type: 'number',
    describe: `Requests in flight (closed loop) (default ${DEFAULTS.concurrency})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  'file-size': {
    type: 'string',
    describe: `Size of the file every request downloads (default ${DEFAULTS.fileSize})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  strategies: {
    type: 'string',
    array: true,
    choices: [...ROUTING_STRATEGY_NAMES],
    describe: 'Strategies to compare (default: all)',
    group: BENCH_FLAG_GROUPS.routing,
  },
  'probe-interval': {
    type: 'number',
    describe: `Seconds between the balancer's probes (default ${DEFAULTS.probeInterval})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  'sim-overhead-ms': {
    type: 'number',
    describe: `Simulator: fixed ms added to each round trip for the redirect hop and the loopback stack (default ${DEFAULTS.simOverheadMs})`,
    group: BENCH_FLAG_GROUPS.routing,
  },
  'hash-requests': {
    type: 'number',
    describe: `Distinct keys (= requests) per measurement (default ${DEFAULTS.hashRequests.full}; --quick ${DEFAULTS.hashRequests.quick})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  'hash-concurrency': {
    type: 'number',
    describe: `Requests in flight (default ${DEFAULTS.hashConcurrency})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  replicas: {
    type: 'number',
    describe: `Replicas of A-1 and A-3 (default ${DEFAULTS.replicas})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  'min-replicas': {
    type: 'number',
    describe: `A-2/A-4: smallest N (default ${DEFAULTS.minReplicas})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  'max-replicas': {
    type: 'number',
    describe: `A-2/A-4: largest N (default ${DEFAULTS.maxReplicas})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  'hash-variants': {
    type: 'string',
    array: true,
    describe: `HASH:VNODES of consistent-hash; the first is the baseline (default ${DEFAULTS.hashVariants.full.join(' ')}; --quick ${DEFAULTS.hashVariants.quick.join(' ')})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  kills: {
    type: 'number',
    describe: `A-3: replicas killed one after the other (default ${DEFAULTS.kills.full}; --quick ${DEFAULTS.kills.quick})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
  'failover-concurrency': {
    type: 'number',
    describe: `A-3: requests in flight during the kills (default ${DEFAULTS.failoverConcurrency})`,
    group: BENCH_FLAG_GROUPS.hashing,
  },
} as const satisfies Record<string, BenchFlag>;
