import type { HashFunction } from './hash-functions.js';

// Seeds of the two independent hashes of a backend name (the paper's h1 and h2).
const OFFSET_SEED = 0;
const SKIP_SEED = 1;

/** A backend in the lookup table: `name` fixes its permutation, `weight` its share of turns. */
export interface MaglevMember {
  readonly name: string;
  readonly weight: number;
}

/**
 * Builds Maglev's lookup table (Eisenbud et al., NSDI 2016, §3.4): each backend walks its own
 * permutation of the prime-sized table, `offset + j·skip (mod size)` with offset = h1(name) mod size
 * and skip = h2(name) mod (size - 1) + 1, and backends take turns claiming their next free entry.
 *
 * Weights use proportional turns: every round each backend earns weight / maxWeight of a turn and
 * claims one entry when it has a whole turn saved, so the heaviest claims every round and one of
 * half the weight every other round; entries end up proportional to weight. Zero-weight backends
 * claim nothing. Returns the owner index per entry (-1 everywhere when no backend has weight).
 */
export function buildMaglevTable(
  members: readonly MaglevMember[],
  size: number,
  hash: HashFunction,
): Int32Array {
  const table = new Int32Array(size).fill(-1);
  let maxWeight = 0;
  for (const member of members) maxWeight = Math.max(maxWeight, member.weight);
  if (maxWeight <= 0 || size === 0) return table;

  const count = members.length;
  const position = new Float64Array(count);
  const skip = new Float64Array(count);
  const turnRate = new Float64Array(count);
  const savedTurns = new Float64Array(count);
  members.forEach((member, index) => {
    position[index] = hash(member.name, OFFSET_SEED) % size;
    skip[index] = size === 1 ? 1 : (hash(member.name, SKIP_SEED) % (size - 1)) + 1;
    turnRate[index] = member.weight / maxWeight;
  });

  let filled = 0;
  while (filled < size) {
    for (let index = 0; index < count && filled < size; index++) {
      savedTurns[index]! += turnRate[index]!;
      // The tolerance absorbs rounding in the sums of fractional rates (e.g. 3 × 1/3).
      if (savedTurns[index]! < 1 - 1e-9) continue;
      savedTurns[index]! -= 1;
      let entry = position[index]!;
      while (table[entry]! >= 0) entry = (entry + skip[index]!) % size;
      table[entry] = index;
      position[index] = (entry + skip[index]!) % size;
      filled++;
    }
  }
  return table;
}
