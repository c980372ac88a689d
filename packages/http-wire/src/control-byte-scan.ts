/**
 * Finds the first control byte of a field value or request-target, four bytes per step: most of a
 * head is values and targets, and a byte-at-a-time loop costs about twice as much in V8. The word
 * tests are the "has a byte less than n" / "has a zero byte" tricks of Bit Twiddling Hacks; they
 * say exactly whether a word holds such a byte, and the byte loop then finds which one.
 */

/** No word view: the scans fall back to one byte at a time. */
export const NO_WORDS: Int32Array = new Int32Array(0);

/** Scans shorter than this are not worth creating the word view for. */
export const MIN_WORD_SCAN = 32;

/** Index in `buf` of the first 4-byte-aligned byte (0 to 3): where word 0 of the view starts. */
export function wordStartOf(buf: Uint8Array): number {
  return (4 - (buf.byteOffset & 3)) & 3;
}

/** 32-bit words over the 4-byte-aligned part of `buf`, starting at `wordStartOf(buf)`. */
export function wordsOf(buf: Uint8Array): Int32Array {
  const start = wordStartOf(buf);
  if (buf.length - start < 4) return NO_WORDS;
  return new Int32Array(buf.buffer, buf.byteOffset + start, (buf.length - start) >> 2);
}

const HIGH_BITS = 0x80808080 | 0;

/** First word in `words[k, kEnd)` holding a byte < 0x20 or 0x7f, or kEnd. Two words per step. */
function firstValueStopWord(words: Int32Array, k: number, kEnd: number): number {
  while (k + 1 < kEnd) {
    const x = words[k]!;
    const y = words[k + 1]!;
    const dx = x ^ 0x7f7f7f7f;
    const dy = y ^ 0x7f7f7f7f;
    const flags =
      ((x - 0x20202020) & ~x) |
      ((dx - 0x01010101) & ~dx) |
      ((y - 0x20202020) & ~y) |
      ((dy - 0x01010101) & ~dy);
    if ((flags & HIGH_BITS) !== 0) break;
    k += 2;
  }
  while (k < kEnd) {
    const x = words[k]!;
    const dx = x ^ 0x7f7f7f7f;
    if (((((x - 0x20202020) & ~x) | ((dx - 0x01010101) & ~dx)) & HIGH_BITS) !== 0) break;
    k++;
  }
  return k;
}

/** First word in `words[k, kEnd)` holding a byte <= 0x20 or 0x7f, or kEnd. */
function firstTargetStopWord(words: Int32Array, k: number, kEnd: number): number {
  while (k < kEnd) {
    const x = words[k]!;
    const dx = x ^ 0x7f7f7f7f;
    if (((((x - 0x21212121) & ~x) | ((dx - 0x01010101) & ~dx)) & HIGH_BITS) !== 0) break;
    k++;
  }
  return k;
}

function isValueStop(c: number): boolean {
  return c < 0x20 ? c !== 0x09 : c === 0x7f;
}

/**
 * Index of the first byte of `buf[i, end)` that cannot be in a field value (a CTL other than HTAB,
 * or DEL: CR ends the value, anything else is an error), or `end`. `words` is `wordsOf(buf)` or
 * NO_WORDS, `start` is `wordStartOf(buf)`.
 */
export function findFieldValueStop(
  buf: Uint8Array,
  words: Int32Array,
  start: number,
  i: number,
  end: number,
): number {
  for (;;) {
    // Bytes up to a word boundary, whole clean words, then the bytes of the word that stopped.
    const aligned = words.length === 0 ? end : Math.min(end, i + ((start - i) & 3));
    while (i < aligned && !isValueStop(buf[i]!)) i++;
    if (i < aligned || i >= end) return i;
    i = start + (firstValueStopWord(words, (i - start) >> 2, (end - start) >> 2) << 2);
    const stop = Math.min(end, i + 4);
    while (i < stop && !isValueStop(buf[i]!)) i++;
    // Past `stop` only when that word held nothing but HTABs: keep going.
    if (i < stop || i >= end) return i;
  }
}

/** Index of the first byte of `buf[i, end)` that cannot be in a request-target (<= SP, DEL). */
export function findTargetStop(
  buf: Uint8Array,
  words: Int32Array,
  start: number,
  i: number,
  end: number,
): number {
  if (words.length > 0) {
    const aligned = Math.min(end, i + ((start - i) & 3));
    while (i < aligned) {
      const c = buf[i]!;
      if (c <= 0x20 || c === 0x7f) return i;
      i++;
    }
    if (i < end)
      i = start + (firstTargetStopWord(words, (i - start) >> 2, (end - start) >> 2) << 2);
  }
  while (i < end) {
    const c = buf[i]!;
    if (c <= 0x20 || c === 0x7f) return i;
    i++;
  }
  return i;
}
