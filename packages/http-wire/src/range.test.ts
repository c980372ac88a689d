import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError, InvalidContentRangeError } from './errors.js';
import {
  formatContentRange,
  formatUnsatisfiedRange,
  isIfRangeFresh,
  parseContentRange,
  parseRange,
} from './range.js';

const none = { kind: 'none' };
const unsatisfiable = { kind: 'unsatisfiable' };
const ranges = (...list: Array<[number, number]>) => ({
  kind: 'ranges',
  ranges: list.map(([start, end]) => ({ start, end })),
});

describe('parseRange', () => {
  test.each<[string | undefined, number, object]>([
    [undefined, 100, none],
    ['bytes=0-0', 100, ranges([0, 0])],
    ['bytes=0-99', 100, ranges([0, 99])],
    ['bytes=10-', 100, ranges([10, 99])],
    ['bytes=-1', 100, ranges([99, 99])],
    ['bytes=-0', 100, unsatisfiable],
    ['bytes=99-', 100, ranges([99, 99])],
    ['bytes=100-', 100, unsatisfiable],
    ['bytes=150-', 100, unsatisfiable],
    ['bytes=100-200', 100, unsatisfiable],
    ['bytes=50-500', 100, ranges([50, 99])],
    ['bytes=-500', 100, ranges([0, 99])],
    ['bytes=5-1', 100, none],
    ['bytes=5-5', 100, ranges([5, 5])],
    ['bytes=0-99999999999999999999', 100, ranges([0, 99])],
    ['bytes=99999999999999999999-', 100, unsatisfiable],
    ['bytes=-99999999999999999999', 100, ranges([0, 99])],
    ['bytes=99999999999999999999-99999999999999999998', 100, none],
    ['bytes=99999999999999999998-99999999999999999999', 100, unsatisfiable],
    ['bytes=00099999999999999999999-100000000000000000000', 100, unsatisfiable],
    ['bytes=0010-0020', 100, ranges([10, 20])],
    ['items=0-1', 100, none],
    ['BYTES=0-1', 100, ranges([0, 1])],
    ['bytes=', 100, none],
    ['bytes', 100, none],
    ['', 100, none],
    ['bytes=-', 100, none],
    ['bytes=a-b', 100, none],
    ['bytes=1-2-3', 100, none],
    ['bytes=+1-2', 100, none],
    ['bytes=0x10-20', 100, none],
    ['bytes=1.5-2', 100, none],
    ['bytes=0-1,5-1', 100, none],
    ['bytes=0-1,foo', 100, none],
    ['bytes = 0-1', 100, none],
    ['bytes=0 - 1', 100, none],
    ['  bytes=0-1  ', 100, ranges([0, 1])],
    ['bytes=0-1 , 3-4', 100, ranges([0, 1], [3, 4])],
    ['bytes=\t0-1,\t3-4\t', 100, ranges([0, 1], [3, 4])],
    ['bytes=0-1,,3-4,', 100, ranges([0, 1], [3, 4])],
    ['bytes=,', 100, none],
    ['bytes=0-1,3-4,-2', 100, ranges([0, 1], [3, 4], [98, 99])],
    ['bytes=50-,0-10', 100, ranges([50, 99], [0, 10])],
    ['bytes=200-300,0-10', 100, ranges([0, 10])],
    ['bytes=200-300,-0', 100, unsatisfiable],
    ['bytes=0-0', 1, ranges([0, 0])],
    ['bytes=-5', 1, ranges([0, 0])],
    // Empty representation: int-ranges cannot be satisfied; a suffix is "satisfiable" but empty.
    ['bytes=0-', 0, unsatisfiable],
    ['bytes=0-0', 0, unsatisfiable],
    ['bytes=-5', 0, none],
    ['bytes=-0', 0, unsatisfiable],
    ['bytes=0-,-5', 0, none],
  ])('%j on %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });

  test('more range-specs than maxRanges are ignored (200), at the limit they are honoured', () => {
    const header = `bytes=${Array.from({ length: 101 }, (_, i) => `${i}-${i}`).join(',')}`;
    expect(parseRange(header, 1000)).toEqual(none);
    expect(parseRange(header, 1000, { maxRanges: 101 })).toMatchObject({ kind: 'ranges' });
    expect(parseRange('bytes=0-1,2-3', 1000, { maxRanges: 1 })).toEqual(none);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses size %s', (size) => {
    expect(() => parseRange('bytes=0-1', size)).toThrow(InvalidArgumentError);
  });

  test('property: every returned range lies inside the representation', () => {
    const spec = fc.oneof(
      fc.tuple(fc.nat(300), fc.option(fc.nat(300))).map(([a, b]) => `${a}-${b ?? ''}`),
      fc.nat(300).map((n) => `-${n}`),
    );
    fc.assert(
      fc.property(fc.array(spec, { minLength: 1, maxLength: 5 }), fc.nat(200), (specs, size) => {
        const result = parseRange(`bytes=${specs.join(',')}`, size);
        if (result.kind !== 'ranges') return;
        for (const { start, end } of result.ranges) {
          expect(start).toBeGreaterThanOrEqual(0);
          expect(start).toBeLessThanOrEqual(end);
          expect(end).toBeLessThan(size);
        }
      }),
    );
  });
});

describe('isIfRangeFresh', () => {
  const lastModified = new Date('2024-03-01T10:20:30.000Z');
  const lastModifiedText = 'Fri, 01 Mar 2024 10:20:30 GMT';

  test.each<[string, object, boolean]>([
    ['"abc"', { etag: '"abc"' }, true],
    ['"abc"', { etag: '"abd"' }, false],
    ['W/"abc"', { etag: 'W/"abc"' }, false],
    ['W/"abc"', { etag: '"abc"' }, false],
    ['"abc"', { etag: 'W/"abc"' }, false],
    ['"abc"', {}, false],
    ['"abc"', { lastModified }, false],
    [' "abc" ', { etag: '"abc"' }, true],
    ['"abc', { etag: '"abc' }, false],
    [lastModifiedText, { lastModified }, true],
    [lastModifiedText, { lastModified: lastModifiedText }, true],
    [lastModifiedText, { lastModified: new Date('2024-03-01T10:20:30.999Z') }, true],
    ['Fri, 01 Mar 2024 10:20:31 GMT', { lastModified }, false],
    ['Fri, 01 Mar 2024 10:20:29 GMT', { lastModified }, false],
    ['Friday, 01-Mar-24 10:20:30 GMT', { lastModified }, true],
    ['Fri Mar  1 10:20:30 2024', { lastModified }, true],
    [lastModifiedText, { etag: '"abc"' }, false],
    [lastModifiedText, { lastModified: 'yesterday' }, false],
    [lastModifiedText, { lastModified: new Date(Number.NaN) }, false],
    ['not a date', { lastModified, etag: '"abc"' }, false],
    ['', { lastModified, etag: '"abc"' }, false],
  ])('If-Range %j against %j → %s', (ifRange, validators, expected) => {
    expect(isIfRangeFresh(ifRange, validators)).toBe(expected);
  });
});

describe('parseContentRange', () => {
  test.each<[string, object]>([
    ['bytes 0-9/10', { unsatisfied: false, start: 0, end: 9, size: 10 }],
    ['bytes 0-0/1', { unsatisfied: false, start: 0, end: 0, size: 1 }],
    ['bytes 5-9/*', { unsatisfied: false, start: 5, end: 9, size: null }],
    ['bytes 0-9/*', { unsatisfied: false, start: 0, end: 9, size: null }],
    ['bytes */10', { unsatisfied: true, size: 10 }],
    ['bytes */0', { unsatisfied: true, size: 0 }],
    ['Bytes 1-2/3', { unsatisfied: false, start: 1, end: 2, size: 3 }],
    [
      'bytes 0-9007199254740990/9007199254740991',
      { unsatisfied: false, start: 0, end: 9007199254740990, size: 9007199254740991 },
    ],
  ])('%j', (value, expected) => {
    expect(parseContentRange(value)).toEqual(expected);
  });

  test.each([
    'bytes 0-9/5',
    'bytes 0-9/9',
    'bytes 5-4/10',
    'bytes */*',
    'bytes 0-9',
    'bytes=0-9/10',
    'bytes  0-9/10',
    'bytes 0 - 9/10',
    'bytes -9/10',
    'bytes 0-/10',
    'items 0-9/10',
    'bytes 0-9/10, bytes 10-19/20',
    'bytes 0-99999999999999999999/*',
    'bytes 0-9/99999999999999999999',
    '',
    'bytes a-b/c',
  ])('throws LB_WIRE_INVALID_CONTENT_RANGE for %j', (value) => {
    let caught: unknown;
    try {
      parseContentRange(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidContentRangeError);
    expect(caught).toMatchObject({ code: 'LB_WIRE_INVALID_CONTENT_RANGE', value });
  });
});

describe('formatting Content-Range', () => {
  test('formatContentRange', () => {
    expect(formatContentRange(0, 9, 10)).toBe('bytes 0-9/10');
    expect(formatContentRange(5, 5, null)).toBe('bytes 5-5/*');
  });

  test.each<[number, number, number | null]>([
    [5, 4, 10],
    [0, 10, 10],
    [-1, 2, 10],
    [0, 1.5, 10],
    [0, 2 ** 53, null],
  ])('formatContentRange(%s, %s, %s) throws LB_WIRE_INVALID_ARG', (start, end, size) => {
    expect(() => formatContentRange(start, end, size)).toThrow(InvalidArgumentError);
  });

  test('formatUnsatisfiedRange', () => {
    expect(formatUnsatisfiedRange(1234)).toBe('bytes */1234');
    expect(() => formatUnsatisfiedRange(-1)).toThrow(InvalidArgumentError);
  });

  test('property: format → parse round trip', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.option(fc.nat()), (a, b, extra) => {
        const start = Math.min(a, b);
        const end = Math.max(a, b);
        const size = extra === null ? null : end + 1 + extra;
        expect(parseContentRange(formatContentRange(start, end, size))).toEqual({
          unsatisfied: false,
          start,
          end,
          size,
        });
      }),
    );
  });
});
