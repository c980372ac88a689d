import type { TableEntry } from '../endpoint-table.js';
import {
  type HashFunction,
  type HashFunctionName,
  hashFunctionNames,
  hashOption,
} from '../hashing/hash-functions.js';
import { HashedStrategyBase } from '../hashing/hashed-strategy-base.js';
import { murmur3Word } from '../hashing/murmur3.js';
import { randomUint32 } from '../hashing/range-reduction.js';
import { rendezvousScore } from '../hashing/rendezvous-score.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult, StrategyDeps } from '../types.js';

export interface RendezvousOptions {
  /** Hash of keys and of endpoint ids. Default murmur3. */
  hash?: HashFunctionName;
}

export const RENDEZVOUS_DEFAULTS = { hash: 'murmur3' } as const;

/**
 * Weighted rendezvous (highest random weight) hashing, Thaler & Ravishankar: every endpoint scores
 * the key and the highest score wins. The score is -weight / ln(u) with u the hash of the pair
 * (key, endpoint) in (0, 1) — `murmur3Word(hash(key), hash(id))`, so the key string is hashed once
 * per pick and each endpoint costs one word mix.
 *
 * - Shares are exactly weight / Σ weights; there is no structure to build, picks cost O(n).
 * - Movement is minimal: an endpoint's arrival or departure moves only the keys it wins or had,
 *   and a weight change only moves keys to or from that endpoint.
 * - Exclusion takes the next-highest score: the same answer as if the excluded endpoints were gone.
 * - Ties (two ids hashing alike) go to the smaller id.
 */
export class RendezvousStrategy extends HashedStrategyBase<null> {
  readonly name = 'rendezvous';
  readonly #hash: HashFunction;
  #members: TableEntry<null>[] = [];
  #seeds = new Uint32Array(0);

  constructor(options: RendezvousOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(() => null, deps);
    this.#hash = hashOption(options.hash, RENDEZVOUS_DEFAULTS.hash);
  }

  protected rebuild(): void {
    const members = this.weightedEntriesById();
    this.#members = members;
    this.#seeds = Uint32Array.from(members, (entry) => this.#hash(entry.endpoint.id));
    const totalWeight = members.reduce((sum, entry) => sum + entry.endpoint.weight, 0);
    this.fractions = new Map(
      members.map((entry) => [entry.endpoint.id, entry.endpoint.weight / totalWeight]),
    );
  }

  protected choose(ctx: PickContext): PickResult | undefined {
    const keyHash = ctx.hashKey === undefined ? randomUint32(this.random) : this.#hash(ctx.hashKey);
    let best: TableEntry<null> | undefined;
    let bestScore = -1;
    for (let index = 0; index < this.#members.length; index++) {
      const member = this.#members[index]!;
      if (this.isExcluded(ctx, member)) continue;
      const score = rendezvousScore(
        murmur3Word(keyHash, this.#seeds[index]!),
        member.endpoint.weight,
      );
      if (score > bestScore) {
        best = member;
        bestScore = score;
      }
    }
    return best && { ok: true, endpoint: best.endpoint };
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'rendezvous',
    description:
      'Weighted rendezvous (HRW) hashing: exact weighted shares, minimal movement, O(n) picks.',
    options: [
      {
        name: 'hash',
        type: 'string',
        default: RENDEZVOUS_DEFAULTS.hash,
        description: 'Hash function for keys and endpoint ids.',
        choices: hashFunctionNames,
      },
    ],
    hashed: true,
  },
  create: (options, deps) => new RendezvousStrategy(options as RendezvousOptions, deps),
};
