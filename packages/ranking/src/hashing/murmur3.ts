import { utf8Bytes } from './utf8-bytes.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's 32-bit finalizer: a bijection on uint32 with full avalanche. */
export function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3_x86_32 (Austin Appleby) over the UTF-8 bytes of `key`. */
export function murmur3(key: string, seed = 0): number {
  const bytes = utf8Bytes(key);
  const length = bytes.length;
  const blockEnd = length & ~3;
  let h = seed >>> 0;
  for (let i = 0; i < blockEnd; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tailLength = length & 3;
  if (tailLength > 0) {
    let tail = bytes[blockEnd]!;
    if (tailLength > 1) tail |= bytes[blockEnd + 1]! << 8;
    if (tailLength > 2) tail |= bytes[blockEnd + 2]! << 16;
    tail = Math.imul(tail, C1);
    tail = (tail << 15) | (tail >>> 17);
    tail = Math.imul(tail, C2);
    h ^= tail;
  }
  return fmix32(h ^ length);
}

/**
 * MurmurHash3_x86_32 of one 32-bit word (its 4 little-endian bytes) — equal to
 * `murmur3` of those bytes, without building them. Used to hash a pair (an already-hashed key, a
 * node or a salt) in one cheap, well-mixed step.
 */
export function murmur3Word(word: number, seed = 0): number {
  let k = Math.imul(word, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  let h = (seed >>> 0) ^ k;
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  return fmix32(h ^ 4);
}
