/**
 * A count whose units fade exponentially with half-life `halfLifeMs`; `whole(now)` rounds it to the
 * nearest integer. Least-pending P2C counts failures with it (see `LeastPendingP2cStrategy`): a
 * lone failure counts as one request in flight for exactly one half-life, a burst of k fades one
 * unit at a time, and a stream of f per ms settles near f · halfLife / ln 2 (Little's law).
 *
 * Rounding matters: a cost of whole requests keeps exact ties between idle endpoints. A continuous
 * residue (1 + 1e-9 pending) would make a recovered endpoint lose every tie for as long as the
 * residue stays above double precision — about 37 half-lives — although it is as idle as the rest.
 *
 * O(1) memory; reading never mutates, and decays from the latest `add`, so out-of-order adds count
 * as Δt = 0.
 */
export class DecayingCount {
  #value = 0;
  #stampMs = Number.NEGATIVE_INFINITY;

  constructor(readonly halfLifeMs: number) {}

  /** The decayed count at `now` (0 before the first `add`). */
  value(now: number): number {
    if (this.#value === 0) return 0;
    return this.#value * 2 ** (-Math.max(0, now - this.#stampMs) / this.halfLifeMs);
  }

  /** `value(now)` rounded to the nearest integer (halves round up). */
  whole(now: number): number {
    return Math.round(this.value(now));
  }

  add(now: number): void {
    this.#value = this.value(now) + 1;
    this.#stampMs = Math.max(this.#stampMs, now);
  }
}
