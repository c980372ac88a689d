/**
 * The contract every strategy implements. A strategy is pure: the clock (`now`, in milliseconds)
 * and the random source arrive as arguments, so simulations and tests replay exactly.
 */

/** A server a strategy may choose. `weight` ≥ 0 (default 1); 0 means drained: never picked. */
export interface Endpoint {
  readonly id: string;
  readonly address: string;
  readonly weight?: number;
  readonly region?: string;
}

/** An endpoint as a strategy holds and returns it: validated, frozen, `weight` filled in. */
export interface ResolvedEndpoint extends Endpoint {
  readonly weight: number;
}

/** A measurement of one endpoint, fed to `Strategy.observe`. */
export type Sample =
  /** A timed transfer (a probe) that succeeded. */
  | { kind: 'probe'; ok: true; totalMs: number; bytes: number; bytesPerSec: number }
  /** A probe that failed (refused, timed out, bad status). */
  | { kind: 'probe'; ok: false }
  /** A completed request. */
  | { kind: 'request'; ok: boolean; latencyMs: number };

/** How a picked request ended; passed to `PickResult.done`. */
export interface Outcome {
  ok: boolean;
  latencyMs: number;
  now: number;
}

export interface PickContext {
  now: number;
  /** Affinity key for hashed strategies; ignored by the others. */
  hashKey?: string;
  /** Endpoint ids that must not be returned (e.g. already tried). */
  exclude?: ReadonlySet<string>;
}

export type PickFailureReason = 'no-endpoints' | 'all-excluded' | 'all-unavailable';

export type PickResult =
  /** `done`, when present, must be called once when the request ends (load-aware strategies). */
  | { ok: true; endpoint: Endpoint; done?: (outcome: Outcome) => void }
  | { ok: false; reason: PickFailureReason };

export type MembershipChange =
  | { type: 'add'; endpoint: Endpoint }
  | { type: 'remove'; id: string }
  | { type: 'update'; endpoint: Endpoint };

/** Uniform in [0, 1). */
export type RandomSource = () => number;

export interface StrategyDeps {
  random: RandomSource;
}

export interface Strategy {
  readonly name: string;
  /** The current membership: an immutable (frozen) snapshot, replaced on every change. */
  readonly endpoints: readonly Endpoint[];
  setEndpoints(endpoints: readonly Endpoint[]): void;
  apply(change: MembershipChange): void;
  observe(endpointId: string, sample: Sample, now: number): void;
  pick(ctx: PickContext): PickResult;
  /** Expected traffic share per endpoint id; sums to 1 over the eligible endpoints. */
  shares(now: number): ReadonlyMap<string, number>;
}
