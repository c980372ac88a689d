import { checkNow } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult, RandomSource, StrategyDeps } from '../types.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { sharesMap } from './shares-map.js';

/**
 * The baseline: every eligible endpoint equally likely, measurements ignored.
 * Weights only matter as 0 (drained); use smooth-weighted-round-robin for weighted traffic.
 */
export class RandomStrategy extends EndpointTableStrategy<null> {
  readonly name = 'random';
  readonly #random: RandomSource;

  constructor(deps: Partial<StrategyDeps> = {}) {
    super(() => null);
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const candidates = this.table.candidates(ctx.exclude);
    if (!candidates.ok) return candidates;
    const index = Math.floor(this.#random() * candidates.entries.length);
    return { ok: true, endpoint: candidates.entries[index]!.endpoint };
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const candidates = this.table.candidates(undefined);
    const eligible = new Map<string, number>();
    if (candidates.ok) {
      for (const entry of candidates.entries) {
        eligible.set(entry.endpoint.id, 1 / candidates.entries.length);
      }
    }
    return sharesMap(this.table.endpoints, eligible);
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'random',
    description: 'Uniformly random among eligible endpoints; the baseline to beat.',
    options: [],
    hashed: false,
  },
  create: (_options, deps) => new RandomStrategy(deps),
};
