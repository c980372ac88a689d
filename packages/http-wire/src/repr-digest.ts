/**
 * `Repr-Digest` (RFC 9530): a structured-field dictionary such as
 * `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:...:`. Only sha-256 is
 * used: it is what lb-server sends and what the fragment maps use.
 */

/** A base64 SHA-256 digest: 32 bytes, so 43 characters and one `=`, the last bits zero. */
const SHA256_BASE64 = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const SHA256_MEMBER = /(?:^|,)[ \t]*sha-256[ \t]*=[ \t]*:([A-Za-z0-9+/]+=*):/i;

/** The base64 SHA-256 of the whole representation, or undefined when absent or malformed. */
export function sha256FromReprDigest(value: string | null): string | undefined {
  if (value === null) return undefined;
  const match = SHA256_MEMBER.exec(value);
  const digest = match?.[1];
  return digest !== undefined && SHA256_BASE64.test(digest) ? digest : undefined;
}

/** The Repr-Digest value for a base64 SHA-256 of the whole representation. */
export function formatReprDigest(sha256Base64: string): string {
  return `sha-256=:${sha256Base64}:`;
}
