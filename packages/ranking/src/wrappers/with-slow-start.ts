import { EndpointTable, type TableEntry } from '../endpoint-table.js';
import { checkNumberOption } from '../option-checks.js';
import { checkNow, validateSample } from '../sample-validation.js';
import { createSeededRandom, DEFAULT_RANDOM_SEED } from '../seeded-random.js';
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
import { callerFailureReason, mergeExclusions, withExclude } from './exclusion.js';

export interface SlowStartOptions {
  /** How long a new endpoint's share takes to ramp from 0 to full, ms (> 0). */
  windowMs: number;
}

interface RampState {
  ramping: boolean;
  /** The first clock reading after the endpoint joined; undefined until one arrives. */
  startedAt: number | undefined;
}

/**
 * Envoy-style slow start for any strategy: an endpoint added to a non-empty membership receives a
 * share that grows linearly from 0 to its full share over `windowMs`, so a cold cache or a JIT
 * that has not warmed up is not hit with full traffic at once.
 *
 * Implemented by probabilistic exclusion, which works with every strategy (weight-blind ones
 * included): on each pick a ramping endpoint sits out with probability 1 − f, f = elapsed/window,
 * so its share is f × its normal share. If the skips leave nothing to pick, the pick is retried
 * without them. `apply`/`setEndpoints` carry no clock, so the ramp starts at the first `now` seen
 * afterwards (pick, shares or observe). Endpoints present when the membership was empty (the
 * initial list) do not ramp: there is no one to shield them from.
 *
 * `shares` scales each ramping endpoint by f and gives the freed share to the others in proportion
 * to their shares: exact with one ramping endpoint under a proportional strategy, an
 * approximation otherwise.
 */
export class SlowStartStrategy implements Strategy {
  readonly inner: Strategy;
  readonly windowMs: number;
  readonly #random: RandomSource;
  readonly #ramps = new EndpointTable<RampState>(() => ({ ramping: true, startedAt: undefined }));
  /** The entries still ramping, in snapshot order: a pick only looks at these, so O(1) when none. */
  #ramping: readonly TableEntry<RampState>[] = [];

  constructor(inner: Strategy, options: SlowStartOptions, deps: Partial<StrategyDeps> = {}) {
    this.windowMs = checkNumberOption('windowMs', options?.windowMs, Number.NaN, {
      min: 0,
      minExclusive: true,
    });
    this.inner = inner;
    this.#random = deps.random ?? createSeededRandom(DEFAULT_RANDOM_SEED);
    this.#ramps.setEndpoints(inner.endpoints);
    for (const entry of this.#ramps.entries) entry.state.ramping = false;
  }

  #collectRamping(): void {
    this.#ramping = this.#ramps.entries.filter((entry) => entry.state.ramping);
  }

  get name(): string {
    return this.inner.name;
  }

  get endpoints(): readonly Endpoint[] {
    return this.inner.endpoints;
  }

  /** The fraction of its full share `id` receives at `now` (1 when not ramping). */
  rampFactor(id: string, now: number): number {
    checkNow(now);
    const state = this.#ramps.get(id)?.state;
    return state ? this.#factor(state, now) : 1;
  }

  setEndpoints(endpoints: readonly Endpoint[]): void {
    const wasEmpty = this.inner.endpoints.length === 0;
    this.inner.setEndpoints(endpoints);
    this.#ramps.setEndpoints(this.inner.endpoints);
    // New ids start ramping (the table creates their state); the initial list does not.
    if (wasEmpty) for (const entry of this.#ramps.entries) entry.state.ramping = false;
    this.#collectRamping();
  }

  apply(change: MembershipChange): void {
    const wasEmpty = this.inner.endpoints.length === 0;
    this.inner.apply(change);
    this.#ramps.apply(change);
    if (change.type === 'add' && wasEmpty) {
      this.#ramps.get(change.endpoint.id)!.state.ramping = false;
    }
    this.#collectRamping();
  }

  observe(endpointId: string, sample: Sample, now: number): void {
    validateSample(sample, now);
    this.#tick(now);
    this.inner.observe(endpointId, sample, now);
  }

  pick(ctx: PickContext): PickResult {
    checkNow(ctx.now);
    this.#tick(ctx.now);
    if (this.#ramping.length === 0) return this.inner.pick(ctx);
    const skipped = new Set<string>();
    for (const entry of this.#ramping) {
      if (ctx.exclude?.has(entry.endpoint.id)) continue;
      if (this.#random() >= this.#factor(entry.state, ctx.now)) skipped.add(entry.endpoint.id);
    }
    if (skipped.size > 0) {
      const result = this.inner.pick(withExclude(ctx, mergeExclusions(ctx.exclude, skipped)));
      if (result.ok) return result;
      const fallback = this.inner.pick(ctx);
      return fallback.ok ? fallback : callerFailureReason(this.inner, fallback, ctx.exclude);
    }
    return this.inner.pick(ctx);
  }

  shares(now: number): ReadonlyMap<string, number> {
    this.#tick(now);
    const inner = this.inner.shares(now);
    const factors = new Map<string, number>();
    let freed = 0;
    let steady = 0;
    for (const [id, share] of inner) {
      const state = this.#ramps.get(id)?.state;
      const factor = state ? this.#factor(state, now) : 1;
      if (factor < 1) {
        factors.set(id, factor);
        freed += share * (1 - factor);
      } else {
        steady += share;
      }
    }
    if (factors.size === 0 || steady === 0) return inner;
    const result = new Map<string, number>();
    for (const [id, share] of inner) {
      const factor = factors.get(id);
      result.set(id, factor === undefined ? share + (freed * share) / steady : share * factor);
    }
    return result;
  }

  #tick(now: number): void {
    let finished = false;
    for (const entry of this.#ramping) {
      const state = entry.state;
      if (state.startedAt === undefined) state.startedAt = now;
      else if (now - state.startedAt >= this.windowMs) {
        state.ramping = false;
        finished = true;
      }
    }
    if (finished) this.#collectRamping();
  }

  #factor(state: RampState, now: number): number {
    if (!state.ramping) return 1;
    if (state.startedAt === undefined) return 0;
    return Math.min(1, Math.max(0, (now - state.startedAt) / this.windowMs));
  }
}

/** Wraps `strategy` with a linear slow start for new endpoints; see `SlowStartStrategy`. */
export function withSlowStart(
  strategy: Strategy,
  options: SlowStartOptions,
  deps: Partial<StrategyDeps> = {},
): SlowStartStrategy {
  return new SlowStartStrategy(strategy, options, deps);
}
