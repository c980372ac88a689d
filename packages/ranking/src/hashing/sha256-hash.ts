import { createHash } from 'node:crypto';

/**
 * The first 4 bytes (big-endian) of SHA-256 over the UTF-8 bytes of `key`.
 *
 * Slow next to FNV/murmur (one digest per call) but with no known structure; a choice for when
 * keys may be adversarial. `seed` 0 is plain SHA-256; another seed prefixes its 4 little-endian bytes.
 */
export function sha256Hash(key: string, seed = 0): number {
  const digest = createHash('sha256');
  if (seed !== 0) {
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32LE(seed >>> 0);
    digest.update(prefix);
  }
  return digest.update(key, 'utf8').digest().readUInt32BE(0);
}
