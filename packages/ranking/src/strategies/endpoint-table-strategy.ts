import { EndpointTable, type TableEntry } from '../endpoint-table.js';
import { validateSample } from '../sample-validation.js';
import type {
  Endpoint,
  MembershipChange,
  PickContext,
  PickResult,
  Sample,
  Strategy,
} from '../types.js';

/**
 * The membership half of a strategy, shared by the built-in ones: an `EndpointTable` holding a
 * state object of type `S` per endpoint, sample validation, and a hook for valid samples of known
 * endpoints. Subclasses supply `pick` and `shares`.
 *
 * Samples for ids that are not (or no longer) members are ignored: a probe round still in flight
 * when membership changes is normal, not an error.
 */
export abstract class EndpointTableStrategy<S> implements Strategy {
  abstract readonly name: string;
  protected readonly table: EndpointTable<S>;

  constructor(createState: (endpoint: Endpoint) => S) {
    this.table = new EndpointTable(createState);
  }

  get endpoints(): readonly Endpoint[] {
    return this.table.endpoints;
  }

  setEndpoints(endpoints: readonly Endpoint[]): void {
    this.table.setEndpoints(endpoints);
  }

  apply(change: MembershipChange): void {
    this.table.apply(change);
  }

  observe(endpointId: string, sample: Sample, now: number): void {
    validateSample(sample, now);
    const entry = this.table.get(endpointId);
    if (entry) this.onSample(entry, sample, now);
  }

  /** Called with every valid sample of a current member; the default ignores samples. */
  protected onSample(_entry: TableEntry<S>, _sample: Sample, _now: number): void {}

  /** The failed pick when no candidate is left: why, as `candidates()` would say. */
  protected noCandidate(
    exclude: ReadonlySet<string> | undefined,
    isAvailable?: (entry: TableEntry<S>) => boolean,
  ): PickResult {
    return {
      ok: false,
      reason: this.table.failureReason(exclude, isAvailable) ?? 'all-unavailable',
    };
  }

  abstract pick(ctx: PickContext): PickResult;
  abstract shares(now: number): ReadonlyMap<string, number>;
}

/** The pick's `exclude`, or undefined when it names nothing (so the fast path applies). */
export function activeExclude(ctx: PickContext): ReadonlySet<string> | undefined {
  return ctx.exclude !== undefined && ctx.exclude.size > 0 ? ctx.exclude : undefined;
}
