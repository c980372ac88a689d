import { EndpointTable } from '../endpoint-table.js';
import { checkNow, validateSample } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type {
  Endpoint,
  MembershipChange,
  PickContext,
  PickResult,
  RandomSource,
  Sample,
  Strategy,
  StrategyDeps,
} from '../types.js';
import { sharesMap } from './shares-map.js';

/**
 * The baseline: every eligible endpoint equally likely, measurements ignored.
 * Weights only matter as 0 (drained); use smooth-weighted-round-robin for weighted traffic.
 */
export class RandomStrategy implements Strategy {
  readonly name = 'random';
  readonly #table = new EndpointTable<null>(() => null);
  readonly #random: RandomSource;

  constructor(deps: Partial<StrategyDeps> = {}) {
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  get endpoints(): readonly Endpoint[] {
    return this.#table.endpoints;
  }

  setEndpoints(endpoints: readonly Endpoint[]): void {
    this.#table.setEndpoints(endpoints);
  }

  apply(change: MembershipChange): void {
    this.#table.apply(change);
  }

  observe(_endpointId: string, sample: Sample, now: number): void {
    validateSample(sample, now);
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const candidates = this.#table.candidates(ctx.exclude);
    if (!candidates.ok) return candidates;
    const index = Math.floor(this.#random() * candidates.entries.length);
    return { ok: true, endpoint: candidates.entries[index]!.endpoint };
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const candidates = this.#table.candidates(undefined);
    const eligible = new Map<string, number>();
    if (candidates.ok) {
      for (const entry of candidates.entries) {
        eligible.set(entry.endpoint.id, 1 / candidates.entries.length);
      }
    }
    return sharesMap(this.#table.endpoints, eligible);
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
