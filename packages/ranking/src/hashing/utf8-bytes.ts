const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * The UTF-8 bytes of `key`, written into a shared scratch buffer.
 *
 * Why a scratch buffer: hashing runs once per request and per virtual node, and `encode()` would
 * allocate every time. The returned view is only valid until the next call — callers hash it at once.
 */
export function utf8Bytes(key: string): Uint8Array {
  // A UTF-16 code unit never needs more than 3 UTF-8 bytes (surrogate pairs take 4 for 2 units).
  const worstCase = key.length * 3;
  if (worstCase > scratch.length) scratch = new Uint8Array(Math.max(worstCase, scratch.length * 2));
  const { written } = encoder.encodeInto(key, scratch);
  return scratch.subarray(0, written);
}
