import { InvalidEndpointError } from './errors.js';
import type {
  Endpoint,
  MembershipChange,
  PickFailureReason,
  PickResult,
  ResolvedEndpoint,
} from './types.js';

/** An endpoint and the strategy's private state for it. */
export interface TableEntry<S> {
  readonly endpoint: ResolvedEndpoint;
  readonly state: S;
  /**
   * A frozen `{ ok: true, endpoint }`: strategies whose picks need no `done` return it as is, so a
   * pick allocates nothing.
   */
  readonly picked: PickResult & { readonly ok: true };
}

export type Candidates<S> =
  | { ok: true; entries: readonly TableEntry<S>[] }
  | { ok: false; reason: PickFailureReason };

/**
 * The membership every strategy keeps: a frozen snapshot of validated endpoints plus per-id state.
 *
 * - Every change is validated in full before anything is modified, so a rejected change leaves the
 *   table exactly as it was.
 * - `update` (and `setEndpoints` for an id that stays) keeps the estimator state; `remove` drops it,
 *   so an id that comes back starts fresh.
 * - `version` increases on every membership change so strategies can cache derived structures
 *   (rings, cumulative weights) and rebuild only when membership moved.
 * - `eligible` (weight > 0) is computed once per change, so the common pick — no `exclude` — never
 *   filters; `candidates()` is the slow path for picks with an `exclude` or an availability rule.
 */
export class EndpointTable<S> {
  readonly #createState: (endpoint: ResolvedEndpoint) => S;
  #entries = new Map<string, TableEntry<S>>();
  #snapshot: readonly ResolvedEndpoint[] = Object.freeze([]);
  #list: readonly TableEntry<S>[] = Object.freeze([]);
  #eligible: readonly TableEntry<S>[] = Object.freeze([]);
  #version = 0;

  constructor(createState: (endpoint: ResolvedEndpoint) => S) {
    this.#createState = createState;
  }

  get endpoints(): readonly ResolvedEndpoint[] {
    return this.#snapshot;
  }

  /** Entries in snapshot order. */
  get entries(): readonly TableEntry<S>[] {
    return this.#list;
  }

  /** Entries with weight > 0 (not drained), in snapshot order; rebuilt only on membership changes. */
  get eligible(): readonly TableEntry<S>[] {
    return this.#eligible;
  }

  get size(): number {
    return this.#list.length;
  }

  get version(): number {
    return this.#version;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): TableEntry<S> | undefined {
    return this.#entries.get(id);
  }

