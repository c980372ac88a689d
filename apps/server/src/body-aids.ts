/**
 * The testing aids that change how file bodies travel (`--rate`, `--fail-after`, `--corrupt`).
 * They exist so the balancer and lb-client can be exercised against slow, flaky and lying
 * mirrors; they apply to file content only (200/206 bodies of served files), never to the
 * directory index, the fragment maps or the seed endpoints, so a misbehaving server can still be
 * discovered and measured.
 */
import type { TokenBucket } from './token-bucket.js';

export interface BodyAids {
  /** Shared by every connection of the server: the server's total file-body rate. */
  rateLimiter?: TokenBucket | undefined;
  /** Cut the connection after this many body bytes of each file response. */
  failAfterBytes?: number | undefined;
  /** Flip bytes of the file data sent ({@link corruptInPlace}). */
  corrupt?: boolean | undefined;
}

/** One byte in every this many is flipped by `--corrupt`, starting with the first. */
export const CORRUPT_STRIDE = 4096;

/**
 * XORs with 0xff every byte of `data` whose offset in the response's file data is a multiple of
 * {@link CORRUPT_STRIDE}. The first byte of every non-empty body is therefore always wrong, so
 * even a one-byte range is detectably corrupt.
 */
export function corruptInPlace(data: Uint8Array, offsetInBody: number): void {
  const remainder = offsetInBody % CORRUPT_STRIDE;
  for (
    let i = remainder === 0 ? 0 : CORRUPT_STRIDE - remainder;
    i < data.length;
    i += CORRUPT_STRIDE
  ) {
    data[i] = data[i]! ^ 0xff;
  }
}
