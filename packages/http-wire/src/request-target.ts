/**
 * The four forms of request-target (RFC 9112 §3.2). The parser has already rejected whitespace,
 * CTL and DEL bytes; this decides whether the remaining bytes have the shape the method allows.
 */
import { findInvalidAuthorityByte } from './message-framing.js';

export const METHOD_OTHER = 0;
/** CONNECT: authority-form only (`host:port`). */
export const METHOD_CONNECT = 1;
/** OPTIONS: the only method that may use asterisk-form (`*`). */
export const METHOD_OPTIONS = 2;

const SLASH = 0x2f;
const ASTERISK = 0x2a;

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) "://" — absolute-form with an authority. */
function findInvalidAbsoluteFormByte(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (!isAlpha(buf[i]!)) return i;
  i++;
  while (i < end) {
    const c = buf[i]!;
    if (isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e) i++;
    else break;
  }
  // An http(s) URI always has "//" authority; requiring it also keeps "host:port" (which is a
  // syntactically valid URI with scheme "host") out of non-CONNECT requests.
  if (i === end || buf[i] !== 0x3a) return i;
  if (i + 1 === end || buf[i + 1] !== SLASH) return i + 1;
  if (i + 2 === end || buf[i + 2] !== SLASH) return i + 2;
  return -1;
}

/** -1 when `buf[start, end)` is a valid target for the method kind, else the first bad index. */
export function findInvalidTargetByte(
  buf: Uint8Array,
  start: number,
  end: number,
  methodKind: number,
): number {
  if (methodKind === METHOD_CONNECT) return findInvalidAuthorityByte(buf, start, end, true);
  const first = buf[start];
  if (first === SLASH) return -1;
  if (first === ASTERISK) {
    if (methodKind !== METHOD_OPTIONS) return start;
    return end - start === 1 ? -1 : start + 1;
  }
  return findInvalidAbsoluteFormByte(buf, start, end);
}
