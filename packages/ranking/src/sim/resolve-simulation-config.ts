import { SimulationConfigError } from '../errors.js';
import { listStrategies } from '../registry.js';
import type { Strategy, StrategyDeps } from '../types.js';
import { type ArrivalProcess, validateArrivalProcess } from './arrival-process.js';
import {
  requireFiniteAtLeast,
  requireIntegerOrInfinity,
  requireKind,
  requireObject,
  requirePositive,
} from './config-checks.js';
import { type HashKeyDistribution, validateHashKeyDistribution } from './hash-key-distribution.js';
import {
  type ServiceTimeDistribution,
  validateServiceTimeDistribution,
} from './service-time-distribution.js';
import type { SelectorConfig, ServerDisruption, SimulationConfig } from './simulation-config.js';

/** A {@link SimulationConfig} checked and with every default filled in. */
export interface ResolvedSimulationConfig {
  readonly seed: number;
  readonly servers: readonly ResolvedServerConfig[];
  readonly selector: SelectorConfig;
  readonly arrivals: ArrivalProcess;
  readonly hashKeys: HashKeyDistribution | undefined;
  readonly requestTimeoutMs: number;
  readonly probes: { intervalMs: number; bytes: number; timeoutMs: number } | undefined;
  readonly warmupMs: number;
  readonly trafficBucketMs: number;
}

export interface ResolvedServerConfig {
  readonly id: string;
  readonly weight: number;
  readonly region: string | undefined;
  readonly serviceTime: ServiceTimeDistribution;
  readonly concurrency: number;
  readonly rttMs: number;
  readonly disruptions: readonly ServerDisruption[];
}

/**
 * Validates `config` and fills in defaults. Throws `SimulationConfigError` (code `LB_RANKING_SIM_CONFIG`,
 * `field` = path of the offending field) on the first problem found.
 */
export function resolveSimulationConfig(config: SimulationConfig): ResolvedSimulationConfig {
  const root = requireObject(config, 'config');
  const seed = root['seed'] ?? 1;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new SimulationConfigError('seed', `must be a safe integer (got ${String(seed)})`);
  }
  const requestTimeoutMs =
    root['requestTimeoutMs'] === undefined
      ? Number.POSITIVE_INFINITY
      : requirePositive(root['requestTimeoutMs'], 'requestTimeoutMs');
  const servers = resolveServers(root['servers'], requestTimeoutMs);
  const selector = resolveSelector(root['selector']);
  const arrivals = validateArrivalProcess(root['arrivals'], 'arrivals');
  const hashKeys =
    root['hashKeys'] === undefined
      ? undefined
      : validateHashKeyDistribution(root['hashKeys'], 'hashKeys');
  const warmupMs =
    root['warmupMs'] === undefined ? 0 : requireFiniteAtLeast(root['warmupMs'], 0, 'warmupMs');
  const trafficBucketMs =
    root['trafficBucketMs'] === undefined
      ? 1000
      : requirePositive(root['trafficBucketMs'], 'trafficBucketMs');
  return {
    seed,
    servers,
    selector,
    arrivals,
    hashKeys,
    requestTimeoutMs,
    probes: resolveProbes(root['probes']),
    warmupMs,
    trafficBucketMs,
  };
}

function resolveServers(value: unknown, requestTimeoutMs: number): ResolvedServerConfig[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new SimulationConfigError('servers', 'must be a non-empty array');
  }
  const seen = new Set<string>();
  return value.map((raw, index): ResolvedServerConfig => {
    const path = `servers[${index}]`;
    const server = requireObject(raw, path);
    const id = server['id'] ?? `s${index}`;
    if (typeof id !== 'string' || id.length === 0) {
      throw new SimulationConfigError(`${path}.id`, 'must be a non-empty string');
    }
    if (seen.has(id)) throw new SimulationConfigError(`${path}.id`, `duplicate server id '${id}'`);
    seen.add(id);
    const region = server['region'];
    if (region !== undefined && typeof region !== 'string') {
      throw new SimulationConfigError(`${path}.region`, 'must be a string');
    }
    return {
      id,
      weight:
        server['weight'] === undefined
          ? 1
          : requireFiniteAtLeast(server['weight'], 0, `${path}.weight`),
      region,
      serviceTime: validateServiceTimeDistribution(server['serviceTime'], `${path}.serviceTime`),
      concurrency:
        server['concurrency'] === undefined
          ? 1
          : requireIntegerOrInfinity(server['concurrency'], 1, `${path}.concurrency`),
      rttMs:
        server['rttMs'] === undefined
          ? 0
          : requireFiniteAtLeast(server['rttMs'], 0, `${path}.rttMs`),
      disruptions: resolveDisruptions(
        server['disruptions'],
        `${path}.disruptions`,
        requestTimeoutMs,
      ),
    };
  });
}

