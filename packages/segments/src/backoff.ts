import { InvalidArgumentError } from './errors.js';

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** Delay ceiling before jitter for the first retry (default 250 ms). */
  baseMs?: number;
  /** Growth per attempt (default 2). */
  factor?: number;
  /** Cap on the delay ceiling (default 30 000 ms). */
  maxMs?: number;
  /** Uniform random in [0, 1): injected so callers and tests control it (e.g. `Math.random`). */
  random: () => number;
}

/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, 2015): the delay is uniform in
 * [0, min(max, base * factor^attempt)), which spreads retries of many clients hitting one dead
 * mirror instead of synchronising them. One instance per source; `reset()` after a success.
 */
export class Backoff {
  readonly baseMs: number;
  readonly factor: number;
  readonly maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    this.baseMs = positive('baseMs', options.baseMs ?? 250);
    this.factor = positive('factor', options.factor ?? 2);
    this.maxMs = positive('maxMs', options.maxMs ?? 30_000);
    if (this.factor < 1) throw new InvalidArgumentError('factor', this.factor);
    if (typeof options.random !== 'function')
      throw new InvalidArgumentError('random', options.random);
    this.#random = options.random;
  }

  /** Failures since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The ceiling for the current attempt, before jitter. */
  ceilingMs(attempt = this.#attempt): number {
    return Math.min(this.maxMs, this.baseMs * this.factor ** attempt);
  }

  /** Records a failure and returns how long to wait before the next try. */
  next(): number {
    const delay = this.ceilingMs() * this.#random();
    this.#attempt++;
    return delay;
  }

  /** A success: the next failure starts from `baseMs` again. */
  reset(): void {
    this.#attempt = 0;
  }
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new InvalidArgumentError(name, value);
  return value;
}
