/**
 * Byte-level readers of the header fields that decide message framing and connection handling
 * (RFC 9112 §6, §9; RFC 9110 §7.2, §7.6.1, §10.1.1). They run on the parser's view of the head, so
 * no string is built for them, and report the first bad byte as `-1 - index` so the parser can give
 * the exact stream offset.
 */
import { HTAB, SP, TCHAR } from './tokens.js';

const COMMA = 0x2c;
const MAX_SAFE_TENTH = Math.floor(Number.MAX_SAFE_INTEGER / 10);
const MAX_SAFE_LAST_DIGIT = Number.MAX_SAFE_INTEGER % 10;

/** Encodes the index of the first bad byte as a negative number (so 0 stays a valid result). */
export function badByteAt(index: number): number {
  return -1 - index;
}

/** Index of the bad byte encoded by {@link badByteAt}. */
export function badByteIndex(result: number): number {
  return -1 - result;
}

function skipOws(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === SP || buf[i] === HTAB)) i++;
  return i;
}

/**
 * Content-Length = 1*DIGIT (RFC 9110 §8.6), at most 2^53-1. A list of identical values
 * (`5, 5`, which some intermediaries produce when merging duplicates) is accepted as that value;
 * empty values, signs, hex, exponents, decimals, inner spaces and differing elements are not.
 * Returns the length, or `badByteAt(i)`.
 */
export function parseContentLength(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let first = -1;
  for (;;) {
    const digitsStart = i;
    let value = 0;
    while (i < end) {
      const d = buf[i]! - 0x30;
      if (d < 0 || d > 9) break;
      if (value > MAX_SAFE_TENTH || (value === MAX_SAFE_TENTH && d > MAX_SAFE_LAST_DIGIT)) {
        return badByteAt(i);
      }
      value = value * 10 + d;
      i++;
    }
    if (i === digitsStart) return badByteAt(i);
    if (first === -1) first = value;
    else if (value !== first) return badByteAt(digitsStart);
    i = skipOws(buf, i, end);
    if (i === end) return first;
    if (buf[i] !== COMMA) return badByteAt(i);
    i = skipOws(buf, i + 1, end);
  }
}

const CHUNKED = [0x63, 0x68, 0x75, 0x6e, 0x6b, 0x65, 0x64];

function isChunkedToken(buf: Uint8Array, start: number, end: number): boolean {
  if (end - start !== CHUNKED.length) return false;
  for (let k = 0; k < CHUNKED.length; k++) {
    if ((buf[start + k]! | 0x20) !== CHUNKED[k]) return false;
  }
  return true;
}

export const TRANSFER_CODING_CHUNKED = 1;
export const TRANSFER_CODING_OTHER = 0;

/**
 * Transfer-Encoding = 1#transfer-coding. Strict on purpose (request smuggling lives here): only
 * `token *( OWS "," OWS token )`, no empty elements, no parameters, and `chunked` only as the
 * final coding. Returns {@link TRANSFER_CODING_CHUNKED} when the final coding is chunked,
 * {@link TRANSFER_CODING_OTHER} when no coding is chunked, or `badByteAt(i)`.
 */
export function parseTransferEncoding(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  for (;;) {
    const tokenStart = i;
    while (i < end && TCHAR[buf[i]!] === 1) i++;
    if (i === tokenStart) return badByteAt(i);
    const chunked = isChunkedToken(buf, tokenStart, i);
    i = skipOws(buf, i, end);
    if (i === end) return chunked ? TRANSFER_CODING_CHUNKED : TRANSFER_CODING_OTHER;
    if (buf[i] !== COMMA) return badByteAt(i);
    // chunked must be the final coding and appear once (RFC 9112 §6.1).
    if (chunked) return badByteAt(tokenStart);
    i = skipOws(buf, i + 1, end);
  }
}

export const CONNECTION_CLOSE = 1;
export const CONNECTION_KEEP_ALIVE = 2;
export const CONNECTION_UPGRADE = 4;