  /** Replaces the membership; ids that stay keep their state (and pick up the new fields). */
  setEndpoints(endpoints: readonly Endpoint[]): void {
    if (!Array.isArray(endpoints)) {
      throw new InvalidEndpointError(undefined, 'endpoints must be an array');
    }
    const normalized = endpoints.map(normalizeEndpoint);
    const seen = new Set<string>();
    for (const endpoint of normalized) {
      if (seen.has(endpoint.id)) throw new InvalidEndpointError(endpoint.id, 'duplicate id');
      seen.add(endpoint.id);
    }
    const next = new Map<string, TableEntry<S>>();
    for (const endpoint of normalized) {
      const previous = this.#entries.get(endpoint.id);
      next.set(
        endpoint.id,
        tableEntry(endpoint, previous ? previous.state : this.#createState(endpoint)),
      );
    }
    this.#commit(next);
  }

  /**
   * Applies one change. Strict on purpose: adding an existing id, or removing/updating an unknown
   * one, means the caller's view of membership diverged, which is a bug worth surfacing.
   */
  apply(change: MembershipChange): void {
    if (change === null || typeof change !== 'object') {
      throw new InvalidEndpointError(undefined, 'membership change must be an object');
    }
    switch (change.type) {
      case 'add': {
        const endpoint = normalizeEndpoint(change.endpoint);
        if (this.#entries.has(endpoint.id)) {
          throw new InvalidEndpointError(endpoint.id, 'duplicate id');
        }
        const next = new Map(this.#entries);
        next.set(endpoint.id, tableEntry(endpoint, this.#createState(endpoint)));
        this.#commit(next);
        return;
      }
      case 'update': {
        const endpoint = normalizeEndpoint(change.endpoint);
        const previous = this.#entries.get(endpoint.id);
        if (!previous) throw new InvalidEndpointError(endpoint.id, 'unknown id (update)');
        const next = new Map(this.#entries);
        next.set(endpoint.id, tableEntry(endpoint, previous.state));
        this.#commit(next);
        return;
      }
      case 'remove': {
        if (typeof change.id !== 'string' || !this.#entries.has(change.id)) {
          throw new InvalidEndpointError(
            typeof change.id === 'string' ? change.id : undefined,
            'unknown id (remove)',
          );
        }
        const next = new Map(this.#entries);
        next.delete(change.id);
        this.#commit(next);
        return;
      }
      default:
        throw new InvalidEndpointError(
          undefined,
          `unknown membership change type ${JSON.stringify((change as { type: unknown }).type)}`,
        );
    }
  }

  /**
   * The entries a pick may choose from, or why there are none: `no-endpoints` when the table is
   * empty, `all-excluded` when every endpoint is in `exclude`, `all-unavailable` when none of the
   * rest is eligible. Weight 0 (drained) is never eligible.
   */
  candidates(
    exclude: ReadonlySet<string> | undefined,
    isAvailable?: (entry: TableEntry<S>) => boolean,
  ): Candidates<S> {
    if (this.#list.length === 0) return { ok: false, reason: 'no-endpoints' };
    const entries: TableEntry<S>[] = [];
    let notExcluded = 0;
    for (const entry of this.#list) {
      if (exclude?.has(entry.endpoint.id)) continue;
      notExcluded++;
      if (entry.endpoint.weight > 0 && (isAvailable === undefined || isAvailable(entry))) {
        entries.push(entry);
      }
    }
    if (notExcluded === 0) return { ok: false, reason: 'all-excluded' };
    if (entries.length === 0) return { ok: false, reason: 'all-unavailable' };
    return { ok: true, entries };
  }

  /**
   * Why a pick found nothing, for strategies that searched their own cached structures first:
   * the same answer `candidates()` would give, computed without building a list.
   */
  failureReason(
    exclude: ReadonlySet<string> | undefined,
    isAvailable?: (entry: TableEntry<S>) => boolean,
  ): PickFailureReason | undefined {
    if (this.#list.length === 0) return 'no-endpoints';
    let notExcluded = 0;
    for (const entry of this.#list) {
      if (exclude?.has(entry.endpoint.id)) continue;
      notExcluded++;
      if (entry.endpoint.weight > 0 && (isAvailable === undefined || isAvailable(entry))) {
        return undefined;
      }
    }
    return notExcluded === 0 ? 'all-excluded' : 'all-unavailable';
  }

  #commit(next: Map<string, TableEntry<S>>): void {
    this.#entries = next;
    this.#list = Object.freeze([...next.values()]);
    this.#eligible = Object.freeze(this.#list.filter((entry) => entry.endpoint.weight > 0));
    this.#snapshot = Object.freeze(this.#list.map((entry) => entry.endpoint));
    this.#version++;
  }
}

function tableEntry<S>(endpoint: ResolvedEndpoint, state: S): TableEntry<S> {
  return { endpoint, state, picked: Object.freeze({ ok: true as const, endpoint }) };
}

/**
 * Validates one endpoint and returns a frozen copy with the weight defaulted to 1.
 * Rejects: a missing or empty id, a missing or empty address, a weight that is not a finite
 * number ≥ 0, a region that is not a string.
 */
export function normalizeEndpoint(input: Endpoint): ResolvedEndpoint {
  if (input === null || typeof input !== 'object') {
    throw new InvalidEndpointError(undefined, 'endpoint must be an object');
  }
  const { id, address, weight, region } = input as Partial<Endpoint>;
  if (typeof id !== 'string' || id === '') {
    throw new InvalidEndpointError(undefined, 'id must be a non-empty string');
  }
  if (typeof address !== 'string' || address === '') {
    throw new InvalidEndpointError(id, 'address must be a non-empty string');
  }
  const resolvedWeight = weight === undefined ? 1 : weight;
  if (typeof resolvedWeight !== 'number' || !Number.isFinite(resolvedWeight)) {
    throw new InvalidEndpointError(id, `weight must be a finite number, got ${String(weight)}`);
  }
  if (resolvedWeight < 0) {
    throw new InvalidEndpointError(id, `weight must be >= 0, got ${resolvedWeight}`);
  }
  if (region !== undefined && typeof region !== 'string') {
    throw new InvalidEndpointError(id, 'region must be a string');
  }
  return Object.freeze(
    region === undefined
      ? { id, address, weight: resolvedWeight }
      : { id, address, weight: resolvedWeight, region },
  );
}
