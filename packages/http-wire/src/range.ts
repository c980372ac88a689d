/**
 * Range requests (RFC 9110 §14): reading a Range header against a representation's size, the
 * If-Range precondition, and reading/writing Content-Range.
 *
 * Numbers beyond 2^53−1 cannot be a position in any file we serve, so they are read as "larger than
 * the representation" rather than rejected: a last-pos clamps to the end, a first-pos makes its
 * range unsatisfiable, a suffix-length covers the whole representation. Only the `first > last`
 * check compares the digits exactly, so `bytes=99999999999999999999-99999999999999999998` is still
 * invalid.
 */

import { InvalidArgumentError, InvalidContentRangeError } from './errors.js';
import { strongEtagMatch } from './etag.js';
import { parseHttpDate } from './http-date.js';

/** An inclusive byte range inside the representation: 0 ≤ start ≤ end ≤ size − 1. */
export interface ByteRange {
  start: number;
  end: number;
}

export type RangeResult =
  /** No Range, a syntactically invalid one, or a unit other than bytes: answer 200 with everything. */
  | { kind: 'none' }
  /** No range overlaps the representation: answer 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' }
  /** The satisfiable ranges in request order, clamped; the server decides how many to honour. */
  | { kind: 'ranges'; ranges: ByteRange[] };

export interface ParseRangeOptions {
  /**
   * More range-specs than this and the header is ignored (200), as RFC 9110 §14.2 allows, so a
   * request cannot make the server plan thousands of parts. Default 100.
   */
  maxRanges?: number;
}

const NONE: RangeResult = Object.freeze({ kind: 'none' });
const UNSATISFIABLE: RangeResult = Object.freeze({ kind: 'unsatisfiable' });
const RANGE_SPEC = /^(\d*)-(\d*)$/;
const OWS_EDGES = /^[ \t]+|[ \t]+$/g;

/** A decimal as a number, saturating at +Infinity beyond 2^53−1. */
function toPosition(digits: string): number {
  const value = Number(digits);
  return value > Number.MAX_SAFE_INTEGER ? Number.POSITIVE_INFINITY : value;
}

/** Exact comparison of two unsigned decimals of any length. */
function compareDecimal(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '');
  const y = b.replace(/^0+(?=\d)/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new InvalidArgumentError(
      `Representation size must be a non-negative safe integer, got ${size}`,
    );
  }
}

/**
 * Evaluates a Range header against a representation of `size` bytes.
 * The unit is matched case-insensitively; OWS is allowed around list elements (not inside a
 * range-spec) and empty list elements are skipped. For an empty representation only a suffix
 * range is satisfiable, yet no byte can be sent, so such a request gets `none` (200, empty body).
 */
