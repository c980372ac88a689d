import { normalizeEndpoint, type TableEntry } from '../endpoint-table.js';
import { InvalidStrategyOptionError, SlotTableTooSmallError } from '../errors.js';
import {
  type HashFunction,
  type HashFunctionName,
  hashFunctionNames,
  hashOption,
} from '../hashing/hash-functions.js';
import { HashedStrategyBase } from '../hashing/hashed-strategy-base.js';
import { randomUint32, reduceToRange } from '../hashing/range-reduction.js';
import { type SlotProbing, SlotTable, slotProbingModes } from '../hashing/slot-table.js';
import { checkChoiceOption, checkNumberOption } from '../option-checks.js';
import type { StrategyEntry } from '../strategy-entry.js';
import type {
  Endpoint,
  MembershipChange,
  PickContext,
  PickResult,
  StrategyDeps,
} from '../types.js';

export interface SlotTableHashOptions {
  /** Slots in the table. Default 512. */
  slots?: number;
  /** Slots per endpoint of weight 1 (scaled by weight). Default 32. */
  replicas?: number;
  /** Collision resolution when a replica's slot is taken. Default linear. */
  probing?: SlotProbing;
  /** Hash of keys and of (id, replica). Default murmur3. */
  hash?: HashFunctionName;
}

export const SLOT_TABLE_HASH_DEFAULTS = {
  slots: 512,
  replicas: 32,
  probing: 'linear',
  hash: 'murmur3',
} as const;

// Range reduction by multiply-shift stays exact below 2^21 slots.
const MAX_SLOTS = 2 ** 21;

/**
 * The classic array-based consistent hash: a fixed table of `slots` slots; each endpoint takes
 * round(replicas × weight) slots (at least 1; weight 0 takes none) at `hash(id, replica)`, and a
 * taken slot is resolved by linear or quadratic probing (see `SlotTable`). A key is served by the
 * first occupied slot at or after its own slot, clockwise.
 *
 * The table must be larger than the replicas it holds (Σ replicas < slots): a membership change
 * that would overfill it throws `SlotTableTooSmallError` and is not applied. Keep it well under
 * full — a crowded table probes more, and every probe displaces whoever lands there next.
 *
 * Unlike the ring, a collision couples endpoints: adding one can push another's replica to a
 * different slot, so movement is near- but not exactly minimal. The table is rebuilt on every
 * change, with endpoints placed in id order (independent of insertion order). Exclusion walks to
 * the next occupied slot clockwise whose endpoint is not excluded.
 */
export class SlotTableHashStrategy extends HashedStrategyBase<null> {
  readonly name = 'consistent-hash-slots';
  readonly #slots: number;
  readonly #replicas: number;
  readonly #probing: SlotProbing;
  readonly #hash: HashFunction;
  #table: SlotTable;
  #members: TableEntry<null>[] = [];

