import { describe, expect, it } from 'vitest';
import { chooseAgreeingMirrors, disagreement } from './mirror-agreement.js';
import type { MirrorIdentity } from './mirror-probe.js';

const A = 'A'.repeat(43) + '=';
const B = 'B'.repeat(43) + '=';

function id(partial: Partial<MirrorIdentity>): MirrorIdentity {
  return {
    url: 'http://m/f',
    size: 100,
    etag: undefined,
    lastModified: undefined,
    sha256: undefined,
    map: undefined,
    ...partial,
  };
}

describe('disagreement', () => {
  it('size first, then digests when both have one (ETags then ignored), else strong ETags', () => {
    expect(disagreement(id({}), id({ size: 99 }))).toBe('size 99 instead of 100');
    expect(
      disagreement(id({ sha256: A, etag: '"1"' }), id({ sha256: A, etag: '"2"' })),
    ).toBeUndefined();
    expect(disagreement(id({ sha256: A }), id({ sha256: B }))).toBe(`SHA-256 ${B} instead of ${A}`);
    expect(disagreement(id({ sha256: A, etag: '"1"' }), id({ etag: '"2"' }))).toBe(
      'ETag "2" instead of "1"',
    );
    expect(disagreement(id({ sha256: A }), id({ etag: '"2"' }))).toBeUndefined();
  });
});

describe('chooseAgreeingMirrors', () => {
  it('keeps the majority and names the others', () => {
    const result = chooseAgreeingMirrors([
      { index: 0, identity: id({ sha256: B }) },
      { index: 1, identity: id({ sha256: A }) },
      { index: 2, identity: id({ sha256: A }) },
    ]);
    expect(result.chosen.map((c) => c.index)).toEqual([1, 2]);
    expect(result.rejected).toEqual([
      {
        candidate: { index: 0, identity: id({ sha256: B }) },
        reason: `SHA-256 ${B} instead of ${A}`,
      },
    ]);
    expect(result.identity.sha256).toBe(A);
  });

  it('on a tie the group of the earliest-listed mirror wins', () => {
    const result = chooseAgreeingMirrors([
      { index: 0, identity: id({ size: 5 }) },
      { index: 1, identity: id({ size: 6 }) },
    ]);
    expect(result.chosen.map((c) => c.index)).toEqual([0]);
    expect(result.rejected[0]!.reason).toBe('size 6 instead of 5');
  });

  it('a digest-less mirror joins the group its ETag matches; the group keeps the best information', () => {
    const result = chooseAgreeingMirrors([
      { index: 0, identity: id({ etag: '"e"' }) },
      { index: 1, identity: id({ etag: '"e"', sha256: A }) },
      { index: 2, identity: id({ etag: '"other"' }) },
    ]);
    expect(result.chosen.map((c) => c.index)).toEqual([0, 1]);
    expect(result.identity).toMatchObject({ sha256: A, etag: '"e"' });
  });

  it('refuses an empty list', () => {
    expect(() => chooseAgreeingMirrors([])).toThrow(RangeError);
  });
});
