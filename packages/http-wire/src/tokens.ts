/**
 * Byte classes of RFC 9110/9112 as 256-entry lookup tables, so the parsers' hot loops test one
 * array element per byte instead of chains of comparisons. The tables are plain arrays of small
 * integers, not typed arrays: once any ArrayBuffer in the process has been detached (a transfer,
 * `structuredClone`, a worker message; tsx's loader does it), V8 checks every typed-array access
 * for a detached buffer, and a packed array of Smis needs no such check.
 */

const TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

/** A packed array (no holes, so V8 reads it without a hole check) of `value(c)` for every byte. */
function byteTable(value: (c: number) => number): readonly number[] {
  return Array.from({ length: 256 }, (_, c) => value(c));
}

function isAlphaNum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** 1 for `tchar` (RFC 9110 §5.6.2): the bytes allowed in methods and field names. */
export const TCHAR: readonly number[] = byteTable((c) =>
  isAlphaNum(c) || TCHAR_SYMBOLS.includes(String.fromCharCode(c)) ? 1 : 0,
);

/**
 * 1 at `b0 | b1 << 8` when both bytes are tchar: field names are scanned a 32-bit word (two
 * lookups) at a time. 64 KiB, the one typed array among these tables: as a plain array it would
 * be 512 KiB, and the rows that names touch would not stay in the L1 cache.
 */
export const TCHAR_PAIR: Uint8Array = (() => {
  // Row b1 (a tchar second byte) is TCHAR itself: 78 copies, no 64K-step loop at import.
  const table = new Uint8Array(65536);
  const row = Uint8Array.from(TCHAR);
  for (let b1 = 0; b1 < 256; b1++) if (TCHAR[b1] === 1) table.set(row, b1 << 8);
  return table;
})();

/** Value of a hexadecimal digit, -1 for any other byte. */
export const HEX_VALUE: readonly number[] = byteTable((c) => {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
});

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;
export const COLON = 0x3a;
export const SEMICOLON = 0x3b;
export const DEL = 0x7f;

/** ASCII bytes of a lower-case literal, for case-insensitive comparisons against received bytes. */
export function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * True when `buf[start, start + lower.length)` equals `lower` ignoring ASCII case. Only valid when
 * `lower` holds letters, digits and '-' and `buf` holds tchar bytes: then `| 0x20` folds exactly the
 * upper-case letters and maps no other tchar onto a letter, digit or '-'.
 */
export function equalsLowerTchar(buf: Uint8Array, start: number, lower: Uint8Array): boolean {
  for (let k = 0; k < lower.length; k++) {
    if ((buf[start + k]! | 0x20) !== lower[k]) return false;
  }
  return true;
}

/** `String.prototype.toLowerCase` for ASCII-only comparisons without allocating. */
export function equalsIgnoreAsciiCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    let x = a.charCodeAt(k);
    let y = b.charCodeAt(k);
    if (x !== y) {
      if (x >= 0x41 && x <= 0x5a) x |= 0x20;
      if (y >= 0x41 && y <= 0x5a) y |= 0x20;
      if (x !== y) return false;
    }
  }
  return true;
}

type Latin1Slice = (this: Uint8Array, start: number, end: number) => string;

// Node's native latin1 decoder (what `buffer.toString('latin1', a, b)` ends in, minus the argument
// checks). It is not in @types/node; it accepts any Uint8Array as `this`.
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slice })
  .latin1Slice;

/** `buf[start, end)` decoded as latin1: one char per byte, no validation. */
export function latin1String(buf: Uint8Array, start: number, end: number): string {
  if (nativeLatin1Slice === undefined) {
    return Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1', start, end);
  }
  // A direct method call is cheaper than `.call` for the usual case, a Buffer from a socket.
  return buf instanceof Buffer
    ? (buf as Buffer & { latin1Slice: Latin1Slice }).latin1Slice(start, end)
    : nativeLatin1Slice.call(buf, start, end);
}
