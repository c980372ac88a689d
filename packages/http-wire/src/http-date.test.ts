import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from './errors.js';
import { formatHttpDate, parseHttpDate } from './http-date.js';

const RFC_EXAMPLE = Date.UTC(1994, 10, 6, 8, 49, 37);

describe('formatHttpDate', () => {
  test('IMF-fixdate, the RFC 9110 example', () => {
    expect(formatHttpDate(new Date(RFC_EXAMPLE))).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(RFC_EXAMPLE + 999)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });

  test('the per-second cache does not leak across seconds', () => {
    expect(formatHttpDate(RFC_EXAMPLE)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
    expect(formatHttpDate(RFC_EXAMPLE + 1000)).toBe('Sun, 06 Nov 1994 08:49:38 GMT');
    expect(formatHttpDate(RFC_EXAMPLE)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });

  test('pads the day and the year', () => {
    expect(formatHttpDate(Date.UTC(2024, 0, 5, 0, 0, 0))).toBe('Fri, 05 Jan 2024 00:00:00 GMT');
  });

  test.each([Number.NaN, new Date(Number.NaN), Date.UTC(10000, 0, 1), Date.UTC(-1, 0, 1)])(
    'refuses %s',
    (date) => {
      expect(() => formatHttpDate(date)).toThrow(InvalidArgumentError);
    },
  );
});

describe('parseHttpDate', () => {
  test.each([
    'Sun, 06 Nov 1994 08:49:37 GMT',
    'Sunday, 06-Nov-94 08:49:37 GMT',
    'Sun Nov  6 08:49:37 1994',
    ' Sun, 06 Nov 1994 08:49:37 GMT\t',
  ])('the three forms of RFC 9110 §5.6.7: %j', (value) => {
    expect(parseHttpDate(value)?.getTime()).toBe(RFC_EXAMPLE);
  });

  test('asctime with a two-digit day', () => {
    expect(parseHttpDate('Thu Nov 14 08:49:37 1994')?.getTime()).toBe(
      Date.UTC(1994, 10, 14, 8, 49, 37),
    );
  });

  test('rfc850 two-digit years: more than 50 years ahead means the previous century', () => {
    const now = Date.UTC(2025, 5, 1);
    expect(parseHttpDate('Monday, 01-Jan-75 00:00:00 GMT', now)?.getUTCFullYear()).toBe(2075);
    expect(parseHttpDate('Monday, 01-Jan-76 00:00:00 GMT', now)?.getUTCFullYear()).toBe(1976);
    expect(parseHttpDate('Monday, 01-Jan-25 00:00:00 GMT', now)?.getUTCFullYear()).toBe(2025);
    expect(parseHttpDate('Monday, 01-Jan-00 00:00:00 GMT', now)?.getUTCFullYear()).toBe(2000);
  });

  test('years below 100 in IMF-fixdate are not shifted to the 1900s', () => {
    expect(parseHttpDate('Mon, 01 Jan 0050 00:00:00 GMT')?.getUTCFullYear()).toBe(50);
  });

  test('29 February only in leap years', () => {
    expect(parseHttpDate('Thu, 29 Feb 2024 00:00:00 GMT')?.getTime()).toBe(Date.UTC(2024, 1, 29));
    expect(parseHttpDate('Thu, 29 Feb 2023 00:00:00 GMT')).toBeNull();
    expect(parseHttpDate('Thu, 29 Feb 1900 00:00:00 GMT')).toBeNull();
    expect(parseHttpDate('Tue, 29 Feb 2000 00:00:00 GMT')).not.toBeNull();
  });

  test.each([
    '',
    'yesterday',
    '1994-11-06T08:49:37Z',
    'sun, 06 Nov 1994 08:49:37 GMT',
    'Sun, 06 nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 08:49:37 gmt',
    'Sun, 06 Nov 1994 08:49:37 UTC',
    'Sun, 6 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 94 08:49:37 GMT',
    'Sun,06 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 8:49:37 GMT',
    'Sun, 31 Nov 1994 08:49:37 GMT',
    'Sun, 00 Nov 1994 08:49:37 GMT',
    'Sun, 06 Nov 1994 24:00:00 GMT',
    'Sun, 06 Nov 1994 08:60:00 GMT',
    'Sun, 06 Nov 1994 08:49:60 GMT',
    'Sun, 06 Nov 1994 08:49:37 GMT extra',
    'Sunday, 06-Nov-1994 08:49:37 GMT',
    'Sun, 06-Nov-94 08:49:37 GMT',
    'Sun Nov 6 08:49:37 1994',
    'Sun Nov  6 08:49:37 1994 GMT',
  ])('rejects %j', (value) => {
    expect(parseHttpDate(value)).toBeNull();
  });

  test('property: format → parse is the identity at second resolution', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31, 23, 59, 59) }), (ms) => {
        const seconds = Math.floor(ms / 1000) * 1000;
        expect(parseHttpDate(formatHttpDate(ms))?.getTime()).toBe(seconds);
      }),
    );
  });
});
