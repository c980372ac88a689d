import { SimulationConfigError } from '../errors.js';
import type { RandomSource } from '../types.js';
import { requireFiniteAtLeast, requireKind, requirePositive } from './config-checks.js';

/** How long a simulated server works on one request, in virtual milliseconds. */
export type ServiceTimeDistribution =
  /** Always `ms`. */
  | { readonly kind: 'constant'; readonly ms: number }
  /** Exponential with mean `meanMs` (memoryless: the M in M/M/1). */
  | { readonly kind: 'exponential'; readonly meanMs: number }
  /**
   * Log-normal with median `medianMs` and shape `sigma` (the standard deviation of the logarithm).
   * Long right tail, the usual shape of real server latencies.
   */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number }
  /** Uniform on [`minMs`, `maxMs`) — tower's balance demo draws its latencies this way. */
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Each draw is one of `samplesMs`, chosen uniformly (replays measured latencies). */
  | { readonly kind: 'empirical'; readonly samplesMs: readonly number[] };

/** Draws one service time in ms. */
export type ServiceTimeSampler = () => number;

const KINDS = ['constant', 'exponential', 'lognormal', 'uniform', 'empirical'] as const;

/** Throws `SimulationConfigError` unless `value` is a well-formed {@link ServiceTimeDistribution}. */
export function validateServiceTimeDistribution(
  value: unknown,
  path: string,
): ServiceTimeDistribution {
  const { kind, fields: dist } = requireKind(value, KINDS, path);
  switch (kind) {
    case 'constant':
      requireFiniteAtLeast(dist['ms'], 0, `${path}.ms`);
      break;
    case 'exponential':
      requirePositive(dist['meanMs'], `${path}.meanMs`);
      break;
    case 'lognormal':
      requirePositive(dist['medianMs'], `${path}.medianMs`);
      requireFiniteAtLeast(dist['sigma'], 0, `${path}.sigma`);
      break;
    case 'uniform': {
      const min = requireFiniteAtLeast(dist['minMs'], 0, `${path}.minMs`);
      const max = requireFiniteAtLeast(dist['maxMs'], 0, `${path}.maxMs`);
      if (max < min) throw new SimulationConfigError(`${path}.maxMs`, 'must be >= minMs');
      break;
    }
    case 'empirical': {
      const samples = dist['samplesMs'];
      if (!Array.isArray(samples) || samples.length === 0) {
        throw new SimulationConfigError(`${path}.samplesMs`, 'must be a non-empty array');
      }
      samples.forEach((s, i) => {
        requireFiniteAtLeast(s, 0, `${path}.samplesMs[${i}]`);
      });
      break;
    }
  }
  return value as ServiceTimeDistribution;
}

/** Returns a sampler for `dist` that draws from `random` (uniform on [0, 1)). */
export function createServiceTimeSampler(
  dist: ServiceTimeDistribution,
  random: RandomSource,
): ServiceTimeSampler {
  switch (dist.kind) {
    case 'constant': {
      const ms = dist.ms;
      return () => ms;
    }
    case 'exponential': {
      const mean = dist.meanMs;
      // 1 - u lies in (0, 1], so the logarithm is finite.
      return () => -mean * Math.log(1 - random());
    }
    case 'lognormal': {
      const mu = Math.log(dist.medianMs);
      const sigma = dist.sigma;
      return () => Math.exp(mu + sigma * standardNormal(random));
    }
    case 'uniform': {
      const { minMs, maxMs } = dist;
      return () => minMs + (maxMs - minMs) * random();
    }
    case 'empirical': {
      const samples = Float64Array.from(dist.samplesMs);
      return () => samples[Math.floor(random() * samples.length)]!;
    }
  }
}

/**
 * Box–Muller transform. Only the cosine half is used: caching the sine half would make a draw depend on
 * the parity of earlier draws, which is harder to reason about and saves little here.
 */
function standardNormal(random: RandomSource): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
