import type { Endpoint, PickResult, Sample, Strategy } from '../src/index.js';

/** Endpoints `a`, `b`, … with weight 1 (or the given weights). */
export function endpoints(ids: readonly string[], weights?: readonly number[]): Endpoint[] {
  return ids.map((id, i) => ({ id, address: `http://${id}.test`, weight: weights?.[i] ?? 1 }));
}

export function probe(totalMs: number, bytes = 1_000_000): Sample {
  return { kind: 'probe', ok: true, totalMs, bytes, bytesPerSec: (bytes * 1000) / totalMs };
}

export const failedProbe: Sample = { kind: 'probe', ok: false };

/** Gives `strategy` the endpoints `ids` (weight 1 or the given weights) and returns it. */
export function withEndpoints<S extends Strategy>(
  strategy: S,
  ids: readonly string[],
  weights?: readonly number[],
): S {
  strategy.setEndpoints(endpoints(ids, weights));
  return strategy;
}

/** Gives `strategy` one endpoint per key of `times`, each with one successful probe of that time. */
export function withProbes<S extends Strategy>(strategy: S, times: Record<string, number>): S {
  withEndpoints(strategy, Object.keys(times));
  for (const [id, ms] of Object.entries(times)) strategy.observe(id, probe(ms), 0);
  return strategy;
}

/** One pick at time 0 with `ids` excluded. */
export function pickExcluding(strategy: Strategy, ids: readonly string[]): PickResult {
  return strategy.pick({ now: 0, exclude: new Set(ids) });
}

/** For a hashed strategy: the endpoint id each of `keys` is routed to (a failed pick throws). */
export function assignmentOf(
  keys: readonly string[],
): (strategy: Strategy, exclude?: ReadonlySet<string>) => string[] {
  return (strategy, exclude) =>
    keys.map((hashKey) => {
      const result = strategy.pick({ now: 0, hashKey, exclude });
      if (!result.ok) throw new Error(result.reason);
      return result.endpoint.id;
    });
}

/** Extracts the error code of what `fn` throws (undefined when it does not throw). */
export function errorCode(fn: () => unknown): string | undefined {
  return (thrownBy(fn) as { code?: string } | undefined)?.code;
}

/** What `fn` throws (undefined when it does not throw). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}
