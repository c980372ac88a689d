/** Requests routed during one time bucket and how they were split across the servers. */
export interface TrafficBucket {
  /** Start of the bucket, virtual ms. */
  readonly startMs: number;
  /** Requests routed to some server during the bucket. */
  readonly requests: number;
  /** Fraction of those requests per server, in the order of `SimulationResult.serverIds`. */
  readonly shares: readonly number[];
}

/**
 * Counts routing decisions per fixed-width time bucket, to show how a strategy's traffic shifts when a
 * server fails or slows down. Buckets with no routed requests still appear (with zero shares) so the
 * series has no gaps.
 */
export class TrafficRecorder {
  readonly #bucketMs: number;
  readonly #servers: number;
  /** counts[bucket * servers + server]; grown as time advances. */
  #counts: Uint32Array;
  #buckets = 0;

  constructor(bucketMs: number, servers: number) {
    this.#bucketMs = bucketMs;
    this.#servers = servers;
    this.#counts = new Uint32Array(servers * 16);
  }

  /** Records that a request was routed to `server` (index) at virtual time `nowMs`. */
  record(nowMs: number, server: number): void {
    const bucket = Math.floor(nowMs / this.#bucketMs);
    if (bucket >= this.#buckets) {
      const needed = (bucket + 1) * this.#servers;
      if (needed > this.#counts.length) {
        const grown = new Uint32Array(Math.max(needed, this.#counts.length * 2));
        grown.set(this.#counts);
        this.#counts = grown;
      }
      this.#buckets = bucket + 1;
    }
    this.#counts[bucket * this.#servers + server]! += 1;
  }

  /** The buckets recorded so far, from time 0. */
  buckets(): TrafficBucket[] {
    const result: TrafficBucket[] = [];
    for (let b = 0; b < this.#buckets; b++) {
      const row = this.#counts.subarray(b * this.#servers, (b + 1) * this.#servers);
      let requests = 0;
      for (const c of row) requests += c;
      result.push({
        startMs: b * this.#bucketMs,
        requests,
        shares: Array.from(row, (c) => (requests === 0 ? 0 : c / requests)),
      });
    }
    return result;
  }
}
