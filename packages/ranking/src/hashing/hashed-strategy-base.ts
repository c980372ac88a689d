import type { TableEntry } from '../endpoint-table.js';
import { InvalidSampleError } from '../errors.js';
import { checkNow } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
import { EndpointTableStrategy } from '../strategies/endpoint-table-strategy.js';
import { sharesMap } from '../strategies/shares-map.js';
import type {
  Endpoint,
  MembershipChange,
  PickContext,
  PickResult,
  RandomSource,
  StrategyDeps,
} from '../types.js';

/**
 * What the hashed strategies share, on top of the core's `EndpointTableStrategy` (validated,
 * all-or-nothing membership): a rebuild of the lookup structure after every accepted change, and
 * the pick protocol. Subclasses implement the structure: `rebuild` (which also sets `fractions`) and `choose`.
 *
 * - Measurements are validated and ignored: affinity must not drift with latency. Unhealthy
 *   endpoints leave through membership (`remove`, weight 0) or per request through `exclude`.
 * - Without `ctx.hashKey` a strategy hashes a random key drawn from `deps.random`, so keyless
 *   traffic spreads by each endpoint's share of the hash space.
 * - When `choose` finds nothing, the reason comes from the table, so every strategy reports
 *   `no-endpoints` / `all-excluded` / `all-unavailable` (weight 0 only) identically.
 */
export abstract class HashedStrategyBase<S> extends EndpointTableStrategy<S> {
  protected readonly random: RandomSource;
  /** Fraction of the hash space each endpoint owns (ids absent own nothing); set by `rebuild`. */
  protected fractions: ReadonlyMap<string, number> = new Map();

  constructor(createState: (endpoint: Endpoint) => S, deps: Partial<StrategyDeps>) {
    super(createState);
    this.random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
  }

  override setEndpoints(endpoints: readonly Endpoint[]): void {
    super.setEndpoints(endpoints);
    this.rebuild();
  }

  override apply(change: MembershipChange): void {
    super.apply(change);
    this.rebuild();
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const hashKey: unknown = ctx.hashKey;
    if (hashKey !== undefined && typeof hashKey !== 'string') {
      throw new InvalidSampleError('hashKey', hashKey, 'must be a string');
    }
    if (this.table.size > 0) {
      const chosen = this.choose(ctx);
      if (chosen) return chosen;
    }
    const candidates = this.table.candidates(ctx.exclude);
    return candidates.ok ? { ok: false, reason: 'all-unavailable' } : candidates;
  }

  shares(now: number): ReadonlyMap<string, number> {
    checkNow(now);
    return sharesMap(this.table.endpoints, this.fractions);
  }

  /** True when `ctx.exclude` names this entry. */
  protected isExcluded(ctx: PickContext, entry: TableEntry<S>): boolean {
    return ctx.exclude?.has(entry.endpoint.id) === true;
  }

  /** Entries with weight > 0, sorted by id: structures built from them depend on the set, not on order. */
  protected weightedEntriesById(): TableEntry<S>[] {
    return this.table.entries
      .filter((entry) => entry.endpoint.weight > 0)
      .sort((a, b) => (a.endpoint.id < b.endpoint.id ? -1 : a.endpoint.id > b.endpoint.id ? 1 : 0));
  }

  /** Rebuilds the lookup structure from `this.table` after a membership change. */
  protected abstract rebuild(): void;

  /** The pick for a non-empty membership, or undefined when no eligible endpoint remains. */
  protected abstract choose(ctx: PickContext): PickResult | undefined;
}
