/**
 * How many connections one mirror gets. Some servers limit each connection (nginx's `limit_rate`,
 * a per-flow shaper, a long path where one TCP window is the bottleneck); others limit the server
 * as a whole (lb-server's `--rate`, an uplink). More connections only help against the first kind,
 * and only cost server slots against the second, so the ramp measures instead of guessing, the
 * way TCP's slow start probes for bandwidth: it starts at one connection, doubles while doubling
 * raised the mirror's throughput by at least `minGain`, and steps back to the last count that
 * helped when it did not. A failure starts it over from one.
 *
 * Each count is measured over a window that opens once all its connections are receiving (so a
 * new connection's handshake and first round trip are not counted against it) and closes after
 * `windowBytes` per connection (fast mirrors are judged within milliseconds) or `windowMs`
 * (slow ones), but not before `minWindowMs` (one burst is not a rate).
 */

export interface ConnectionRampOptions {
  /** Most connections it will ever ask for (at least 1). */
  max: number;
  /** A window closes once this many bytes per connection arrived in it... */
  windowBytes: number;
  /** ...or once it is this old... */
  windowMs: number;
  /** ...but never before this. */
  minWindowMs: number;
  /**
   * A doubling must raise the throughput by this factor to be kept (e.g. 1.4); a smaller last
   * step up to `max` needs the same share of its own proportional gain.
   */
  minGain: number;
}

export class ConnectionRamp {
  readonly #options: ConnectionRampOptions;
  #target = 1;
  /** The previous count and its throughput (bytes/ms); undefined at the first count. */
  #before: { target: number; rate: number } | undefined;
  /** Where the current window opened; undefined until the current count is all receiving. */
  #window: { at: number; bytes: number } | undefined;
  #settled: boolean;

  constructor(options: ConnectionRampOptions) {
    this.#options = options;
    this.#settled = options.max <= 1;
  }

  /** Connections the mirror should have now. */
  get target(): number {
    return this.#target;
  }

  /** True once the ramp has stopped probing (until `reset`). */
  get settled(): boolean {
    return this.#settled;
  }

  /**
   * Feeds the mirror's cumulative received bytes at time `now` (ms); returns the new target.
   * `receiving`: every connection of the current target has started receiving. `canGrow` false
   * (little work left, or a global connection cap) holds the ramp without judging.
   */
  sample(now: number, bytes: number, receiving: boolean, canGrow: boolean): number {
    if (this.#settled) return this.#target;
    const window = this.#window;
    if (!receiving || !canGrow) {
      this.#window = undefined;
      return this.#target;
    }
    if (window === undefined) {
      this.#window = { at: now, bytes };
      return this.#target;
    }
    const { windowBytes, windowMs, minWindowMs } = this.#options;
    const elapsed = now - window.at;
    const got = bytes - window.bytes;
    if (elapsed < minWindowMs || (elapsed < windowMs && got < windowBytes * this.#target)) {
      return this.#target;
    }
    const rate = got / elapsed;
    this.#window = undefined;
    const before = this.#before;
    const step = before === undefined ? 1 : this.#target / before.target;
    if (
      before !== undefined &&
      rate < before.rate * (1 + (this.#options.minGain - 1) * (step - 1))
    ) {
      // The last doubling did not pay: go back to the count that did, and stay there.
      this.#target = before.target;
      this.#settled = true;
      return this.#target;
    }
    if (this.#target >= this.#options.max) {
      this.#settled = true;
      return this.#target;
    }
    this.#before = { target: this.#target, rate };
    this.#target = Math.min(this.#options.max, this.#target * 2);
    return this.#target;
  }

  /** The mirror failed: start over from one connection. */
  reset(): void {
    this.#target = 1;
    this.#before = undefined;
    this.#window = undefined;
    this.#settled = this.#options.max <= 1;
  }
}
