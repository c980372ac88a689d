/**
 * Every parameter of every experiment, resolved from the flags: a flag given wins, otherwise the
 * `--quick` default when `--quick` is on, otherwise the full default. Kept apart from yargs so the
 * rules (and the errors for bad values) are tested without a command line.
 */
import { BenchOptionError } from './bench-errors.js';
import { DEFAULT_OUT_DIR } from './repo-paths.js';

export const EXPERIMENT_NAMES = ['routing', 'simulator', 'hashing', 'failover'] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

export const ROUTING_STRATEGY_NAMES = [
  'uniform-random',
  'random-in-best-region',
  'fixed-machine',
  'rank-weighted',
  'inverse-time',
  'p2c-peak-ewma',
  'least-pending-p2c',
] as const;
export type RoutingStrategyName = (typeof ROUTING_STRATEGY_NAMES)[number];

export const HASH_FUNCTIONS = ['murmur3', 'fnv1a', 'sha256'] as const;
export type HashFunctionName = (typeof HASH_FUNCTIONS)[number];

export interface RegionSpec {
  name: string;
  machines: number;
  latencyMs: number;
}

export interface HashVariant {
  hash: HashFunctionName;
  vnodes: number;
}

export interface BenchOptions {
  outDir: string;
  quick: boolean;
  experiments: ExperimentName[];
  seed: number;
  routing: {
    regions: RegionSpec[];
    /** One lb-server rate per machine in region order (undefined: unthrottled, `--rate none`). */
    rates: string[] | undefined;
    requests: number;
    concurrency: number;
    fileSizeBytes: number;
    strategies: RoutingStrategyName[];
    probeIntervalSeconds: number;
    maxSeconds: number;
  };
  simulator: { overheadMs: number };
  hashing: {
    requests: number;
    concurrency: number;
    replicas: number;
    minReplicas: number;
    maxReplicas: number;
    /** The first is the baseline (A-1, A-2); the others are A-4's alternatives. */
    variants: HashVariant[];
    maxSeconds: number;
  };
  failover: { kills: number; concurrency: number; replicas: number };
}

/** What the command line may set; everything optional (undefined: use the default). */
export interface BenchFlags {
  out?: string;
  quick?: boolean;
  only?: string[];
  seed?: number;
  regions?: string[];
  rate?: string[];
  requests?: number;
  concurrency?: number;
  fileSize?: string;
  strategies?: string[];
  probeInterval?: number;
  maxSeconds?: number;
  simOverheadMs?: number;
  hashRequests?: number;
  hashConcurrency?: number;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  hashVariants?: string[];
  kills?: number;
  failoverConcurrency?: number;
}

