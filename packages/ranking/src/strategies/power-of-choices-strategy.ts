import type { TableEntry } from '../endpoint-table.js';
import type { PendingRequests } from '../load/pending.js';
import { checkNow, validateOutcome } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import type {
  Endpoint,
  Outcome,
  PickContext,
  PickResult,
  RandomSource,
  StrategyDeps,
} from '../types.js';
import { EndpointTableStrategy } from './endpoint-table-strategy.js';
import { checkChoices, pickBest, shareOfChoices } from './power-of-choices.js';
import { sharesMap } from './shares-map.js';

/**
 * What the P2C strategies share (tower's `p2c` over a `Load`): sample `choices` endpoints, send to
 * the cheapest, count the request in flight until its `done`. A subclass says only what an
 * endpoint costs (`costAt`) and what a finished request teaches it (`onDone`).
 */
export abstract class PowerOfChoicesStrategy<
  S extends { readonly pending: PendingRequests },
> extends EndpointTableStrategy<S> {
  readonly choices: number;
  readonly #random: RandomSource;
  /** The clock of the pick in progress, read by `#cost` (one bound function, no per-pick closure). */
  #now = 0;
  readonly #cost = (entry: TableEntry<S>): number => this.costAt(entry, this.#now);

  constructor(
    createState: (endpoint: Endpoint) => S,
    choices: unknown,
    deps: Partial<StrategyDeps>,
  ) {
    super(createState);
    this.choices = checkChoices(choices);
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  /** What the selector compares for this endpoint at `now`; lower wins. */
  protected abstract costAt(entry: TableEntry<S>, now: number): number;

  /** Learns from a finished request (after it stopped counting as in flight). */
  protected abstract onDone(state: S, outcome: Outcome): void;

  /** Requests in flight to `id` (0 for an unknown id). */
  pending(id: string): number {
    return this.table.get(id)?.state.pending.count ?? 0;
  }

  /** The cost the selector compares for `id` at `now`, or undefined for an unknown id. */
  cost(id: string, now: number): number | undefined {
    checkNow(now);
    const entry = this.table.get(id);
    return entry ? this.costAt(entry, now) : undefined;
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    this.#now = ctx.now;
    const chosen = pickBest(this.table, this.choices, this.#cost, this.#random, ctx.exclude);
    if (typeof chosen === 'string') return { ok: false, reason: chosen };
    return { ok: true, endpoint: chosen.endpoint, done: this.#completion(chosen.state) };
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    const cost = (entry: TableEntry<S>) => this.costAt(entry, now);
    return sharesMap(this.table.endpoints, shareOfChoices(this.table.eligible, this.choices, cost));
  }

  /**
   * Counts a request in flight and returns its `done`. Built here rather than inline in an object
   * literal so the closure stays anonymous: tools that preserve function names (esbuild's
   * keepNames, which tsx enables) would otherwise define a `name` on every pick's closure.
   */
  #completion(state: S): (outcome: Outcome) => void {
    const release = state.pending.start();
    return (outcome) => {
      validateOutcome(outcome);
      release();
      this.onDone(state, outcome);
    };
  }
}