const DISRUPTION_KINDS = ['down', 'slow', 'pinned'] as const;

function resolveDisruptions(
  value: unknown,
  path: string,
  requestTimeoutMs: number,
): ServerDisruption[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new SimulationConfigError(path, 'must be an array');
  const resolved = value.map((raw, index) =>
    resolveDisruption(raw, `${path}[${index}]`, requestTimeoutMs),
  );
  // Overlapping 'down' windows would leave the mode ambiguous, overlapping 'pinned' ones the latency.
  for (const kind of ['down', 'pinned'] as const) {
    const windows = resolved
      .map((d, index) => ({ d, index }))
      .filter(({ d }) => d.kind === kind)
      .sort((a, b) => a.d.fromMs - b.d.fromMs);
    for (let i = 1; i < windows.length; i++) {
      if (windows[i]!.d.fromMs < windows[i - 1]!.d.untilMs) {
        throw new SimulationConfigError(
          `${path}[${windows[i]!.index}]`,
          `overlaps another '${kind}' window of the same server`,
        );
      }
    }
  }
  return resolved;
}

function resolveDisruption(
  raw: unknown,
  itemPath: string,
  requestTimeoutMs: number,
): ServerDisruption {
  const { kind, fields: item } = requireKind(raw, DISRUPTION_KINDS, itemPath);
  const fromMs = requireFiniteAtLeast(item['fromMs'], 0, `${itemPath}.fromMs`);
  const untilMs = requireFiniteAtLeast(item['untilMs'], 0, `${itemPath}.untilMs`);
  if (untilMs <= fromMs) {
    throw new SimulationConfigError(`${itemPath}.untilMs`, 'must be greater than fromMs');
  }
  switch (kind) {
    case 'down': {
      const mode = item['mode'] ?? 'fail-fast';
      if (mode !== 'fail-fast' && mode !== 'black-hole') {
        throw new SimulationConfigError(
          `${itemPath}.mode`,
          `must be 'fail-fast' or 'black-hole' (got ${String(mode)})`,
        );
      }
      if (mode === 'black-hole' && !Number.isFinite(requestTimeoutMs)) {
        // Without a client timeout a black-holed request never ends and the run cannot finish.
        throw new SimulationConfigError(
          `${itemPath}.mode`,
          "'black-hole' needs requestTimeoutMs to be set",
        );
      }
      return { kind, fromMs, untilMs, mode };
    }
    case 'slow':
      return {
        kind,
        fromMs,
        untilMs,
        factor: requirePositive(item['factor'], `${itemPath}.factor`),
      };
    case 'pinned':
      return {
        kind,
        fromMs,
        untilMs,
        latencyMs: requireFiniteAtLeast(item['latencyMs'], 0, `${itemPath}.latencyMs`),
      };
  }
}

function resolveSelector(value: unknown): SelectorConfig {
  const { kind, fields: selector } = requireKind(
    value,
    ['strategy', 'factory', 'jsq-oracle'] as const,
    'selector',
  );
  if (kind === 'jsq-oracle') return { kind };
  if (kind === 'factory') {
    const create = selector['create'];
    if (typeof create !== 'function') {
      throw new SimulationConfigError('selector.create', 'must be a function');
    }
    return { kind, create: create as (deps: StrategyDeps) => Strategy };
  }
  const name = selector['name'];
  const known = listStrategies().map((info) => info.name);
  if (typeof name !== 'string' || !known.includes(name)) {
    throw new SimulationConfigError(
      'selector.name',
      `must be a registered strategy (${known.join(', ')}); got ${String(name)}`,
    );
  }
  const options = selector['options'] ?? {};
  requireObject(options, 'selector.options');
  return { kind, name, options: options as Record<string, unknown> };
}

function resolveProbes(value: unknown): ResolvedSimulationConfig['probes'] {
  if (value === undefined) return undefined;
  const probes = requireObject(value, 'probes');
  const intervalMs = requirePositive(probes['intervalMs'], 'probes.intervalMs');
  return {
    intervalMs,
    bytes: probes['bytes'] === undefined ? 65536 : requirePositive(probes['bytes'], 'probes.bytes'),
    timeoutMs:
      probes['timeoutMs'] === undefined
        ? intervalMs
        : requirePositive(probes['timeoutMs'], 'probes.timeoutMs'),
  };
}
