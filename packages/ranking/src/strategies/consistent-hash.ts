import type { TableEntry } from '../endpoint-table.js';
import {
  type HashFunction,
  type HashFunctionName,
  hashFunctionNames,
  hashOption,
} from '../hashing/hash-functions.js';
import { HashRing } from '../hashing/hash-ring.js';
import { HashedStrategyBase } from '../hashing/hashed-strategy-base.js';
import { randomUint32 } from '../hashing/range-reduction.js';
import { checkNumberOption } from '../option-checks.js';
import { validateOutcome } from '../sample-validation.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { Outcome, PickContext, PickResult, StrategyDeps } from '../types.js';

export interface ConsistentHashOptions {
  /** Virtual nodes (ring points) for an endpoint of weight 1. Default 160. */
  vnodes?: number;
  /** Hash of keys and of ring points. Default murmur3. */
  hash?: HashFunctionName;
  /** Bounded loads ε: an endpoint takes at most ⌈(1+ε)·its fair share⌉ in-flight requests. 0 = off. */
  loadFactor?: number;
}

export const CONSISTENT_HASH_DEFAULTS = { vnodes: 160, hash: 'murmur3', loadFactor: 0 } as const;

const MAX_VNODES = 100_000;
// Caps memory (two Uint32Arrays) when weights are large; beyond it counts are scaled down.
const MAX_RING_POINTS = 1 << 22;
// Keeps ⌈x⌉ from rounding up a value that is an integer but for floating-point noise.
const CAPACITY_TOLERANCE = 1e-9;

interface InFlight {
  inFlight: number;
}

/**
 * Ring consistent hashing (Karger et al.) with virtual nodes, as in Envoy's ring_hash: each
 * endpoint owns round(vnodes × weight) points (at least 1; weight 0 owns none) placed at
 * `hash(id, i)`; a key goes to the first point clockwise from `hash(key)` (binary search over a
 * sorted Uint32Array). Point counts scale with the absolute weight, so one endpoint's change never
 * moves another's points. Above 2^22 points in total, counts are scaled down to fit.
 *
 * Exclusion walks clockwise to the next point whose endpoint is not excluded — exactly where the
 * key would go if the excluded endpoints were removed.
 *
 * Bounded loads (loadFactor ε > 0; Mirrokni, Thorup & Zadimoghaddam 2018, as in HAProxy and
 * Envoy's hash_balance_factor): picks count in-flight requests until their `done`; an endpoint of
 * weight w may hold at most ⌈(1+ε)·(inFlight+1)·w/W⌉ (W = total weight), i.e. ⌈(1+ε)·mean⌉ for
 * equal weights, and a key whose endpoint is full walks clockwise to the first one under capacity.
 * The caps sum to more than the in-flight total, so without exclusions one always has room; if
 * exclusions leave none, the first non-excluded endpoint clockwise takes the request anyway.
 * `done` must be called once per pick (later calls are ignored); an endpoint removed while requests
 * are in flight stops counting them.
 */
export class ConsistentHashStrategy extends HashedStrategyBase<InFlight> {
  readonly name = 'consistent-hash';
  readonly #vnodes: number;
  readonly #hash: HashFunction;
  readonly #loadFactor: number;
  #ring: HashRing;
  #members: TableEntry<InFlight>[] = [];
  #capacityShare = new Float64Array(0);
  #inFlight = 0;

