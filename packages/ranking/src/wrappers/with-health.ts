import { EndpointTable } from '../endpoint-table.js';
import { checkNumberOption } from '../option-checks.js';
import { checkNow, validateOutcome, validateSample } from '../sample-validation.js';
import type {
  Endpoint,
  MembershipChange,
  Outcome,
  PickContext,
  PickResult,
  Sample,
  Strategy,
} from '../types.js';
import { callerFailureReason, mergeExclusions, withExclude } from './exclusion.js';

export interface HealthOptions {
  /** Consecutive successes that bring a down endpoint up (default 2, integer ≥ 1). */
  rise?: number;
  /** Consecutive failures that take an up endpoint down (default 3, integer ≥ 1). */
  fall?: number;
}

interface HealthState {
  up: boolean;
  streak: number;
}

/**
 * HAProxy-style passive health on top of any strategy. Every sample and every `done` outcome is
 * a success (ok probe/request) or a failure; `fall` failures in a row take an endpoint down,
 * `rise` successes in a row bring it back. Endpoints start up, so a balancer serves before its
 * first probe round; an id re-added after removal starts up again.
 *
 * Down endpoints are passed to the inner strategy as excluded (its estimator state is kept and
 * keeps receiving samples) and get share 0; the remaining shares are renormalised, which is exact
 * for strategies whose shares are proportional to per-endpoint weights and an approximation for
 * rank-based and P2C ones.
 */
export class HealthCheckedStrategy implements Strategy {
  readonly inner: Strategy;
  readonly rise: number;
  readonly fall: number;
  readonly #health = new EndpointTable<HealthState>(() => ({ up: true, streak: 0 }));
  readonly #down = new Set<string>();

  constructor(inner: Strategy, options: HealthOptions = {}) {
    this.rise = checkNumberOption('rise', options.rise, 2, { min: 1, integer: true });
    this.fall = checkNumberOption('fall', options.fall, 3, { min: 1, integer: true });
    this.inner = inner;
    this.#health.setEndpoints(inner.endpoints);
  }

  get name(): string {
    return this.inner.name;
  }

  get endpoints(): readonly Endpoint[] {
    return this.inner.endpoints;
  }

  /** Whether `id` is up; undefined for an unknown id. */
  isUp(id: string): boolean | undefined {
    return this.#health.get(id)?.state.up;
  }

  setEndpoints(endpoints: readonly Endpoint[]): void {
    // Inner first: if it rejects the list, neither layer has changed.
    this.inner.setEndpoints(endpoints);
    this.#health.setEndpoints(this.inner.endpoints);
    this.#syncDown();
  }

  apply(change: MembershipChange): void {
    this.inner.apply(change);
    this.#health.apply(change);
    this.#syncDown();
  }

  observe(endpointId: string, sample: Sample, now: number): void {
    validateSample(sample, now);
    this.inner.observe(endpointId, sample, now);
    this.#record(endpointId, sample.ok);
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    const exclude = mergeExclusions(ctx.exclude, this.#down);
    const result = this.inner.pick(withExclude(ctx, exclude));
    if (!result.ok) return callerFailureReason(this.inner, result, ctx.exclude);
    return { ok: true, endpoint: result.endpoint, done: this.#completion(result) };
  }

  shares(now: number): ReadonlyMap<string, number> {
    const inner = this.inner.shares(now);
    let total = 0;
    for (const [id, share] of inner) if (!this.#down.has(id)) total += share;
    const result = new Map<string, number>();
    for (const [id, share] of inner) {
      result.set(id, this.#down.has(id) || total === 0 ? 0 : share / total);
    }
    return result;
  }

  /** The `done` of a pick: reports once to the inner strategy and to health. Anonymous on purpose
   * (see `completion` in least-pending-p2c.ts). */
  #completion(result: PickResult & { ok: true }): (outcome: Outcome) => void {
    const id = result.endpoint.id;
    const innerDone = result.done;
    let finished = false;
    return (outcome) => {
      validateOutcome(outcome);
      if (finished) return;
      finished = true;
      innerDone?.(outcome);
      this.#record(id, outcome.ok);
    };
  }

  #record(id: string, ok: boolean): void {
    const state = this.#health.get(id)?.state;
    if (!state) return;
    // streak counts consecutive results that argue for changing the current state.
    if (ok === state.up) {
      state.streak = 0;
      return;
    }
    state.streak++;
    if (state.streak >= (state.up ? this.fall : this.rise)) {
      state.up = !state.up;
      state.streak = 0;
      if (state.up) this.#down.delete(id);
      else this.#down.add(id);
    }
  }

  #syncDown(): void {
    for (const id of [...this.#down]) if (!this.#health.has(id)) this.#down.delete(id);
  }
}

/** Wraps `strategy` with passive health checking; see `HealthCheckedStrategy`. */
export function withHealth(strategy: Strategy, options: HealthOptions = {}): HealthCheckedStrategy {
  return new HealthCheckedStrategy(strategy, options);
}
