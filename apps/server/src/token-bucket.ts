/**
 * A token bucket that every connection of one server draws from, so the server's *total* send
 * rate is the configured one however many clients share it (`--rate`).
 *
 * It is a debt bucket: `reserve(n)` always succeeds and returns how long the caller must wait
 * before sending its `n` bytes. Tokens may go negative; the debt is paid back at `rate` bytes/s.
 * Callers that reserve later queue behind earlier ones without any queue object, and the total
 * stays exact because every byte sent was paid for exactly once.
 */

export interface TokenBucketOptions {
  /** Sustained rate in bytes per second. */
  bytesPerSecond: number;
  /**
   * Bytes that may be sent at once after a quiet period. Small, so the rate holds over short
   * windows too; defaults to 1/50 s worth of tokens, at least 1 KiB.
   */
  burstBytes?: number;
  /** Milliseconds, monotonic. Injected so tests can drive time by hand. */
  now?: () => number;
}

export class TokenBucket {
  readonly bytesPerSecond: number;
  readonly burstBytes: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: TokenBucketOptions) {
    const { bytesPerSecond } = options;
    if (!(bytesPerSecond > 0) || !Number.isFinite(bytesPerSecond)) {
      throw new RangeError(`bytesPerSecond must be a positive number, got ${bytesPerSecond}`);
    }
    this.bytesPerSecond = bytesPerSecond;
    this.burstBytes = options.burstBytes ?? Math.max(1024, Math.floor(bytesPerSecond / 50));
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = this.burstBytes;
    this.#updatedAt = this.#now();
  }

  /** Tokens available right now (negative while in debt). */
  get tokens(): number {
    this.#refill();
    return this.#tokens;
  }

  /**
   * Takes `bytes` tokens and returns the delay in milliseconds after which they may be sent
   * (0 when they may be sent now).
   */
  reserve(bytes: number): number {
    this.#refill();
    this.#tokens -= bytes;
    return this.#tokens >= 0 ? 0 : (-this.#tokens / this.bytesPerSecond) * 1000;
  }

  /** Gives back tokens that were reserved but never sent (the connection died first). */
  refund(bytes: number): void {
    this.#refill();
    this.#tokens = Math.min(this.burstBytes, this.#tokens + bytes);
  }

  /**
   * A good size for one paced write: small enough that pacing is smooth (about 1/32 s of rate),
   * never larger than `max`.
   */
  chunkSize(max: number): number {
    return Math.max(1024, Math.min(max, Math.floor(this.bytesPerSecond / 32)));
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = now - this.#updatedAt;
    this.#updatedAt = now;
    if (elapsed > 0) {
      this.#tokens = Math.min(
        this.burstBytes,
        this.#tokens + (elapsed / 1000) * this.bytesPerSecond,
      );
    }
  }
}
