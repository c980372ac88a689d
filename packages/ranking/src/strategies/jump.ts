import {
  type HashFunction,
  type HashFunctionName,
  hashFunctionNames,
  hashOption,
} from '../hashing/hash-functions.js';
import { HashedStrategyBase } from '../hashing/hashed-strategy-base.js';
import { jumpHash } from '../hashing/jump-hash.js';
import { murmur3Word } from '../hashing/murmur3.js';
import { randomUint32 } from '../hashing/range-reduction.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { Endpoint, PickContext, PickResult, StrategyDeps } from '../types.js';

export interface JumpHashOptions {
  /** Hash of keys (two seeds make the 64-bit key). Default murmur3. */
  hash?: HashFunctionName;
}

export const JUMP_HASH_DEFAULTS = { hash: 'murmur3' } as const;

// Salted retries before a linear scan: with half the buckets unusable, 2^-64 of keys scan.
const MAX_REHASH_ATTEMPTS = 64;
const REHASH_SALT = 0x9e3779b9;
// Weight is bucket multiplicity; the clamp keeps a huge weight from allocating millions of buckets.
export const MAX_JUMP_BUCKETS_PER_ENDPOINT = 1000;

/** One jump bucket: its endpoint id, and whether it is live or a tombstone remembering its owner. */
interface Bucket {
  readonly id: string;
  live: boolean;
}

/**
 * Lamping–Veach jump consistent hash over a 64-bit key (`hash(key, 0)` high, `hash(key, 1)` low;
 * see `jumpHash`). Jump maps keys to buckets 0..n-1, not to names, so membership becomes buckets:
 *
 * - Buckets are handed out in membership order (the order of `setEndpoints` for new ids, then each
 *   `add`). An endpoint owns round(weight) buckets (at least 1; weight 0 owns none): jump has no
 *   weights, so integer weights are bucket multiplicity (at most 1000 per endpoint) and
 *   fractional ones are rounded.
 * - Plain jump only moves minimally when the last bucket goes. Removing the last bucket pops it
 *   (exactly jump with n - 1). Removing any other bucket leaves a tombstone: keys landing on it
 *   rehash with a salt (attempt 1, 2, ...) until they land on a live bucket, so only the removed
 *   endpoint's keys move, spread evenly over the rest; no key moves between two survivors.
 * - A joining endpoint first reclaims tombstones it left (its old keys come back), then the lowest
 *   tombstones, then appends buckets: again only keys that move to it move.
 * - Trailing tombstones are never popped (that would reshuffle survivors). When tombstones
 *   outnumber live buckets, the buckets are compacted to the live ones in order — a one-off
 *   reshuffle that keeps lookups at under two rehashes on average.
 * - Exclusion rehashes exactly like a tombstone: deterministic, spread evenly over the others.
 */
export class JumpHashStrategy extends HashedStrategyBase<null> {
  readonly name = 'jump';
  readonly #hash: HashFunction;
  #buckets: Bucket[] = [];
  #endpoints: (Endpoint | undefined)[] = [];
  #liveBuckets = 0;

  constructor(options: JumpHashOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(() => null, deps);
    this.#hash = hashOption(options.hash, JUMP_HASH_DEFAULTS.hash);
  }

  /** The endpoint id per bucket; undefined for a tombstone. */
  get bucketOwners(): readonly (string | undefined)[] {
    return this.#buckets.map((bucket) => (bucket.live ? bucket.id : undefined));
  }

  protected rebuild(): void {
    const wanted = new Map<string, number>();
    for (const { endpoint } of this.table.entries) {
      const buckets = Math.min(
        MAX_JUMP_BUCKETS_PER_ENDPOINT,
        Math.max(1, Math.round(endpoint.weight)),
      );
      wanted.set(endpoint.id, endpoint.weight > 0 ? buckets : 0);
    }
    this.#releaseSurplus(wanted);
    this.#claimShortfall(wanted);
    let live = 0;
    for (const bucket of this.#buckets) if (bucket.live) live++;
    if (this.#buckets.length - live > live) {
      this.#buckets = this.#buckets.filter((bucket) => bucket.live);
    }
    this.#liveBuckets = live;
    this.#endpoints = this.#buckets.map((bucket) =>
      bucket.live ? this.table.get(bucket.id)?.endpoint : undefined,
    );
    const fractions = new Map<string, number>();
    for (const bucket of this.#buckets) {
      if (bucket.live) fractions.set(bucket.id, (fractions.get(bucket.id) ?? 0) + 1 / live);
    }
    this.fractions = fractions;
  }

