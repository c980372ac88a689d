import { describe, expect, test } from 'vitest';
import {
  isStrongEtag,
  matchesIfNoneMatch,
  parseEntityTag,
  parseEtagList,
  strongEtagMatch,
  weakEtagMatch,
} from './etag.js';

describe('parseEntityTag', () => {
  test.each<[string, object | null]>([
    ['"abc"', { weak: false, opaque: '"abc"' }],
    ['W/"abc"', { weak: true, opaque: '"abc"' }],
    ['""', { weak: false, opaque: '""' }],
    ['"a,b"', { weak: false, opaque: '"a,b"' }],
    ['w/"abc"', null],
    ['abc', null],
    ['"abc', null],
    ['"a"b"', null],
    ['"a b"', null],
    ['W/', null],
    ['"', null],
    ['', null],
  ])('%j', (value, expected) => {
    expect(parseEntityTag(value)).toEqual(expected);
  });

  test('isStrongEtag', () => {
    expect(isStrongEtag('"x"')).toBe(true);
    expect(isStrongEtag('W/"x"')).toBe(false);
    expect(isStrongEtag('x')).toBe(false);
  });
});

describe('comparison (RFC 9110 §8.8.3.2 table)', () => {
  test.each<[string, string, boolean, boolean]>([
    ['W/"1"', 'W/"1"', false, true],
    ['W/"1"', 'W/"2"', false, false],
    ['W/"1"', '"1"', false, true],
    ['"1"', '"1"', true, true],
    ['"1"', 'junk', false, false],
  ])('%s vs %s: strong %s, weak %s', (a, b, strong, weak) => {
    expect(strongEtagMatch(a, b)).toBe(strong);
    expect(weakEtagMatch(a, b)).toBe(weak);
  });
});

describe('parseEtagList', () => {
  test.each<[string, unknown]>([
    ['*', '*'],
    [' * ', '*'],
    ['"a"', [{ weak: false, opaque: '"a"' }]],
    [
      '"a", W/"b" ,"c,d"',
      [
        { weak: false, opaque: '"a"' },
        { weak: true, opaque: '"b"' },
        { weak: false, opaque: '"c,d"' },
      ],
    ],
    [', "a",,', [{ weak: false, opaque: '"a"' }]],
    ['', null],
    [',', null],
    ['"a" "b"', null],
    ['"a", b', null],
    ['"a", *', null],
    ['"a', null],
  ])('%j', (value, expected) => {
    expect(parseEtagList(value)).toEqual(expected);
  });
});

describe('matchesIfNoneMatch (weak comparison)', () => {
  test.each<[string, string | undefined, boolean]>([
    ['"a"', '"a"', true],
    ['W/"a"', '"a"', true],
    ['"a"', 'W/"a"', true],
    ['"x", "a"', '"a"', true],
    ['"x"', '"a"', false],
    ['*', '"a"', true],
    ['*', undefined, true],
    ['"a"', undefined, false],
    ['"a', '"a"', false],
    ['"a"', 'garbage', false],
  ])('If-None-Match %j vs ETag %j → %s', (header, etag, expected) => {
    expect(matchesIfNoneMatch(header, etag)).toBe(expected);
  });
});