const CLOSE = [0x63, 0x6c, 0x6f, 0x73, 0x65];
const KEEP_ALIVE = [0x6b, 0x65, 0x65, 0x70, 0x2d, 0x61, 0x6c, 0x69, 0x76, 0x65];
const UPGRADE = [0x75, 0x70, 0x67, 0x72, 0x61, 0x64, 0x65];
const HUNDRED_CONTINUE = [0x31, 0x30, 0x30, 0x2d, 0x63, 0x6f, 0x6e, 0x74, 0x69, 0x6e, 0x75, 0x65];

function equalsLower(buf: Uint8Array, start: number, end: number, lower: number[]): boolean {
  if (end - start !== lower.length) return false;
  for (let k = 0; k < lower.length; k++) {
    const c = buf[start + k]!;
    // Fold only letters so that e.g. '\r' never matches '-'.
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower[k]) return false;
  }
  return true;
}

/** Start of the next comma-separated element at or after `i` (skipping whitespace and commas). */
function nextElementStart(buf: Uint8Array, i: number, end: number): number {
  // Whitespace here includes the CRLF of an obs-fold in a response.
  while (i < end && (buf[i]! <= SP || buf[i] === COMMA)) i++;
  return i;
}

/** End of the element starting at `i`, before its trailing whitespace; the comma is at or after. */
function elementEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end && buf[i] !== COMMA) i++;
  return i;
}

function trimEnd(buf: Uint8Array, start: number, end: number): number {
  while (end > start && buf[end - 1]! <= SP) end--;
  return end;
}

/** Connection options that matter to the parser, as a bit set of `CONNECTION_*`. Lenient. */
export function parseConnectionOptions(buf: Uint8Array, start: number, end: number): number {
  let options = 0;
  let i = nextElementStart(buf, start, end);
  while (i < end) {
    const stop = elementEnd(buf, i, end);
    const e = trimEnd(buf, i, stop);
    if (equalsLower(buf, i, e, CLOSE)) options |= CONNECTION_CLOSE;
    else if (equalsLower(buf, i, e, KEEP_ALIVE)) options |= CONNECTION_KEEP_ALIVE;
    else if (equalsLower(buf, i, e, UPGRADE)) options |= CONNECTION_UPGRADE;
    i = nextElementStart(buf, stop, end);
  }
  return options;
}

/** True when the Expect value lists `100-continue` (case-insensitive, RFC 9110 §10.1.1). */
export function expectsContinue(buf: Uint8Array, start: number, end: number): boolean {
  let i = nextElementStart(buf, start, end);
  while (i < end) {
    const stop = elementEnd(buf, i, end);
    if (equalsLower(buf, i, trimEnd(buf, i, stop), HUNDRED_CONTINUE)) return true;
    i = nextElementStart(buf, stop, end);
  }
  return false;
}

/** unreserved / sub-delims / '%' (pct-encoded is checked loosely): the bytes of a reg-name. */
const REG_NAME: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=%") {
    table[c.charCodeAt(0)] = 1;
  }
  return table;
})();

/**
 * Host = uri-host [ ":" port ] (RFC 9110 §7.2), and the authority-form of CONNECT targets
 * (`portRequired`). Rejects anything that could smuggle a path, userinfo or whitespace into the
 * authority. An empty value is allowed for Host (RFC 9112 §3.2). Returns -1 when valid, otherwise
 * the index of the first bad byte.
 */
export function findInvalidAuthorityByte(
  buf: Uint8Array,
  start: number,
  end: number,
  portRequired: boolean,
): number {
  let i = start;
  if (i < end && buf[i] === 0x5b) {
    // IP-literal: "[" ( IPv6address / IPvFuture ) "]"
    i++;
    const literalStart = i;
    while (i < end && buf[i] !== 0x5d) {
      const c = buf[i]!;
      if (REG_NAME[c] !== 1 && c !== 0x3a) return i;
      i++;
    }
    if (i === end || i === literalStart) return i;
    i++;
  } else {
    while (i < end && REG_NAME[buf[i]!] === 1) i++;
  }
  const hostEnd = i;
  if (i === end) return portRequired ? i : -1;
  if (buf[i] !== 0x3a || hostEnd === start) return i;
  i++;
  const portStart = i;
  while (i < end && buf[i]! >= 0x30 && buf[i]! <= 0x39) i++;
  if (i !== end) return i;
  if (portRequired && i === portStart) return i;
  return -1;
}
