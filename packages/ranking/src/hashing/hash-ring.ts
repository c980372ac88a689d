import type { HashFunction } from './hash-functions.js';

const TWO_POW_32 = 2 ** 32;
// Points and member indexes are packed into one double (point * 2^21 + member) so a single numeric
// typed-array sort orders them by point, ties by member; 2^32 * 2^21 = 2^53 keeps that exact.
const MEMBER_FACTOR = 2 ** 21;

/** A member placed on the ring: `name` seeds its points, `pointCount` is its number of virtual nodes. */
export interface RingMember {
  readonly name: string;
  readonly pointCount: number;
}

/**
 * A consistent-hash ring: virtual-node points sorted in a Uint32Array, each with the index of the
 * member that owns it. A key hash belongs to the first point at or after it, wrapping past 2^32 - 1.
 * Point `i` of a member is `hash(name, i)` — the seed keeps the points of one name independent.
 */
export class HashRing {
  readonly points: Uint32Array;
  readonly owners: Uint32Array;

  private constructor(points: Uint32Array, owners: Uint32Array) {
    this.points = points;
    this.owners = owners;
  }

  static build(members: readonly RingMember[], hash: HashFunction): HashRing {
    if (members.length > MEMBER_FACTOR) throw new RangeError('too many ring members');
    let total = 0;
    for (const member of members) total += member.pointCount;
    const packed = new Float64Array(total);
    let cursor = 0;
    members.forEach((member, index) => {
      for (let replica = 0; replica < member.pointCount; replica++) {
        packed[cursor++] = hash(member.name, replica) * MEMBER_FACTOR + index;
      }
    });
    packed.sort();
    const points = new Uint32Array(total);
    const owners = new Uint32Array(total);
    for (let i = 0; i < total; i++) {
      const value = packed[i]!;
      const owner = value % MEMBER_FACTOR;
      owners[i] = owner;
      points[i] = (value - owner) / MEMBER_FACTOR;
    }
    return new HashRing(points, owners);
  }

  get size(): number {
    return this.points.length;
  }

  /** Position of the first point >= hash (binary search), wrapping to 0; -1 on an empty ring. */
  locate(hash: number): number {
    const { points } = this;
    if (points.length === 0) return -1;
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    return lo === points.length ? 0 : lo;
  }

  /** The position after `position`, clockwise. */
  next(position: number): number {
    return position + 1 === this.points.length ? 0 : position + 1;
  }

  /** Fraction of the 2^32 hash space each member owns: point i owns (point i-1, point i]. */
  ownedFractions(memberCount: number): Float64Array {
    const fractions = new Float64Array(memberCount);
    const { points, owners } = this;
    const last = points.length - 1;
    for (let i = 0; i <= last; i++) {
      const previous = i === 0 ? points[last]! - TWO_POW_32 : points[i - 1]!;
      fractions[owners[i]!]! += (points[i]! - previous) / TWO_POW_32;
    }
    return fractions;
  }
}
