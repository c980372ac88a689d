/**
 * HTTP-date (RFC 9110 §5.6.7): IMF-fixdate on output; IMF-fixdate and the two obsolete forms
 * (rfc850-date, asctime-date) on input, because recipients must still accept them.
 */

import { InvalidArgumentError } from './errors.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_INDEX = new Map(MONTHS.map((name, index) => [name, index]));
const MONTH = MONTHS.join('|');

// Names and "GMT" are case-sensitive in the grammar (%s"..."), so the patterns are too.
const IMF_FIXDATE = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d{2}) (${MONTH}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
);
const RFC850_DATE = new RegExp(
  `^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d{2})-(${MONTH})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
);
const ASCTIME_DATE = new RegExp(
  `^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (${MONTH}) (\\d{2}| \\d) (\\d{2}):(\\d{2}):(\\d{2}) (\\d{4})$`,
);

// A server stamps Date (and often Last-Modified) on every response; the text changes once a second.
let cachedSecond = Number.NaN;
let cachedText = '';

/**
 * `Sun, 06 Nov 1994 08:49:37 GMT`. Milliseconds are dropped (HTTP dates have whole seconds).
 * Throws InvalidArgumentError for an invalid Date or a year outside 0–9999, which IMF-fixdate cannot express.
 */
export function formatHttpDate(date: Date | number): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  const second = Math.floor(ms / 1000);
  if (second === cachedSecond) return cachedText;
  const value = new Date(second * 1000);
  const year = value.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) {
    throw new InvalidArgumentError(`Cannot format ${String(date)} as an HTTP-date`);
  }
  // toUTCString is specified (ECMA-262 §21.4.4.43) to produce exactly the IMF-fixdate layout.
  cachedText = value.toUTCString();
  cachedSecond = second;
  return cachedText;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 1 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month]!;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The moment the captured fields name (the year already resolved); null when it is impossible. */
function build(
  year: number,
  monthName: string,
  dayText: string,
  hourText: string,
  minuteText: string,
  secondText: string,
): Date | null {
  const month = MONTH_INDEX.get(monthName)!;
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  // Like nginx: no leap second 60, no 24:00, no 31 February.
  if (day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute, second, 0);
  return date;
}

/**
 * Parses an HTTP-date in any of its three forms; null when it is none of them or names an
 * impossible moment. A two-digit rfc850 year more than 50 years after `now` is read as the most
 * recent such year in the past (RFC 9110 §5.6.7). The day name is not checked against the date.
 */
export function parseHttpDate(value: string, now: number = Date.now()): Date | null {
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  let match = IMF_FIXDATE.exec(text);
  if (match !== null) {
    const [, day, month, year, hour, minute, second] = match as unknown as string[];
    return build(Number(year), month!, day!, hour!, minute!, second!);
  }
  match = RFC850_DATE.exec(text);
  if (match !== null) {
    const [, day, month, yy, hour, minute, second] = match as unknown as string[];
    const nowYear = new Date(now).getUTCFullYear();
    let year = nowYear - (nowYear % 100) + Number(yy);
    if (year - nowYear > 50) year -= 100;
    return build(year, month!, day!, hour!, minute!, second!);
  }
  match = ASCTIME_DATE.exec(text);
  if (match !== null) {
    const [, month, day, hour, minute, second, year] = match as unknown as string[];
    return build(Number(year), month!, day!.trim(), hour!, minute!, second!);
  }
  return null;
}
