import type { EndpointTable, TableEntry } from '../endpoint-table.js';
import { CumulativeWeights } from '../select/weighted-choice.js';

/** The candidates of a weighted strategy and their weights, valid for one pair of versions. */
export interface WeightedView<S> {
  readonly entries: readonly TableEntry<S>[];
  readonly weights: readonly number[];
  readonly cumulative: CumulativeWeights;
  /**
   * Each weight depends only on its own endpoint, so excluding others leaves it unchanged and a
   * pick with `exclude` may redraw past excluded endpoints instead of recomputing the weights.
   */
  readonly independent: boolean;
}

/** What a strategy derives from its eligible entries; the cache adds the cumulative weights. */
export type WeightedViewBuild<S> = Omit<WeightedView<S>, 'cumulative'>;

/**
 * Caches a weighted strategy's candidates and cumulative weights until the membership (the table's
 * `version`) or the measurements (the strategy's own sample version) change, so a pick costs one
 * binary search and a burst of picks between two probes builds the weights once.
 */
export class WeightedViewCache<S> {
  readonly #table: EndpointTable<S>;
  readonly #build: (eligible: readonly TableEntry<S>[]) => WeightedViewBuild<S>;
  #view: WeightedView<S> | undefined;
  #membershipVersion = -1;
  #sampleVersion = -1;

  constructor(
    table: EndpointTable<S>,
    build: (eligible: readonly TableEntry<S>[]) => WeightedViewBuild<S>,
  ) {
    this.#table = table;
    this.#build = build;
  }

  get(sampleVersion: number): WeightedView<S> {
    if (
      this.#view === undefined ||
      this.#membershipVersion !== this.#table.version ||
      this.#sampleVersion !== sampleVersion
    ) {
      const built = this.#build(this.#table.eligible);
      this.#view = { ...built, cumulative: new CumulativeWeights(built.weights) };
      this.#membershipVersion = this.#table.version;
      this.#sampleVersion = sampleVersion;
    }
    return this.#view;
  }
}

/**
 * Whether `exclude` names an endpoint that is currently a candidate (weight > 0 and available):
 * only then does a pick with `exclude` differ from one without. O(|exclude|).
 */
export function excludesCandidate<S>(
  table: EndpointTable<S>,
  exclude: ReadonlySet<string>,
  isAvailable: (entry: TableEntry<S>) => boolean,
): boolean {
  for (const id of exclude) {
    const entry = table.get(id);
    if (entry !== undefined && entry.endpoint.weight > 0 && isAvailable(entry)) return true;
  }
  return false;
}
