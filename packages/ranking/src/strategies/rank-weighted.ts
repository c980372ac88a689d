import type { TableEntry } from '../endpoint-table.js';
import type { TransferEstimate } from '../load/transfer-estimate.js';
import { checkNow } from '../sample-validation.js';
import { pickWeightedIndex } from '../select/weighted-choice.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult, StrategyDeps } from '../types.js';
import { activeExclude } from './endpoint-table-strategy.js';
import { isAvailable, ProbedTransferStrategy } from './probed-transfer-strategy.js';
import { sharesMap } from './shares-map.js';
import { excludesCandidate, type WeightedViewBuild } from './weighted-view.js';

export interface RankWeightedOptions {
  /** Weight of the newest probe in the transfer-time EWMA; 1 (default) uses the latest probe only. */
  alpha?: number;
}

/**
 * The original lb rule. Eligible endpoints are sorted by probed transfer time; the slowest gets
 * rank 1 and the fastest rank n, and each is picked with probability rank / (1 + … + n) — for
 * three servers 1:2:3. Every eligible server keeps some traffic, so its measurements stay fresh.
 *
 * - Unmeasured endpoints rank as the slowest (tied with each other): a new mirror gets a small,
 *   non-zero share until its first probe, and a cold start is uniform.
 * - Equal times get the average of the ranks they span (fractional ranking), so identical servers
 *   get identical shares regardless of list order; the ranks still sum to n(n+1)/2.
 * - A failed probe makes the endpoint unavailable until its next successful probe.
 * - The endpoint weight multiplies the rank (weight 0 drains).
 * - Ranks are taken among the endpoints a pick may choose, so excluding one re-ranks the rest.
 *
 * Cost: ranks and cumulative weights are cached per membership and probe version, so a pick without
 * `exclude` is one draw and a binary search, O(log n); the first pick after a probe or a membership
 * change re-ranks, O(n log n). A pick whose `exclude` names a candidate re-ranks the rest,
 * O(n log n); excluding endpoints that are unavailable anyway costs O(|exclude|).
 */
export class RankWeightedStrategy extends ProbedTransferStrategy {
  readonly name = 'rank-weighted';

  constructor(options: RankWeightedOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(options.alpha, deps);
  }

  protected buildView(
    entries: readonly TableEntry<TransferEstimate>[],
  ): WeightedViewBuild<TransferEstimate> {
    // A rank depends on the others' times, so exclusion re-ranks.
    return { entries, weights: rankWeights(entries), independent: false };
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const exclude = activeExclude(ctx);
    // Excluding endpoints that are not candidates anyway (drained, failed probe — what the health
    // wrapper excludes) changes no rank, so the cached weights still apply.
    if (exclude === undefined || !excludesCandidate(this.table, exclude, isAvailable)) {
      const view = this.view;
      if (view.entries.length === 0) {
        return this.noCandidate(exclude, isAvailable);
      }
      return view.entries[view.cumulative.pick(this.random)]!.picked;
    }
    const candidates = this.table.candidates(exclude, isAvailable);
    if (!candidates.ok) return candidates;
    const weights = rankWeights(candidates.entries);
    return candidates.entries[pickWeightedIndex(weights, this.random)]!.picked;
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const { entries, weights, cumulative } = this.view;
    const eligible = new Map<string, number>();
    entries.forEach((entry, i) => {
      eligible.set(entry.endpoint.id, weights[i]! / cumulative.total);
    });
    return sharesMap(this.table.endpoints, eligible);
  }
}

/** rank × endpoint weight, ranks fractional (1 = slowest; unmeasured = infinitely slow). */
function rankWeights(entries: readonly TableEntry<TransferEstimate>[]): number[] {
  const times = entries.map((entry) => entry.state.totalMs ?? Number.POSITIVE_INFINITY);
  const order = times.map((_, i) => i).sort((a, b) => times[b]! - times[a]! || 0);
  const ranks = new Array<number>(entries.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && times[order[end]!] === times[order[start]!]) end++;
    // Positions start..end-1 hold equal times; ranks are 1-based positions, so average them.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return entries.map((entry, i) => ranks[i]! * entry.endpoint.weight);
}

export const entry: StrategyEntry = {
  info: {
    name: 'rank-weighted',
    description:
      'Rank by probed transfer time (slowest 1 … fastest n) and pick with probability rank / (1+…+n).',
    options: [
      {
        name: 'alpha',
        type: 'number',
        default: 1,
        description:
          'Weight of the newest probe in the transfer-time EWMA, in (0, 1]; 1 = latest probe only.',
      },
    ],
    hashed: false,
  },
  create: (options, deps) => new RankWeightedStrategy(options as RankWeightedOptions, deps),
};
