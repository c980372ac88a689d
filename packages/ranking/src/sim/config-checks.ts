import { SimulationConfigError } from '../errors.js';

/**
 * Small guards shared by the pieces that validate a {@link SimulationConfig}. Each throws
 * `SimulationConfigError` (code `LB_RANKING_SIM_CONFIG`) naming the offending field by its path, e.g.
 * `servers[3].serviceTime.meanMs`, so a bad scenario file points at its own line.
 */

export function requireObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SimulationConfigError(path, 'must be an object');
  }
  return value as Record<string, unknown>;
}

export function requireFiniteAtLeast(value: unknown, min: number, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new SimulationConfigError(
      path,
      `must be a finite number >= ${min} (got ${String(value)})`,
    );
  }
  return value;
}

export function requirePositive(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SimulationConfigError(path, `must be a finite number > 0 (got ${String(value)})`);
  }
  return value;
}

export function requireIntegerAtLeast(value: unknown, min: number, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new SimulationConfigError(path, `must be an integer >= ${min} (got ${String(value)})`);
  }
  return value;
}

/** Like {@link requireIntegerAtLeast} but also accepts `Infinity` (e.g. unlimited concurrency). */
export function requireIntegerOrInfinity(value: unknown, min: number, path: string): number {
  if (value === Number.POSITIVE_INFINITY) return value;
  return requireIntegerAtLeast(value, min, path);
}

/** An object whose `kind` is one of `kinds`: the kind, and the object's fields to check next. */
export function requireKind<K extends string>(
  value: unknown,
  kinds: readonly K[],
  path: string,
): { kind: K; fields: Record<string, unknown> } {
  const fields = requireObject(value, path);
  const kind = fields['kind'];
  if (typeof kind !== 'string' || !(kinds as readonly string[]).includes(kind)) {
    throw new SimulationConfigError(
      `${path}.kind`,
      `must be one of ${kinds.map((k) => `'${k}'`).join(', ')} (got ${String(kind)})`,
    );
  }
  return { kind: kind as K, fields };
}
