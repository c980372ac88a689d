import type { RandomSource } from '../types.js';
import { requireFiniteAtLeast, requireIntegerAtLeast, requireKind } from './config-checks.js';

/**
 * Which key each simulated request carries in `PickContext.hashKey`, for the hashing strategies.
 * Keys are the strings `key-0` … `key-(keys-1)`.
 */
export type HashKeyDistribution =
  /** Every key equally likely. */
  | { readonly kind: 'uniform'; readonly keys: number }
  /**
   * Zipf: key `i` (0-based) is drawn with probability proportional to `1 / (i + 1) ** exponent` — a few
   * hot files take most requests, as on real mirrors. `exponent` 0 is uniform; ~1 is typical of web
   * traffic.
   */
  | { readonly kind: 'zipf'; readonly keys: number; readonly exponent: number };

/** Draws one hash key. */
export type HashKeySampler = () => string;

const KINDS = ['uniform', 'zipf'] as const;

/** Throws `SimulationConfigError` unless `value` is a well-formed {@link HashKeyDistribution}. */
export function validateHashKeyDistribution(value: unknown, path: string): HashKeyDistribution {
  const { kind, fields: dist } = requireKind(value, KINDS, path);
  requireIntegerAtLeast(dist['keys'], 1, `${path}.keys`);
  if (kind === 'zipf') requireFiniteAtLeast(dist['exponent'], 0, `${path}.exponent`);
  return value as HashKeyDistribution;
}

/** Returns a sampler for `dist` that draws from `random` (uniform on [0, 1)). */
export function createHashKeySampler(
  dist: HashKeyDistribution,
  random: RandomSource,
): HashKeySampler {
  // Key strings are built once: formatting a string per request would dominate large runs.
  const names = Array.from({ length: dist.keys }, (_, i) => `key-${i}`);
  if (dist.kind === 'uniform') {
    return () => names[Math.floor(random() * names.length)]!;
  }
  // Inverse-CDF sampling over the precomputed cumulative weights: O(log keys) per draw.
  const cumulative = new Float64Array(dist.keys);
  let total = 0;
  for (let i = 0; i < dist.keys; i++) {
    total += 1 / (i + 1) ** dist.exponent;
    cumulative[i] = total;
  }
  return () => {
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return names[lo]!;
  };
}
