/**
 * `Repr-Digest` (RFC 9530): a structured-field dictionary such as
 * `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:...:`. Only sha-256 is
 * used: it is what lb-server sends and what the fragment maps use.
 */
import { SHA256_BASE64_PATTERN } from '@lb/segments';

const SHA256_MEMBER = /(?:^|,)[ \t]*sha-256[ \t]*=[ \t]*:([A-Za-z0-9+/]+=*):/i;

/** The base64 SHA-256 of the whole representation, or undefined when absent or malformed. */
export function sha256FromReprDigest(value: string | null): string | undefined {
  if (value === null) return undefined;
  const match = SHA256_MEMBER.exec(value);
  const digest = match?.[1];
  return digest !== undefined && SHA256_BASE64_PATTERN.test(digest) ? digest : undefined;
}
