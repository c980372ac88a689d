import type { TableEntry } from '../endpoint-table.js';
import { checkNow } from '../sample-validation.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult } from '../types.js';
import { activeExclude, EndpointTableStrategy } from './endpoint-table-strategy.js';
import { proportionalShares } from './shares-map.js';

interface SmoothWeight {
  current: number;
}

/**
 * nginx's smooth weighted round robin (`ngx_http_upstream_get_peer`): on each pick every eligible
 * endpoint's `current` grows by its weight, the largest `current` wins (first in snapshot order on
 * a tie) and is lowered by the sum of the weights. Weights 5, 1, 1 give a a b a c a a — the heavy
 * endpoint's turns are spread out instead of bunched.
 *
 * Excluded and drained endpoints sit out the round, as nginx skips tried and down peers. An
 * update keeps `current`; a new endpoint starts at 0.
 */
export class SmoothWeightedRoundRobinStrategy extends EndpointTableStrategy<SmoothWeight> {
  readonly name = 'smooth-weighted-round-robin';

  constructor() {
    super(() => ({ current: 0 }));
  }

  /**
   * O(n) like nginx's own loop (every eligible endpoint's `current` moves on every pick), but over
   * the cached eligible list and without allocating.
   */
  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const exclude = activeExclude(ctx);
    let total = 0;
    let best: TableEntry<SmoothWeight> | undefined;
    for (const entry of this.table.eligible) {
      if (exclude?.has(entry.endpoint.id)) continue;
      entry.state.current += entry.endpoint.weight;
      total += entry.endpoint.weight;
      if (best === undefined || entry.state.current > best.state.current) best = entry;
    }
    if (best === undefined) {
      return this.noCandidate(exclude);
    }
    best.state.current -= total;
    return best.picked;
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    return proportionalShares(this.table, (entry) => entry.endpoint.weight);
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'smooth-weighted-round-robin',
    description: "nginx's smooth weighted round robin: share ∝ weight, evenly interleaved.",
    options: [],
    hashed: false,
  },
  create: () => new SmoothWeightedRoundRobinStrategy(),
};
