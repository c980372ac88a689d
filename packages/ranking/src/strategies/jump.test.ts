import { describe, expect, it } from 'vitest';
import { assignmentOf, endpoints, errorCode, withEndpoints } from '../../test/strategy-helpers.js';
import { JumpHashStrategy, MAX_JUMP_BUCKETS_PER_ENDPOINT } from './jump.js';

const keys = Array.from({ length: 4000 }, (_, i) => `/releases/v${i}/image.img`);

const assignment = assignmentOf(keys);

const jumpOver = (ids: readonly string[], weights?: readonly number[]) =>
  withEndpoints(new JumpHashStrategy(), ids, weights);

/** Moves between two assignments, split into "involving `id`" and "between survivors". */
function moves(before: readonly string[], after: readonly string[], id: string) {
  let involving = 0;
  let betweenOthers = 0;
  before.forEach((owner, i) => {
    if (owner === after[i]) return;
    if (owner === id || after[i] === id) involving++;
    else betweenOthers++;
  });
  return { involving, betweenOthers };
}

describe('JumpHashStrategy', () => {
  it('rejects an unknown hash with LB_RANKING_INVALID_OPTION', () => {
    expect(errorCode(() => new JumpHashStrategy({ hash: 'xx' as never }))).toBe(
      'LB_RANKING_INVALID_OPTION',
    );
  });

  it('hands out buckets in membership order, round(weight) each', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd', 'e'], [1, 2, 0, 2.5, 0.3]);
    expect(strategy.bucketOwners).toEqual(['a', 'b', 'b', 'd', 'd', 'd', 'e']);
    expect(strategy.shares(0).get('d')).toBeCloseTo(3 / 7, 12);
    expect(strategy.shares(0).get('c')).toBe(0);
  });

  it('clamps a huge weight to MAX_JUMP_BUCKETS_PER_ENDPOINT buckets', () => {
    const strategy = jumpOver(['a', 'b'], [1e9, 1]);
    expect(strategy.bucketOwners).toHaveLength(MAX_JUMP_BUCKETS_PER_ENDPOINT + 1);
    expect(strategy.shares(0).get('b')).toBeCloseTo(1 / (MAX_JUMP_BUCKETS_PER_ENDPOINT + 1), 12);
  });

  it('growing by one endpoint appends a bucket: keys move only to the newcomer', () => {
    const strategy = jumpOver(['a', 'b', 'c']);
    const before = assignment(strategy);
    strategy.apply({ type: 'add', endpoint: endpoints(['d'])[0]! });
    const result = moves(before, assignment(strategy), 'd');
    expect(result.betweenOthers).toBe(0);
    expect(Math.abs(result.involving / keys.length - 0.25)).toBeLessThan(0.03);
  });

  it('removing the last bucket pops it: exactly jump over n - 1 buckets', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd']);
    strategy.apply({ type: 'remove', id: 'd' });
    expect(strategy.bucketOwners).toEqual(['a', 'b', 'c']);
    expect(assignment(strategy)).toEqual(assignment(jumpOver(['a', 'b', 'c'])));
  });

  it('removing a middle endpoint leaves a tombstone: only its keys move, spread over the rest', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd']);
    const before = assignment(strategy);
    strategy.apply({ type: 'remove', id: 'b' });
    expect(strategy.bucketOwners).toEqual(['a', undefined, 'c', 'd']);
    const after = assignment(strategy);
    expect(moves(before, after, 'b').betweenOthers).toBe(0);
    const counts = new Map<string, number>();
    after.forEach((id, i) => {
      if (before[i] === 'b') counts.set(id, (counts.get(id) ?? 0) + 1);
    });
    const orphaned = before.filter((id) => id === 'b').length;
    for (const id of ['a', 'c', 'd']) {
      expect(Math.abs(counts.get(id)! / orphaned - 1 / 3)).toBeLessThan(0.06);
    }
    expect([...strategy.shares(0).values()]).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('an endpoint that returns reclaims its own tombstone and gets exactly its keys back', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd']);
    const original = assignment(strategy);
    strategy.apply({ type: 'remove', id: 'b' });
    strategy.apply({ type: 'add', endpoint: endpoints(['b'])[0]! });
    expect(strategy.bucketOwners).toEqual(['a', 'b', 'c', 'd']);
    expect(assignment(strategy)).toEqual(original);
    // Draining through weight 0 and back behaves the same.
    strategy.apply({ type: 'update', endpoint: endpoints(['c'], [0])[0]! });
    expect(strategy.bucketOwners).toEqual(['a', 'b', undefined, 'd']);
    strategy.apply({ type: 'update', endpoint: endpoints(['c'])[0]! });
    expect(assignment(strategy)).toEqual(original);
  });

  it('a newcomer takes the lowest tombstone: keys move only to it', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd']);
    strategy.apply({ type: 'remove', id: 'b' });
    const before = assignment(strategy);
    strategy.apply({ type: 'add', endpoint: endpoints(['e'])[0]! });
    expect(strategy.bucketOwners).toEqual(['a', 'e', 'c', 'd']);
    expect(moves(before, assignment(strategy), 'e').betweenOthers).toBe(0);
  });

  it('never pops a trailing tombstone, so survivors keep their keys', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd', 'e']);
    const before = assignment(strategy);
    strategy.apply({ type: 'remove', id: 'd' });
    strategy.apply({ type: 'remove', id: 'e' });
    expect(strategy.bucketOwners).toEqual(['a', 'b', 'c', undefined]);
    const after = assignment(strategy);
    before.forEach((id, i) => {
      if (id !== 'd' && id !== 'e') expect(after[i]).toBe(id);
    });
  });

  it('compacts when tombstones outnumber live buckets (a documented one-off reshuffle)', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd', 'e']);
    strategy.apply({ type: 'remove', id: 'a' });
    strategy.apply({ type: 'remove', id: 'b' });
    expect(strategy.bucketOwners).toEqual([undefined, undefined, 'c', 'd', 'e']);
    strategy.apply({ type: 'remove', id: 'c' });
    expect(strategy.bucketOwners).toEqual(['d', 'e']);
    expect(assignment(strategy)).toEqual(assignment(jumpOver(['d', 'e'])));
  });

  it('exclude rehashes like a tombstone: the same answers as removing a middle endpoint', () => {
    const strategy = jumpOver(['a', 'b', 'c', 'd']);
    const excluded = assignment(strategy, new Set(['b']));
    strategy.apply({ type: 'remove', id: 'b' });
    expect(excluded).toEqual(assignment(strategy));
  });

  it('finds the one usable bucket even when nearly every bucket is excluded', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const strategy = jumpOver(ids);
    const exclude = new Set(ids.slice(1));
    for (const key of keys.slice(0, 50)) {
      expect(strategy.pick({ now: 0, hashKey: key, exclude })).toMatchObject({
        ok: true,
        endpoint: { id: 'm0' },
      });
    }
  });

  it('removing everything leaves no buckets', () => {
    const strategy = jumpOver(['a', 'b']);
    strategy.setEndpoints([]);
    expect(strategy.bucketOwners).toEqual([]);
    expect(strategy.pick({ now: 0, hashKey: 'k' })).toEqual({ ok: false, reason: 'no-endpoints' });
  });
});
