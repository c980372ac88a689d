/**
 * How many keys changed owner between two routing snapshots (key → server). Only keys present in
 * both count: a key whose request failed in one snapshot says nothing about movement.
 */
export interface KeyMovement {
  compared: number;
  moved: number;
  /** moved / compared (NaN when nothing was compared). */
  share: number;
}

export function keyMovement(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): KeyMovement {
  let compared = 0;
  let moved = 0;
  for (const [key, owner] of before) {
    const next = after.get(key);
    if (next === undefined) continue;
    compared++;
    if (next !== owner) moved++;
  }
  return { compared, moved, share: compared === 0 ? Number.NaN : moved / compared };
}

/**
 * Keys that moved although neither their old nor their new owner is `changed` (the replica that
 * joined or left): with a minimal-disruption scheme there are none.
 */
export function movedBetweenOthers(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  changed: string,
): number {
  let moved = 0;
  for (const [key, owner] of before) {
    const next = after.get(key);
    if (next !== undefined && next !== owner && owner !== changed && next !== changed) moved++;
  }
  return moved;
}

/** The share of keys a minimal scheme moves when membership goes from `from` to `to` servers. */
export function idealMovedShare(from: number, to: number): number {
  if (from < 1 || to < 1) throw new RangeError('server counts must be at least 1');
  // Growing: the newcomers take 1/to of the keys each; shrinking: the leavers' 1/from each.
  return Math.abs(to - from) / Math.max(from, to);
}
