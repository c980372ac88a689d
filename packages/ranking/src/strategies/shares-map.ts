import type { Endpoint } from '../types.js';

/**
 * Builds a `shares()` result: every endpoint of the snapshot appears, in snapshot order, with 0
 * for the ineligible ones, so a ranking table can print the whole membership.
 */
export function sharesMap(
  endpoints: readonly Endpoint[],
  eligible: ReadonlyMap<string, number>,
): ReadonlyMap<string, number> {
  const result = new Map<string, number>();
  for (const endpoint of endpoints) result.set(endpoint.id, eligible.get(endpoint.id) ?? 0);
  return result;
}
