/**
 * A count whose units fade exponentially with time constant `tauMs`: each `add(now)` contributes
 * exp(−(t − now)/τ) at a later time t. Fed with failures, a stream of f per ms settles at f·τ, so
 * each failure weighs like a request held in flight for τ on average (Little's law) — the way
 * least-pending P2C counts failures (see `LeastPendingP2cStrategy`). O(1) memory; reading never
 * mutates, and decays from the latest `add`, so out-of-order adds count as Δt = 0.
 */
export class DecayingCount {
  readonly tauMs: number;
  #value = 0;
  #stampMs = Number.NEGATIVE_INFINITY;

  constructor(tauMs: number) {
    this.tauMs = tauMs;
  }

  /** The decayed count at `now` (0 before the first `add`). */
  value(now: number): number {
    if (this.#value === 0) return 0;
    return this.#value * Math.exp(-Math.max(0, now - this.#stampMs) / this.tauMs);
  }

  add(now: number): void {
    this.#value = this.value(now) + 1;
    this.#stampMs = Math.max(this.#stampMs, now);
  }
}
