/**
 * Throughput with exponential forgetting over *time* (not over samples): bytes and elapsed time both
 * decay by 2^(-dt/halfLife), and the rate is their ratio. Irregular progress reports (many tiny ones,
 * or one big one) weigh by the time they cover, and before one half-life has passed the rate is
 * simply the mean so far, so the first estimate is not a single noisy sample.
 */
export class DecayingRate {
  readonly halfLifeMs: number;
  #bytes = 0;
  #ms = 0;

  constructor(halfLifeMs: number) {
    this.halfLifeMs = halfLifeMs;
  }

  /** `bytes` arrived over `elapsedMs` of activity (elapsed may be 0 for a burst). */
  observe(bytes: number, elapsedMs: number): void {
    const decay = elapsedMs > 0 ? 2 ** (-elapsedMs / this.halfLifeMs) : 1;
    this.#bytes = this.#bytes * decay + bytes;
    this.#ms = this.#ms * decay + elapsedMs;
  }

  /**
   * The rate if nothing arrives for another `silentMs`: lets a caller see that a source which stopped
   * reporting is slowing down without recording anything.
   */
  bytesPerMsAfter(silentMs: number): number | undefined {
    if (silentMs <= 0) return this.bytesPerMs;
    const decay = 2 ** (-silentMs / this.halfLifeMs);
    const ms = this.#ms * decay + silentMs;
    return ms > 0 ? (this.#bytes * decay) / ms : undefined;
  }

  /** Bytes per millisecond, or undefined before any time has been observed. */
  get bytesPerMs(): number | undefined {
    return this.#ms > 0 ? this.#bytes / this.#ms : undefined;
  }
}
