import type { TableEntry } from '../endpoint-table.js';
import { TransferEstimate } from '../load/transfer-estimate.js';
import { checkNumberOption } from '../option-checks.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import type { RandomSource, Sample, StrategyDeps } from '../types.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { type WeightedView, type WeightedViewBuild, WeightedViewCache } from './weighted-view.js';

/**
 * The shared half of the probe-weighted strategies (rank-weighted, inverse-time): a transfer
 * estimate per endpoint fed by probe samples, the random source, and the available endpoints with
 * their weights, cached per membership and probe version. Subclasses say how weights are derived.
 */
export abstract class ProbedTransferStrategy extends EndpointTableStrategy<TransferEstimate> {
  protected readonly random: RandomSource;
  /** Bumped by every probe sample: weights and availability may have changed. */
  #probeVersion = 0;
  readonly #view: WeightedViewCache<TransferEstimate>;

  /** `alpha`: weight of the newest probe in the EWMA, in (0, 1]; 1 (default) = latest only. */
  constructor(alpha: number | undefined, deps: Partial<StrategyDeps>) {
    const checkedAlpha = checkNumberOption('alpha', alpha, 1, {
      min: 0,
      minExclusive: true,
      max: 1,
    });
    super(() => new TransferEstimate(checkedAlpha));
    this.random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
    this.#view = new WeightedViewCache(this.table, (eligible) =>
      this.buildView(eligible.filter(isAvailable)),
    );
  }

  /** Weights of the available eligible entries (computed only when the cached view is stale). */
  protected abstract buildView(
    available: readonly TableEntry<TransferEstimate>[],
  ): WeightedViewBuild<TransferEstimate>;

  /** The current view: available entries, their weights and cumulative weights. */
  protected get view(): WeightedView<TransferEstimate> {
    return this.#view.get(this.#probeVersion);
  }

  protected override onSample(entry: TableEntry<TransferEstimate>, sample: Sample): void {
    if (sample.kind !== 'probe') return;
    entry.state.observe(sample);
    this.#probeVersion++;
  }
}

/** A failed probe makes an endpoint unavailable until its next successful probe. */
export function isAvailable(entry: TableEntry<TransferEstimate>): boolean {
  return !entry.state.failed;
}