  constructor(options: SlotTableHashOptions = {}, deps: Partial<StrategyDeps> = {}) {
    super(() => null, deps);
    this.#slots = checkNumberOption('slots', options.slots, SLOT_TABLE_HASH_DEFAULTS.slots, {
      min: 2,
      max: MAX_SLOTS,
      integer: true,
    });
    this.#replicas = checkNumberOption(
      'replicas',
      options.replicas,
      SLOT_TABLE_HASH_DEFAULTS.replicas,
      { min: 1, integer: true },
    );
    if (this.#replicas >= this.#slots) {
      throw new InvalidStrategyOptionError(
        'slots',
        this.#slots,
        `must be larger than replicas (${this.#replicas}) so at least one endpoint fits`,
      );
    }
    this.#probing = checkChoiceOption(
      'probing',
      options.probing,
      SLOT_TABLE_HASH_DEFAULTS.probing,
      slotProbingModes,
    );
    this.#hash = hashOption(options.hash, SLOT_TABLE_HASH_DEFAULTS.hash);
    this.#table = SlotTable.build([], this.#slots, this.#probing, this.#hash);
  }

  /** Placements that found their home slot taken in the current table. */
  get collisions(): number {
    return this.#table.collisions;
  }

  override setEndpoints(endpoints: readonly Endpoint[]): void {
    if (Array.isArray(endpoints)) {
      const normalized = endpoints.map(normalizeEndpoint);
      this.#checkFits(normalized.reduce((sum, e) => sum + this.#replicasFor(e.weight), 0));
    }
    super.setEndpoints(endpoints);
  }

  override apply(change: MembershipChange): void {
    // Only a change the table will accept is checked here, so its own errors (duplicate or unknown
    // id, bad type) keep precedence.
    if (
      change !== null &&
      typeof change === 'object' &&
      (change.type === 'add' || change.type === 'update')
    ) {
      const endpoint = normalizeEndpoint(change.endpoint);
      const current = this.table.get(endpoint.id);
      if ((change.type === 'add') === (current === undefined)) {
        const previous = current ? this.#replicasFor(current.endpoint.weight) : 0;
        this.#checkFits(this.#placedReplicas() - previous + this.#replicasFor(endpoint.weight));
      }
    }
    super.apply(change);
  }

  protected rebuild(): void {
    const members = this.weightedEntriesById();
    this.#table = SlotTable.build(
      members.map((entry) => ({
        name: entry.endpoint.id,
        replicas: this.#replicasFor(entry.endpoint.weight),
      })),
      this.#slots,
      this.#probing,
      this.#hash,
    );
    this.#members = members;
    const fractions = this.#table.servedFractions(members.length);
    this.fractions = new Map(members.map((entry, index) => [entry.endpoint.id, fractions[index]!]));
  }

  protected choose(ctx: PickContext): PickResult | undefined {
    const table = this.#table;
    const keyHash = ctx.hashKey === undefined ? randomUint32(this.random) : this.#hash(ctx.hashKey);
    let slot = table.occupiedAtOrAfter(reduceToRange(keyHash, table.size));
    if (slot < 0) return undefined;
    for (let step = 0; step < table.size; step++) {
      const member = this.#members[table.owners[slot]!]!;
      if (!this.isExcluded(ctx, member)) return { ok: true, endpoint: member.endpoint };
      slot = table.occupiedAtOrAfter(slot + 1 === table.size ? 0 : slot + 1);
    }
    return undefined;
  }

  #replicasFor(weight: number): number {
    return weight > 0 ? Math.max(1, Math.round(this.#replicas * weight)) : 0;
  }

  #placedReplicas(): number {
    return this.table.entries.reduce((sum, e) => sum + this.#replicasFor(e.endpoint.weight), 0);
  }

  #checkFits(requiredReplicas: number): void {
    if (requiredReplicas >= this.#slots) {
      throw new SlotTableTooSmallError(this.#slots, requiredReplicas);
    }
  }
}

export const entry: StrategyEntry = {
  info: {
    name: 'consistent-hash-slots',
    description:
      'Classic array consistent hash: a fixed slot table, replicas per endpoint, linear or quadratic probing.',
    options: [
      {
        name: 'slots',
        type: 'number',
        default: SLOT_TABLE_HASH_DEFAULTS.slots,
        description: 'Slots in the table; must exceed the total replicas placed.',
      },
      {
        name: 'replicas',
        type: 'number',
        default: SLOT_TABLE_HASH_DEFAULTS.replicas,
        description: 'Slots per endpoint of weight 1 (scaled by weight).',
      },
      {
        name: 'probing',
        type: 'string',
        default: SLOT_TABLE_HASH_DEFAULTS.probing,
        description: 'Collision resolution for a taken slot.',
        choices: slotProbingModes,
      },
      {
        name: 'hash',
        type: 'string',
        default: SLOT_TABLE_HASH_DEFAULTS.hash,
        description: 'Hash function for keys and slot placement.',
        choices: hashFunctionNames,
      },
    ],
    hashed: true,
  },
  create: (options, deps) => new SlotTableHashStrategy(options as SlotTableHashOptions, deps),
};
