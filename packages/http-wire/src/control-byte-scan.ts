/**
 * Finds the first control byte of a field value or request-target, four bytes per step: most of a
 * head is values and targets, and a byte-at-a-time loop costs about twice as much in V8. Words are
 * unaligned little-endian `DataView.getInt32` reads, which TurboFan compiles to plain loads, so a
 * field needs no byte loop up to the next 4-byte boundary. The word tests are the "has a byte less
 * than n" tricks of Bit Twiddling Hacks; they say exactly whether a word holds such a byte, and the
 * byte loop then finds which one.
 */

/** No word view: the scans run one byte at a time. */
export const NO_WORDS: DataView = new DataView(new ArrayBuffer(0));

/** Scans shorter than this are not worth creating the word view for. */
export const MIN_WORD_SCAN = 32;

/** A word view over all of `buf`, for the scans below. */
export function wordsOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

const HIGH_BITS = 0x80808080 | 0;

/** True when the word holds a byte < 0x20 or 0x7f. */
function hasValueStop(x: number): boolean {
  const d = x ^ 0x7f7f7f7f;
  return ((((x - 0x20202020) & ~x) | ((d - 0x01010101) & ~d)) & HIGH_BITS) !== 0;
}

function isValueStop(c: number): boolean {
  return c < 0x20 ? c !== 0x09 : c === 0x7f;
}

/**
 * Index of the first byte of `buf[i, end)` that cannot be in a field value (a CTL other than HTAB,
 * or DEL: CR ends the value, anything else is an error), or `end`. `words` is `wordsOf(buf)` or
 * NO_WORDS.
 */
export function findFieldValueStop(
  buf: Uint8Array,
  words: DataView,
  i: number,
  end: number,
): number {
  // An identity test: reading `byteLength` is a builtin call that TurboFan does not inline.
  const wordEnd = words === NO_WORDS ? 0 : end;
  for (;;) {
    // Two clean words per step, then the bytes of the word that stopped.
    while (i + 8 <= wordEnd) {
      const x = words.getInt32(i, true);
      const y = words.getInt32(i + 4, true);
      const dx = x ^ 0x7f7f7f7f;
      const dy = y ^ 0x7f7f7f7f;
      const flags =
        ((x - 0x20202020) & ~x) |
        ((dx - 0x01010101) & ~dx) |
        ((y - 0x20202020) & ~y) |
        ((dy - 0x01010101) & ~dy);
      if ((flags & HIGH_BITS) !== 0) break;
      i += 8;
    }
    if (i + 4 <= wordEnd && !hasValueStop(words.getInt32(i, true))) i += 4;
    const stop = Math.min(end, i + 4);
    while (i < stop && !isValueStop(buf[i]!)) i++;
    // Past `stop` only when that word held nothing but HTABs: keep going.
    if (i < stop || i >= end) return i;
  }
}

/** Index of the first byte of `buf[i, end)` that cannot be in a request-target (<= SP, DEL). */
export function findTargetStop(buf: Uint8Array, words: DataView, i: number, end: number): number {
  const wordEnd = words === NO_WORDS ? 0 : end;
  while (i + 4 <= wordEnd) {
    const x = words.getInt32(i, true);
    const dx = x ^ 0x7f7f7f7f;
    if (((((x - 0x21212121) & ~x) | ((dx - 0x01010101) & ~dx)) & HIGH_BITS) !== 0) break;
    i += 4;
  }
  while (i < end) {
    const c = buf[i]!;
    if (c <= 0x20 || c === 0x7f) return i;
    i++;
  }
  return i;
}
