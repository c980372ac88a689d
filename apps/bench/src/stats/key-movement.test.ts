import { describe, expect, it } from 'vitest';
import { idealMovedShare, keyMovement, movedBetweenOthers } from './key-movement.js';

describe('keyMovement', () => {
  it('counts keys whose owner changed among the keys of both snapshots', () => {
    const before = new Map([
      ['/a', 's1'],
      ['/b', 's1'],
      ['/c', 's2'],
      ['/d', 's2'],
      ['/gone', 's1'],
    ]);
    const after = new Map([
      ['/a', 's1'],
      ['/b', 's3'],
      ['/c', 's2'],
      ['/d', 's3'],
      ['/new', 's3'],
    ]);
    expect(keyMovement(before, after)).toEqual({ compared: 4, moved: 2, share: 0.5 });
  });

  it('is NaN when the snapshots share no key', () => {
    expect(keyMovement(new Map([['/a', 's1']]), new Map()).share).toBeNaN();
  });
});

describe('movedBetweenOthers', () => {
  it('counts only moves that involve neither the joining nor the leaving replica', () => {
    const before = new Map([
      ['/a', 's1'],
      ['/b', 's2'],
      ['/c', 's1'],
    ]);
    const after = new Map([
      ['/a', 's3'],
      ['/b', 's1'],
      ['/c', 's1'],
    ]);
    expect(movedBetweenOthers(before, after, 's3')).toBe(1);
    expect(movedBetweenOthers(before, after, 's2')).toBe(1);
  });
});

describe('idealMovedShare', () => {
  it('is 1/(n+1) for a join and 1/n for a leave', () => {
    expect(idealMovedShare(3, 4)).toBe(0.25);
    expect(idealMovedShare(4, 3)).toBe(0.25);
    expect(idealMovedShare(2, 3)).toBeCloseTo(1 / 3, 15);
    expect(idealMovedShare(5, 5)).toBe(0);
  });

  it('refuses empty memberships', () => {
    expect(() => idealMovedShare(0, 1)).toThrow(RangeError);
  });
});
