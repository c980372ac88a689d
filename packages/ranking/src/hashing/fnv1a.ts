import { utf8Bytes } from './utf8-bytes.js';

const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `key`.
 *
 * `seed` 0 (the default) is the published algorithm. Any other seed first folds its four
 * little-endian bytes into the state, which gives an independent member of the family (used where a
 * strategy needs several hashes of one name). FNV-1a only carries differences towards the high bits,
 * so its low bits are weak; strategies reduce hashes by their high bits for that reason.
 */
export function fnv1a(key: string, seed = 0): number {
  let state = OFFSET_BASIS;
  if (seed !== 0) {
    for (let shift = 0; shift < 32; shift += 8) {
      state = Math.imul(state ^ ((seed >>> shift) & 0xff), PRIME);
    }
  }
  const bytes = utf8Bytes(key);
  for (let i = 0; i < bytes.length; i++) {
    state = Math.imul(state ^ bytes[i]!, PRIME);
  }
  return state >>> 0;
}
