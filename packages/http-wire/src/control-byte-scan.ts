/**
 * Finds the first control byte of a field value or request-target, eight bytes per step: most of a
 * head is values and targets, and a byte-at-a-time loop costs several times as much in V8. Words are
 * unaligned little-endian `DataView.getInt32` reads, which TurboFan compiles to plain loads, so a
 * field needs no byte loop up to the next 4-byte boundary. The word tests are the "has a byte less
 * than n" tricks of Bit Twiddling Hacks: they never miss a stop byte, and the byte loop then finds
 * which one it is (or that there was none). Masks are literals, not named constants: TurboFan
 * reloads a module-level constant from its context on every iteration.
 */

/** No word view: the scans run one byte at a time. */
export const NO_WORDS: DataView = new DataView(new ArrayBuffer(0));

/** Scans shorter than this are not worth creating the word view for. */
export const MIN_WORD_SCAN = 32;

/** A word view over all of `buf`, for the scans below. */
export function wordsOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Nonzero when the word may hold a byte that stops a field value. Only each byte's low 7 bits are
 * looked at, plus one, which cannot carry into the next byte: a CTL becomes 0x01-0x20 and DEL 0x80,
 * both flagged. obs-text 0x80-0x9f and 0xff are flagged too; the byte loop lets them through.
 */
function valueStopFlags(word: number): number {
  const t = (word & 0x7f7f7f7f) + 0x01010101;
  return (((t - 0x21212121) & ~t) | t) & 0x80808080;
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
      // valueStopFlags of two words, written out: whether TurboFan inlines a call here varies
      // from process to process, and this loop is most of a head's parsing time.
      const x = (words.getInt32(i, true) & 0x7f7f7f7f) + 0x01010101;
      const y = (words.getInt32(i + 4, true) & 0x7f7f7f7f) + 0x01010101;
      if (((((x - 0x21212121) & ~x) | x | ((y - 0x21212121) & ~y) | y) & 0x80808080) !== 0) break;
      i += 8;
    }
    if (i + 4 <= wordEnd && valueStopFlags(words.getInt32(i, true)) === 0) i += 4;
    const stop = Math.min(end, i + 4);
    while (i < stop) {
      const c = buf[i]!;
      if (c < 0x20 ? c !== 0x09 : c === 0x7f) break;
      i++;
    }
    // Past `stop` only when the word flagged held HTABs or obs-text, no stop byte: keep going.
    if (i < stop || i >= end) return i;
  }
}

/** As `valueStopFlags`, for a request-target: its stop bytes are the CTLs, SP and DEL. */
function targetStopFlags(word: number): number {
  const t = (word & 0x7f7f7f7f) + 0x01010101;
  return (((t - 0x22222222) & ~t) | t) & 0x80808080;
}

/** Index of the first byte of `buf[i, end)` that cannot be in a request-target (<= SP, DEL). */
export function findTargetStop(buf: Uint8Array, words: DataView, i: number, end: number): number {
  const wordEnd = words === NO_WORDS ? 0 : end;
  for (;;) {
    while (i + 8 <= wordEnd) {
      // targetStopFlags of two words, written out (see findFieldValueStop).
      const x = (words.getInt32(i, true) & 0x7f7f7f7f) + 0x01010101;
      const y = (words.getInt32(i + 4, true) & 0x7f7f7f7f) + 0x01010101;
      if (((((x - 0x22222222) & ~x) | x | ((y - 0x22222222) & ~y) | y) & 0x80808080) !== 0) break;
      i += 8;
    }
    if (i + 4 <= wordEnd && targetStopFlags(words.getInt32(i, true)) === 0) i += 4;
    const stop = Math.min(end, i + 4);
    while (i < stop) {
      const c = buf[i]!;
      if (c <= 0x20 || c === 0x7f) break;
      i++;
    }
    // Past `stop` only when the word flagged held obs-text, no stop byte: keep going.
    if (i < stop || i >= end) return i;
  }
}
