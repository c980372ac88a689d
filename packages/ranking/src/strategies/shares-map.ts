import type { EndpointTable, TableEntry } from '../endpoint-table.js';
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

/**
 * The `shares()` of a strategy whose share is proportional to a per-endpoint weight over the
 * eligible entries (weight 1 each gives equal shares).
 */
export function proportionalShares<S>(
  table: EndpointTable<S>,
  weightOf: (entry: TableEntry<S>) => number,
): ReadonlyMap<string, number> {
  const entries = table.eligible;
  let total = 0;
  for (const entry of entries) total += weightOf(entry);
  const eligible = new Map<string, number>();
  for (const entry of entries) eligible.set(entry.endpoint.id, weightOf(entry) / total);
  return sharesMap(table.endpoints, eligible);
}
