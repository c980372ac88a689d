import { checkNow } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult, RandomSource, StrategyDeps } from '../types.js';
import { EqualShareStrategy } from './equal-share-strategy.js';

/** Draws spent on excluded endpoints before a pick filters the list instead. */
const MAX_REJECTED_DRAWS = 8;

/**
 * The baseline: every eligible endpoint equally likely, measurements ignored.
 * Weights only matter as 0 (drained); use smooth-weighted-round-robin for weighted traffic.
 */
export class RandomStrategy extends EqualShareStrategy {
  readonly name = 'random';
  readonly #random: RandomSource;

  constructor(deps: Partial<StrategyDeps> = {}) {
    super();
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  /**
   * O(1) without `exclude`: one draw over the cached eligible list, and the entry's frozen result.
   * With `exclude`, draws are repeated past excluded endpoints (still uniform over the rest); only
   * when most of the list is excluded does it fall back to filtering, O(n).
   */
  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const eligible = this.table.eligible;
    const n = eligible.length;
    const exclude = ctx.exclude;
    if (n > 0) {
      if (exclude === undefined || exclude.size === 0) {
        return eligible[Math.floor(this.#random() * n)]!.picked;
      }
      for (let attempt = 0; attempt < MAX_REJECTED_DRAWS; attempt++) {
        const entry = eligible[Math.floor(this.#random() * n)]!;
        if (!exclude.has(entry.endpoint.id)) return entry.picked;
      }
    }
    const candidates = this.table.candidates(exclude);
    if (!candidates.ok) return candidates;
    return candidates.entries[Math.floor(this.#random() * candidates.entries.length)]!.picked;
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
