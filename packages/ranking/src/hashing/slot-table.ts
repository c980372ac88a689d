import type { HashFunction } from './hash-functions.js';
import { reduceToRange } from './range-reduction.js';

/** How a virtual slot that lands on an occupied slot looks for a free one. */
export type SlotProbing = 'linear' | 'quadratic';

export const slotProbingModes: readonly SlotProbing[] = ['linear', 'quadratic'];

/** A member placed in the table: `name` seeds its slots, `replicas` is how many slots it takes. */
export interface SlotMember {
  readonly name: string;
  readonly replicas: number;
}

/**
 * The classic array-based consistent hash: a fixed table of `size` slots; replica r of a member goes
 * to slot `hash(name, r)` reduced to the table, or — if taken — to the first free slot of its probe
 * sequence. A key is served by the first occupied slot at or after its own slot, clockwise.
 *
 * Replicas are placed replica-major (replica 0 of every member, then replica 1, ...), members in the
 * given order, so a collision costs each member about equally instead of always the last member.
 * Quadratic probing steps by triangular numbers (start + i(i+1)/2), which visits every slot when
 * `size` is a power of two; for other sizes it falls back to linear probing if its cycle is full.
 * The caller guarantees fewer replicas in total than slots.
 */
export class SlotTable {
  /** Owner member index per slot; -1 for an empty slot. */
  readonly owners: Int32Array;
  /** Placements that found their home slot taken and had to probe. */
  readonly collisions: number;
  // Position of the first occupied slot at or after each slot (wrapping): O(1) lookups.
  private readonly nextOccupied: Int32Array;

  private constructor(owners: Int32Array, collisions: number) {
    this.owners = owners;
    this.collisions = collisions;
    this.nextOccupied = new Int32Array(owners.length).fill(-1);
    let following = -1;
    // Two passes backwards so slots after the last occupied one wrap to the first occupied one.
    for (let pass = 0; pass < 2; pass++) {
      for (let slot = owners.length - 1; slot >= 0; slot--) {
        if (owners[slot]! >= 0) following = slot;
        this.nextOccupied[slot] = following;
      }
    }
  }

  static build(
    members: readonly SlotMember[],
    size: number,
    probing: SlotProbing,
    hash: HashFunction,
  ): SlotTable {
    const owners = new Int32Array(size).fill(-1);
    let collisions = 0;
    let maxReplicas = 0;
    for (const member of members) maxReplicas = Math.max(maxReplicas, member.replicas);
    for (let replica = 0; replica < maxReplicas; replica++) {
      members.forEach((member, index) => {
        if (replica >= member.replicas) return;
        const home = reduceToRange(hash(member.name, replica), size);
        const slot = owners[home]! < 0 ? home : probeForFreeSlot(owners, home, probing);
        if (slot !== home) collisions++;
        owners[slot] = index;
      });
    }
    return new SlotTable(owners, collisions);
  }

  get size(): number {
    return this.owners.length;
  }

  /** The occupied slot serving `slot` (itself or the next occupied one clockwise); -1 if empty. */
  occupiedAtOrAfter(slot: number): number {
    return this.nextOccupied[slot]!;
  }

  /** Fraction of key slots each member serves. */
  servedFractions(memberCount: number): Float64Array {
    const fractions = new Float64Array(memberCount);
    const share = 1 / this.owners.length;
    for (let slot = 0; slot < this.owners.length; slot++) {
      const occupied = this.nextOccupied[slot]!;
      if (occupied >= 0) fractions[this.owners[occupied]!]! += share;
    }
    return fractions;
  }
}

function probeForFreeSlot(owners: Int32Array, home: number, probing: SlotProbing): number {
  const size = owners.length;
  let slot = home;
  if (probing === 'quadratic') {
    for (let step = 1; step < size; step++) {
      slot = (slot + step) % size;
      if (owners[slot]! < 0) return slot;
    }
  }
  for (let step = 1; step < size; step++) {
    slot = (slot + 1) % size;
    if (owners[slot]! < 0) return slot;
  }
  throw new RangeError('slot table is full');
}
