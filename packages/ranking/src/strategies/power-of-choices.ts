import type { EndpointTable, TableEntry } from '../endpoint-table.js';
import { checkNumberOption } from '../option-checks.js';
import { bestOfChoicesShares, pickBestOfChoices } from '../select/p2c.js';
import type { StrategyOptionInfo } from '../strategy-entry.js';
import type { PickFailureReason, RandomSource } from '../types.js';

/** Largest `choices`: the sampler costs O(d²) per pick; from d = n on every candidate is compared. */
export const MAX_CHOICES = 32;

/** The `choices` option shared by the P2C strategies. */
export const CHOICES_OPTION: StrategyOptionInfo = Object.freeze({
  name: 'choices',
  type: 'number',
  default: 2,
  description: `Candidates compared per pick (power of d choices), integer 2…${MAX_CHOICES}; ≥ the number of endpoints compares them all.`,
});

export function checkChoices(value: unknown): number {
  return checkNumberOption('choices', value, 2, { min: 2, max: MAX_CHOICES, integer: true });
}

/**
 * The cheapest of `choices` sampled eligible entries, or why there is none. Without `exclude` it
 * samples the table's cached eligible list directly (O(choices²), no allocation). With `exclude` it
 * redraws past excluded entries; only if most of the list is excluded does it filter, O(n).
 */
export function pickBest<S>(
  table: EndpointTable<S>,
  choices: number,
  cost: (entry: TableEntry<S>) => number,
  random: RandomSource,
  exclude: ReadonlySet<string> | undefined,
): TableEntry<S> | PickFailureReason {
  const eligible = table.eligible;
  if (exclude === undefined || exclude.size === 0) {
    return (
      pickBestOfChoices(eligible, choices, cost, random) ??
      table.failureReason(undefined) ??
      'all-unavailable'
    );
  }
  const fast = pickBestOfChoices(eligible, choices, cost, random, (entry) =>
    exclude.has(entry.endpoint.id),
  );
  if (fast !== undefined) return fast;
  const candidates = table.candidates(exclude);
  if (!candidates.ok) return candidates.reason;
  return pickBestOfChoices(candidates.entries, choices, cost, random)!;
}

/** Exact shares of `pickBestOfChoices` over `entries`, keyed by endpoint id. */
export function shareOfChoices<S>(
  entries: readonly TableEntry<S>[],
  choices: number,
  cost: (entry: TableEntry<S>) => number,
): Map<string, number> {
  const result = new Map<string, number>();
  if (entries.length === 0) return result;
  const shares = bestOfChoicesShares(entries, choices, cost);
  entries.forEach((entry, i) => {
    result.set(entry.endpoint.id, shares[i]!);
  });
  return result;
}
