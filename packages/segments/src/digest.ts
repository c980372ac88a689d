import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MAX_READ_SIZE, type RandomAccessSource, readExactly } from './random-access-source.js';

/**
 * Digests are SHA-256 in standard base64 with padding (44 characters): the same bytes an RFC 9530
 * `Repr-Digest: sha-256=:<base64>:` header carries, so a server can copy them verbatim.
 */
export type Sha256Base64 = string;

/** Matches a base64 SHA-256 digest exactly: 43 characters then the single `=` of padding. */
export const SHA256_BASE64_PATTERN = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

/** SHA-256 of the concatenation of `chunks`, in base64. */
export function sha256Base64(...chunks: readonly Uint8Array[]): Sha256Base64 {
  const hash = createHash('sha256');
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest('base64');
}

/** SHA-256 of a whole source, read sequentially in pieces of at most 1 MiB. */
export async function sha256OfSource(source: RandomAccessSource): Promise<Sha256Base64> {
  const hash = createHash('sha256');
  for (let position = 0; position < source.size; position += MAX_READ_SIZE) {
    hash.update(
      await readExactly(source, position, Math.min(MAX_READ_SIZE, source.size - position)),
    );
  }
  return hash.digest('base64');
}

/** SHA-256 of a file on disk, streamed (bounded memory): the final whole-file check. */
export async function sha256OfFile(path: string): Promise<Sha256Base64> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: MAX_READ_SIZE })) {
    hash.update(chunk as Buffer);
  }
  return hash.digest('base64');
}