/** The defaults, full and `--quick`; the help text and the README print these. */
export const DEFAULTS = {
  regions: ['A:3:10', 'B:2:60', 'C:1:150'],
  /**
   * Every machine throttled: with unlimited capacity per machine, a region's machine count could
   * not matter and one machine would serve any load as well as three.
   */
  rate: '4M',
  requests: { full: 2000, quick: 400 },
  concurrency: 8,
  fileSize: '64K',
  probeInterval: 2,
  maxSeconds: 180,
  simOverheadMs: 1,
  hashRequests: { full: 10_000, quick: 2000 },
  hashConcurrency: 128,
  replicas: 3,
  minReplicas: 2,
  maxReplicas: 6,
  hashVariants: {
    full: ['murmur3:160', 'fnv1a:160', 'murmur3:10', 'murmur3:1000'],
    quick: ['murmur3:160', 'fnv1a:160', 'murmur3:10'],
  },
  kills: { full: 3, quick: 1 },
  failoverConcurrency: 16,
  seed: 1,
} as const;

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BenchOptionError(`--${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function positive(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new BenchOptionError(
      `--${name} must be a number above 0 and at most ${max}, got ${value}`,
    );
  }
  return value;
}

const REGION = /^([A-Za-z0-9_-]{1,63}):(\d{1,2}):(\d{1,5})$/;

export function parseRegion(text: string): RegionSpec {
  const match = REGION.exec(text);
  if (match === null) {
    throw new BenchOptionError(
      `--regions: "${text}" is not NAME:MACHINES:LATENCY_MS (e.g. A:3:10; name of letters, digits, - or _)`,
    );
  }
  const machines = Number(match[2]);
  if (machines < 1) throw new BenchOptionError(`--regions: region ${match[1]} needs a machine`);
  return { name: match[1]!, machines, latencyMs: Number(match[3]) };
}

const SIZE = /^(\d+(?:\.\d+)?)([KMG]?)$/i;
const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `64K` → 65536 (binary units, like lb-server's `--rate`). */
export function parseByteSize(name: string, text: string): number {
  const match = SIZE.exec(text.trim());
  if (match === null)
    throw new BenchOptionError(`--${name}: "${text}" is not a size like 64K or 1M`);
  const bytes = Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!);
  if (bytes < 1 || bytes > 64 * 1024 ** 2) {
    throw new BenchOptionError(`--${name} must be from 1 byte to 64M, got ${text}`);
  }
  return bytes;
}

export function parseHashVariant(text: string): HashVariant {
  const [hash, vnodes, ...rest] = text.split(':');
  if (rest.length > 0 || !HASH_FUNCTIONS.includes(hash as HashFunctionName)) {
    throw new BenchOptionError(
      `--hash-variants: "${text}" is not HASH:VNODES with HASH one of ${HASH_FUNCTIONS.join(', ')}`,
    );
  }
  const count = Number(vnodes);
  return {
    hash: hash as HashFunctionName,
    vnodes: integer('hash-variants vnodes', count, 1, 10_000),
  };
}

function choose<T extends string>(
  name: string,
  values: readonly string[],
  allowed: readonly T[],
): T[] {
  const chosen: T[] = [];
  for (const value of values) {
    if (!allowed.includes(value as T)) {
      throw new BenchOptionError(
        `--${name}: unknown "${value}"; choose from ${allowed.join(', ')}`,
      );
    }
    if (!chosen.includes(value as T)) chosen.push(value as T);
  }
  return chosen;
}

export function resolveBenchOptions(flags: BenchFlags): BenchOptions {
  const quick = flags.quick === true;
  const pick = <T>(given: T | undefined, defaults: { full: T; quick: T }): T =>
    given ?? (quick ? defaults.quick : defaults.full);

  const regions = (flags.regions ?? [...DEFAULTS.regions]).map(parseRegion);
  if (regions.length === 0) throw new BenchOptionError('--regions needs at least one region');
  const names = new Set(regions.map((region) => region.name));
  if (names.size !== regions.length) throw new BenchOptionError('--regions: names must differ');
  const machineCount = regions.reduce((sum, region) => sum + region.machines, 0);
  let rates: string[] | undefined;
  const rateFlag =
    flags.rate === undefined || flags.rate.length === 0 ? [DEFAULTS.rate] : flags.rate;
  if (!(rateFlag.length === 1 && rateFlag[0] === 'none')) {
    for (const rate of rateFlag) parseByteSize('rate', rate);
    if (rateFlag.length === 1) rates = Array.from({ length: machineCount }, () => rateFlag[0]!);
    else if (rateFlag.length === machineCount) rates = [...rateFlag];
    else {
      throw new BenchOptionError(
        `--rate takes one value for every machine or one per machine (${machineCount}), got ${rateFlag.length}`,
      );
    }
  }

  const minReplicas = integer('min-replicas', flags.minReplicas ?? DEFAULTS.minReplicas, 1, 16);
  const maxReplicas = integer('max-replicas', flags.maxReplicas ?? DEFAULTS.maxReplicas, 1, 16);
  if (maxReplicas <= minReplicas) {
    throw new BenchOptionError('--max-replicas must be above --min-replicas');
  }
  const variants = pick(flags.hashVariants, {
    full: [...DEFAULTS.hashVariants.full],
    quick: [...DEFAULTS.hashVariants.quick],
  }).map(parseHashVariant);
  if (variants.length === 0) throw new BenchOptionError('--hash-variants needs at least one');

  return {
    outDir: flags.out ?? DEFAULT_OUT_DIR,
    quick,
    experiments:
      flags.only === undefined || flags.only.length === 0
        ? [...EXPERIMENT_NAMES]
        : choose('only', flags.only, EXPERIMENT_NAMES),
    seed: integer('seed', flags.seed ?? DEFAULTS.seed, 0, 2 ** 31 - 1),
    routing: {
      regions,
      rates,
      requests: integer('requests', pick(flags.requests, DEFAULTS.requests), 1, 1_000_000),
      concurrency: integer('concurrency', flags.concurrency ?? DEFAULTS.concurrency, 1, 1024),
      fileSizeBytes: parseByteSize('file-size', flags.fileSize ?? DEFAULTS.fileSize),
      strategies:
        flags.strategies === undefined
          ? [...ROUTING_STRATEGY_NAMES]
          : choose('strategies', flags.strategies, ROUTING_STRATEGY_NAMES),
      probeIntervalSeconds: positive(
        'probe-interval',
        flags.probeInterval ?? DEFAULTS.probeInterval,
        3600,
      ),
      maxSeconds: positive('max-seconds', flags.maxSeconds ?? DEFAULTS.maxSeconds, 86_400),
    },
    simulator: {
      overheadMs: (() => {
        const value = flags.simOverheadMs ?? DEFAULTS.simOverheadMs;
        if (!Number.isFinite(value) || value < 0 || value > 10_000) {
          throw new BenchOptionError(`--sim-overhead-ms must be from 0 to 10000, got ${value}`);
        }
        return value;
      })(),
    },
    hashing: {
      requests: integer(
        'hash-requests',
        pick(flags.hashRequests, DEFAULTS.hashRequests),
        1,
        1_000_000,
      ),
      concurrency: integer(
        'hash-concurrency',
        flags.hashConcurrency ?? DEFAULTS.hashConcurrency,
        1,
        1024,
      ),
      replicas: integer('replicas', flags.replicas ?? DEFAULTS.replicas, 1, 16),
      minReplicas,
      maxReplicas,
      variants,
      maxSeconds: positive('max-seconds', flags.maxSeconds ?? DEFAULTS.maxSeconds, 86_400),
    },
    failover: {
      kills: integer('kills', pick(flags.kills, DEFAULTS.kills), 1, 20),
      concurrency: integer(
        'failover-concurrency',
        flags.failoverConcurrency ?? DEFAULTS.failoverConcurrency,
        1,
        1024,
      ),
      replicas: integer('replicas', flags.replicas ?? DEFAULTS.replicas, 2, 16),
    },
  };
}

/** Region machines in order, labelled `A1, A2, …` (the machine number /r/<region>/<n> uses). */
export function machinesOf(regions: readonly RegionSpec[]): Array<{
  label: string;
  region: string;
  machine: number;
  latencyMs: number;
}> {
  return regions.flatMap((region) =>
    Array.from({ length: region.machines }, (_, index) => ({
      label: `${region.name}${index + 1}`,
      region: region.name,
      machine: index + 1,
      latencyMs: region.latencyMs,
    })),
  );
}