export function parseRange(
  header: string | undefined,
  size: number,
  options: ParseRangeOptions = {},
): RangeResult {
  checkSize(size);
  if (header === undefined) return NONE;
  const text = header.replace(OWS_EDGES, '');
  const eq = text.indexOf('=');
  if (eq === -1 || text.slice(0, eq).toLowerCase() !== 'bytes') return NONE;

  const maxRanges = options.maxRanges ?? 100;
  const ranges: ByteRange[] = [];
  let specs = 0;
  let satisfiableButEmpty = false;
  for (const element of text.slice(eq + 1).split(',')) {
    const spec = element.replace(OWS_EDGES, '');
    if (spec === '') continue;
    const match = RANGE_SPEC.exec(spec);
    if (match === null) return NONE;
    const firstDigits = match[1]!;
    const lastDigits = match[2]!;
    if (++specs > maxRanges) return NONE;
    if (firstDigits === '') {
      if (lastDigits === '') return NONE;
      const suffix = toPosition(lastDigits);
      if (suffix === 0) continue;
      if (size === 0) {
        satisfiableButEmpty = true;
        continue;
      }
      ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    if (lastDigits !== '' && compareDecimal(firstDigits, lastDigits) > 0) return NONE;
    const first = toPosition(firstDigits);
    if (first >= size) continue;
    const last = lastDigits === '' ? size - 1 : Math.min(toPosition(lastDigits), size - 1);
    ranges.push({ start: first, end: last });
  }
  if (specs === 0) return NONE;
  if (ranges.length > 0) return { kind: 'ranges', ranges };
  return satisfiableButEmpty ? NONE : UNSATISFIABLE;
}

/** What the server knows about the representation to evaluate If-Range. */
export interface RangeValidators {
  etag?: string;
  /** A Date, or the Last-Modified header value as sent. */
  lastModified?: Date | string;
}

/**
 * Should the Range be honoured? (RFC 9110 §13.1.5.) An entity-tag must match the current ETag by
 * strong comparison, so a weak tag never matches; an HTTP-date must equal Last-Modified exactly,
 * at the one-second resolution in which Last-Modified is sent. Anything else means "send 200".
 */
export function isIfRangeFresh(ifRange: string, validators: RangeValidators): boolean {
  const text = ifRange.replace(OWS_EDGES, '');
  if (text.startsWith('"') || text.startsWith('W/')) {
    return validators.etag !== undefined && strongEtagMatch(text, validators.etag);
  }
  const date = parseHttpDate(text);
  const { lastModified } = validators;
  if (date === null || lastModified === undefined) return false;
  const modified = typeof lastModified === 'string' ? parseHttpDate(lastModified) : lastModified;
  if (modified === null || Number.isNaN(modified.getTime())) return false;
  return Math.floor(modified.getTime() / 1000) * 1000 === date.getTime();
}

export type ContentRange =
  /** `bytes start-end/size`, size null for `/*`. */
  | { unsatisfied: false; start: number; end: number; size: number | null }
  /** `bytes *\/size`, the body of a 416. */
  | { unsatisfied: true; size: number };

const CONTENT_RANGE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (?:(\d+)-(\d+)|(\*))\/(\d+|\*)$/;

function toExactPosition(digits: string, value: string): number {
  const number = Number(digits);
  if (number > Number.MAX_SAFE_INTEGER) {
    throw new InvalidContentRangeError(value, `Content-Range position too large: ${digits}`);
  }
  return number;
}

/**
 * Reads a Content-Range value (RFC 9110 §14.4). Throws InvalidContentRangeError when it is
 * malformed, not in bytes, has last < first, a complete length not above the last position, or a
 * number beyond 2^53−1.
 */
export function parseContentRange(value: string): ContentRange {
  const match = CONTENT_RANGE.exec(value.replace(OWS_EDGES, ''));
  if (match === null) throw new InvalidContentRangeError(value);
  const [, unit, firstDigits, lastDigits, star, sizeDigits] = match;
  if (unit!.toLowerCase() !== 'bytes') {
    throw new InvalidContentRangeError(value, `Content-Range unit is not bytes: ${unit}`);
  }
  const size = sizeDigits === '*' ? null : toExactPosition(sizeDigits!, value);
  if (star !== undefined) {
    if (size === null) throw new InvalidContentRangeError(value);
    return { unsatisfied: true, size };
  }
  const start = toExactPosition(firstDigits!, value);
  const end = toExactPosition(lastDigits!, value);
  if (end < start) {
    throw new InvalidContentRangeError(value, `Content-Range ends before it starts: ${value}`);
  }
  if (size !== null && size <= end) {
    throw new InvalidContentRangeError(value, `Content-Range goes past its length: ${value}`);
  }
  return { unsatisfied: false, start, end, size };
}

/** `bytes start-end/size` (size null → `*`). Throws InvalidArgumentError for positions that cannot be. */
export function formatContentRange(start: number, end: number, size: number | null): string {
  const valid =
    Number.isSafeInteger(start) &&
    Number.isSafeInteger(end) &&
    start >= 0 &&
    start <= end &&
    (size === null || (Number.isSafeInteger(size) && end < size));
  if (!valid) throw new InvalidArgumentError(`Invalid byte range ${start}-${end}/${size ?? '*'}`);
  return `bytes ${start}-${end}/${size ?? '*'}`;
}

/** `bytes *\/size`, for a 416 response. */
export function formatUnsatisfiedRange(size: number): string {
  checkSize(size);
  return `bytes */${size}`;
}
