import type { TableEntry } from '../endpoint-table.js';
import { PendingRequests } from '../load/pending.js';
import { checkNow, validateOutcome } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import { pickTwoChoices, twoChoicesShares } from '../select/p2c.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { Outcome, PickContext, PickResult, RandomSource, StrategyDeps } from '../types.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { sharesMap } from './shares-map.js';

/**
 * Power of two choices on in-flight requests (tower's `p2c` over `PendingRequests`, Envoy's
 * LEAST_REQUEST): sample two endpoints, send to the one with fewer requests in flight.
 * `pick` counts the request; the returned `done` releases it (once, however often it is called).
 * Cost is (pending + 1) / weight, so a weight-2 endpoint is as attractive as a weight-1 endpoint
 * with half its load. Measurements are ignored.
 */
export class LeastPendingP2cStrategy extends EndpointTableStrategy<PendingRequests> {
  readonly name = 'least-pending-p2c';
  readonly #random: RandomSource;

  constructor(deps: Partial<StrategyDeps> = {}) {
    super(() => new PendingRequests());
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  /** Requests in flight to `id` (0 for an unknown id). */
  pending(id: string): number {
    return this.table.get(id)?.state.count ?? 0;
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const candidates = this.table.candidates(ctx.exclude);
    if (!candidates.ok) return candidates;
    const chosen = pickTwoChoices(candidates.entries, cost, this.#random);
    const release = chosen.state.start();
    return {
      ok: true,
      endpoint: chosen.endpoint,
      done: (outcome: Outcome) => {
        validateOutcome(outcome);
        release();
      },
    };
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const candidates = this.table.candidates(undefined);
    const eligible = new Map<string, number>();
    if (candidates.ok) {
      const shares = twoChoicesShares(candidates.entries, cost);
      candidates.entries.forEach((entry, i) => {
        eligible.set(entry.endpoint.id, shares[i]!);
      });
    }
    return sharesMap(this.table.endpoints, eligible);
  }
}

function cost(entry: TableEntry<PendingRequests>): number {
  return (entry.state.count + 1) / entry.endpoint.weight;
}

export const entry: StrategyEntry = {
  info: {
    name: 'least-pending-p2c',
    description: 'Power of two choices on requests in flight (needs done() after each request).',
    options: [],
    hashed: false,
  },
  create: (_options, deps) => new LeastPendingP2cStrategy(deps),
};