  constructor(options: ConsistentHashOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(() => ({ inFlight: 0 }), deps);
    this.#vnodes = checkNumberOption('vnodes', options.vnodes, CONSISTENT_HASH_DEFAULTS.vnodes, {
      min: 1,
      max: MAX_VNODES,
      integer: true,
    });
    this.#hash = hashOption(options.hash, CONSISTENT_HASH_DEFAULTS.hash);
    this.#loadFactor = checkNumberOption(
      'loadFactor',
      options.loadFactor,
      CONSISTENT_HASH_DEFAULTS.loadFactor,
      { min: 0 },
    );
    this.#ring = HashRing.build([], this.#hash);
  }

  /** Requests picked and not yet `done` (bounded loads only), per endpoint id. */
  inFlight(id: string): number {
    return this.table.get(id)?.state.inFlight ?? 0;
  }

  protected rebuild(): void {
    const members = this.weightedEntriesById();
    let counts = members.map((entry) =>
      Math.max(1, Math.round(this.#vnodes * entry.endpoint.weight)),
    );
    const total = counts.reduce((sum, count) => sum + count, 0);
    if (total > MAX_RING_POINTS) {
      counts = counts.map((count) => Math.max(1, Math.floor((count * MAX_RING_POINTS) / total)));
    }
    this.#ring = HashRing.build(
      members.map((entry, index) => ({ name: entry.endpoint.id, pointCount: counts[index]! })),
      this.#hash,
    );
    this.#members = members;
    const fractions = this.#ring.ownedFractions(members.length);
    this.fractions = new Map(members.map((entry, index) => [entry.endpoint.id, fractions[index]!]));
    const totalWeight = members.reduce((sum, entry) => sum + entry.endpoint.weight, 0);
    this.#capacityShare = Float64Array.from(
      members,
      (entry) => entry.endpoint.weight / totalWeight,
    );
    this.#inFlight = this.table.entries.reduce((sum, entry) => sum + entry.state.inFlight, 0);
  }

  protected choose(ctx: PickContext): PickResult | undefined {
    const ring = this.#ring;
    const keyHash = ctx.hashKey === undefined ? randomUint32(this.random) : this.#hash(ctx.hashKey);
    let position = ring.locate(keyHash);
    if (position < 0) return undefined;
    const bounded = this.#loadFactor > 0;
    const demand = (1 + this.#loadFactor) * (this.#inFlight + 1);
    let fallback: TableEntry<InFlight> | undefined;
    for (let step = 0; step < ring.size; step++, position = ring.next(position)) {
      const memberIndex = ring.owners[position]!;
      const member = this.#members[memberIndex]!;
      if (this.isExcluded(ctx, member)) continue;
      if (!bounded) return { ok: true, endpoint: member.endpoint };
      fallback ??= member;
      const capacity = Math.ceil(demand * this.#capacityShare[memberIndex]! - CAPACITY_TOLERANCE);
      if (member.state.inFlight < capacity) return this.#admit(member);
    }
    return fallback && this.#admit(fallback);
  }

  #admit(member: TableEntry<InFlight>): PickResult {
    const { state } = member;
    state.inFlight++;
    this.#inFlight++;
    let finished = false;
    const done = (outcome: Outcome): void => {
      if (finished) return;
      validateOutcome(outcome);
      finished = true;
      state.inFlight--;
      // A removed (or removed and re-added) endpoint's requests no longer count towards the mean.
      if (this.table.get(member.endpoint.id)?.state === state) this.#inFlight--;
    };
    return { ok: true, endpoint: member.endpoint, done };
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'consistent-hash',
    description:
      'Ring consistent hashing with virtual nodes (Envoy ring_hash); optional bounded loads (loadFactor).',
    options: [
      {
        name: 'vnodes',
        type: 'number',
        default: CONSISTENT_HASH_DEFAULTS.vnodes,
        description: 'Ring points per endpoint of weight 1 (scaled by weight).',
      },
      {
        name: 'hash',
        type: 'string',
        default: CONSISTENT_HASH_DEFAULTS.hash,
        description: 'Hash function for keys and ring points.',
        choices: hashFunctionNames,
      },
      {
        name: 'loadFactor',
        type: 'number',
        default: CONSISTENT_HASH_DEFAULTS.loadFactor,
        description:
          'Bounded loads ε: cap each endpoint at ⌈(1+ε)·mean⌉ in-flight requests; 0 = off.',
      },
    ],
    hashed: true,
  },
  create: (options, deps) => new ConsistentHashStrategy(options as ConsistentHashOptions, deps),
};