  protected choose(ctx: PickContext): PickResult | undefined {
    if (this.#liveBuckets === 0) return undefined;
    let high: number;
    let low: number;
    if (ctx.hashKey === undefined) {
      high = randomUint32(this.random);
      low = randomUint32(this.random);
    } else {
      high = this.#hash(ctx.hashKey, 0);
      low = this.#hash(ctx.hashKey, 1);
    }
    const count = this.#buckets.length;
    let bucket = jumpHash(high, low, count);
    for (let attempt = 1; attempt <= MAX_REHASH_ATTEMPTS; attempt++) {
      const endpoint = this.#usable(bucket, ctx);
      if (endpoint) return { ok: true, endpoint };
      bucket = jumpHash(murmur3Word(high, attempt), murmur3Word(low, attempt ^ REHASH_SALT), count);
    }
    for (let step = 0; step < count; step++) {
      const endpoint = this.#usable(bucket, ctx);
      if (endpoint) return { ok: true, endpoint };
      bucket = bucket + 1 === count ? 0 : bucket + 1;
    }
    return undefined;
  }

  #usable(bucket: number, ctx: PickContext): Endpoint | undefined {
    const endpoint = this.#endpoints[bucket];
    return endpoint && !ctx.exclude?.has(endpoint.id) ? endpoint : undefined;
  }

  /** Frees buckets of endpoints that left or own too many, highest bucket first. */
  #releaseSurplus(wanted: ReadonlyMap<string, number>): void {
    const owned = new Map<string, number>();
    for (const bucket of this.#buckets) {
      if (bucket.live) owned.set(bucket.id, (owned.get(bucket.id) ?? 0) + 1);
    }
    for (let index = this.#buckets.length - 1; index >= 0; index--) {
      const bucket = this.#buckets[index]!;
      if (!bucket.live) continue;
      const count = owned.get(bucket.id) ?? 0;
      if (count <= (wanted.get(bucket.id) ?? 0)) continue;
      owned.set(bucket.id, count - 1);
      // Popping a live last bucket is exactly jump with one bucket fewer; anywhere else, a tombstone.
      if (index === this.#buckets.length - 1) this.#buckets.pop();
      else bucket.live = false;
    }
  }

  /** Gives endpoints their missing buckets: own tombstones, then the lowest tombstones, then new. */
  #claimShortfall(wanted: ReadonlyMap<string, number>): void {
    const owned = new Map<string, number>();
    for (const bucket of this.#buckets) {
      if (bucket.live) owned.set(bucket.id, (owned.get(bucket.id) ?? 0) + 1);
    }
    for (const [id, count] of wanted) {
      let missing = count - (owned.get(id) ?? 0);
      for (let index = 0; missing > 0 && index < this.#buckets.length; index++) {
        const bucket = this.#buckets[index]!;
        if (!bucket.live && bucket.id === id) {
          bucket.live = true;
          missing--;
        }
      }
      for (let index = 0; missing > 0 && index < this.#buckets.length; index++) {
        if (!this.#buckets[index]!.live) {
          this.#buckets[index] = { id, live: true };
          missing--;
        }
      }
      for (; missing > 0; missing--) this.#buckets.push({ id, live: true });
    }
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'jump',
    description:
      'Lamping–Veach jump consistent hash: no table, perfect balance; tombstones keep removals minimal.',
    options: [
      {
        name: 'hash',
        type: 'string',
        default: JUMP_HASH_DEFAULTS.hash,
        description: 'Hash function for keys.',
        choices: hashFunctionNames,
      },
    ],
    hashed: true,
  },
  create: (options, deps) => new JumpHashStrategy(options as JumpHashOptions, deps),
};
