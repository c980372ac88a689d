/**
 * Peak-sensitive, time-weighted EWMA of latency (Finagle's `PeakEwma`, tower's `PeakEwma`).
 *
 * - A sample above the current estimate replaces it at once (the peak): slowness is believed
 *   immediately, recovery only gradually.
 * - Otherwise the sample is blended with weight `1 − w`, `w = exp(−Δt/τ)`, Δt being the time since
 *   the previous sample, so the estimate's memory is measured in time, not in sample counts.
 * - Between samples the estimate decays toward 0 with the same τ, exactly as Finagle and tower
 *   decay it on every read: an endpoint that stopped receiving traffic after a peak (P2C never
 *   picks the worst of n ≥ 3) looks cheaper as time passes and is eventually retried. Here the
 *   decay is computed from `now` instead of mutating on read, so reading never changes the result.
 *
 * Samples older than the previous one (out of order) count as Δt = 0.
 */
export class PeakEwma {
  readonly tauMs: number;
  #value: number | undefined;
  #stampMs = 0;

  constructor(tauMs: number) {
    this.tauMs = tauMs;
  }

  /** True once a sample has been observed. */
  get measured(): boolean {
    return this.#value !== undefined;
  }

  /** The estimate at `now` in ms, or undefined before the first sample. */
  estimate(now: number): number | undefined {
    if (this.#value === undefined) return undefined;
    return this.#value * this.#decay(now);
  }

  observe(latencyMs: number, now: number): void {
    if (this.#value === undefined) {
      this.#value = latencyMs;
      this.#stampMs = now;
      return;
    }
    const w = this.#decay(now);
    const current = this.#value * w;
    this.#value = latencyMs > current ? latencyMs : current + latencyMs * (1 - w);
    this.#stampMs = Math.max(this.#stampMs, now);
  }

  #decay(now: number): number {
    return Math.exp(-Math.max(0, now - this.#stampMs) / this.tauMs);
  }
}
