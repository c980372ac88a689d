/** Header fields every request of the engine carries. */
export type HeaderFields = ReadonlyArray<readonly [string, string]>;

export const DEFAULT_USER_AGENT = 'lb-download';

/**
 * `Accept-Encoding: identity`: the bytes saved must be the file's bytes, and ranges must address
 * them, so no content coding is ever negotiated.
 */
export function baseRequestHeaders(userAgent = DEFAULT_USER_AGENT): HeaderFields {
  return Object.freeze([
    ['User-Agent', userAgent],
    ['Accept', '*/*'],
    ['Accept-Encoding', 'identity'],
  ] as const);
}
