import type { TableEntry } from '../endpoint-table.js';
import { InvalidStrategyOptionError } from '../errors.js';
import {
  type HashFunction,
  type HashFunctionName,
  hashFunctionNames,
  hashOption,
} from '../hashing/hash-functions.js';
import { HashedStrategyBase } from '../hashing/hashed-strategy-base.js';
import { isPrime } from '../hashing/is-prime.js';
import { buildMaglevTable } from '../hashing/maglev-table.js';
import { randomUint32, reduceToRange } from '../hashing/range-reduction.js';
import { checkNumberOption } from '../option-checks.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type { PickContext, PickResult, StrategyDeps } from '../types.js';

export interface MaglevOptions {
  /** Lookup table size M; must be prime. Default 65537. */
  tableSize?: number;
  /** Hash of keys and of endpoint ids (offset and skip). Default murmur3. */
  hash?: HashFunctionName;
}

export const MAGLEV_DEFAULTS = { tableSize: 65537, hash: 'murmur3' } as const;

// Range reduction by multiply-shift stays exact below 2^21 entries.
const MAX_TABLE_SIZE = 2 ** 21;

/**
 * Maglev hashing (Eisenbud et al., NSDI 2016; Envoy's maglev): a prime-sized lookup table filled
 * by the endpoints' permutations in turns (see `buildMaglevTable`); a key goes to entry
 * `hash(key)` reduced to the table — one array read per pick.
 *
 * - Balance: each endpoint of equal weight owns ⌊M/n⌋ or ⌈M/n⌉ entries. Weights use proportional
 *   turns, so entries (and traffic) are proportional to weight; weight 0 owns nothing.
 * - Movement: the table is rebuilt on every membership change from the endpoints in id order, so it
 *   depends only on the set. Maglev trades a little disruption for that balance: a change moves a
 *   few keys between surviving endpoints too (measured in the tests; the paper bounds it for
 *   M ≫ n, and M ≥ 100·n is the usual advice).
 * - Exclusion walks the table forward from the key's entry to the first entry whose endpoint is
 *   not excluded: deterministic, and spread like the table itself (entries interleave endpoints).
 */
export class MaglevStrategy extends HashedStrategyBase<null> {
  readonly name = 'maglev';
  readonly #tableSize: number;
  readonly #hash: HashFunction;
  #lookup: Int32Array;
  #members: TableEntry<null>[] = [];

  constructor(options: MaglevOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(() => null, deps);
    this.#tableSize = checkNumberOption('tableSize', options.tableSize, MAGLEV_DEFAULTS.tableSize, {
      min: 2,
      max: MAX_TABLE_SIZE,
      integer: true,
    });
    if (!isPrime(this.#tableSize)) {
      throw new InvalidStrategyOptionError(
        'tableSize',
        this.#tableSize,
        'must be prime (e.g. 65537, 655373) so every skip walks the whole table',
      );
    }
    this.#hash = hashOption(options.hash, MAGLEV_DEFAULTS.hash);
    this.#lookup = new Int32Array(this.#tableSize).fill(-1);
  }

  protected rebuild(): void {
    const members = this.weightedEntriesById();
    this.#lookup = buildMaglevTable(
      members.map((entry) => ({ name: entry.endpoint.id, weight: entry.endpoint.weight })),
      this.#tableSize,
      this.#hash,
    );
    this.#members = members;
    const counts = new Float64Array(members.length);
    for (const owner of this.#lookup) if (owner >= 0) counts[owner]!++;
    this.fractions = new Map(
      members.map((entry, index) => [entry.endpoint.id, counts[index]! / this.#tableSize]),
    );
  }

  protected choose(ctx: PickContext): PickResult | undefined {
    const lookup = this.#lookup;
    const keyHash = ctx.hashKey === undefined ? randomUint32(this.random) : this.#hash(ctx.hashKey);
    let index = reduceToRange(keyHash, lookup.length);
    for (let step = 0; step < lookup.length; step++) {
      const owner = lookup[index]!;
      if (owner < 0) return undefined;
      const member = this.#members[owner]!;
      if (!this.isExcluded(ctx, member)) return { ok: true, endpoint: member.endpoint };
      index = index + 1 === lookup.length ? 0 : index + 1;
    }
    return undefined;
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'maglev',
    description:
      "Google's Maglev lookup table: near-perfect balance, O(1) picks, small disruption.",
    options: [
      {
        name: 'tableSize',
        type: 'number',
        default: MAGLEV_DEFAULTS.tableSize,
        description: 'Lookup table size; must be prime, ideally ≥ 100 × endpoints.',
      },
      {
        name: 'hash',
        type: 'string',
        default: MAGLEV_DEFAULTS.hash,
        description: 'Hash function for keys and endpoint permutations.',
        choices: hashFunctionNames,
      },
    ],
    hashed: true,
  },
  create: (options, deps) => new MaglevStrategy(options as MaglevOptions, deps),
};
