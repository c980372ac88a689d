/**
 * The failure penalty of `P2cPeakEwmaStrategy`, kept apart from the latency estimate so that a
 * failure neither poisons the latency memory (τ = 10 s would keep a 5 s penalty above a 10 ms
 * server for ~55 s) nor lets a fast failure look like a fast server.
 *
 * - `fail(magnitudeMs, now)` arms it: the penalty becomes at least `magnitudeMs`.
 * - It fades as magnitude × exp(−(t − failure)/`decayMs`): an endpoint that gets no traffic is
 *   retried after about decayMs × ln(penalty / the others' cost) — seconds, not a minute.
 * - `succeed(sentAt)` disarms it when the successful request (or probe) was sent at or after the
 *   latest failure: the endpoint has answered since it failed, so it is back at once. Successes
 *   of requests sent before the failure (still in flight when it happened) prove nothing and leave
 *   it armed.
 *
 * Reading never mutates; out-of-order failures count as Δt = 0.
 */
export class FailurePenalty {
  #magnitudeMs = 0;
  #failedAtMs = Number.NEGATIVE_INFINITY;

  constructor(readonly decayMs: number) {}

  /** The penalty at `now`, ms (0 when disarmed). */
  value(now: number): number {
    if (this.#magnitudeMs === 0) return 0;
    return this.#magnitudeMs * Math.exp(-Math.max(0, now - this.#failedAtMs) / this.decayMs);
  }

  /** When the latest failure was recorded, or undefined while disarmed. */
  get failedAtMs(): number | undefined {
    return this.#magnitudeMs === 0 ? undefined : this.#failedAtMs;
  }

  fail(magnitudeMs: number, now: number): void {
    this.#magnitudeMs = Math.max(this.value(now), magnitudeMs);
    this.#failedAtMs = Math.max(this.#failedAtMs, now);
  }

  succeed(sentAtMs: number): void {
    if (sentAtMs >= this.#failedAtMs) this.#magnitudeMs = 0;
  }
}
