/** Header fields every request of lb-client carries. */
import { readFileSync } from 'node:fs';

function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

export const CLIENT_VERSION = packageVersion();
export const USER_AGENT = `lb-client/${CLIENT_VERSION}`;

/**
 * `Accept-Encoding: identity`: the bytes saved must be the file's bytes, and ranges must address
 * them, so no content coding is ever negotiated.
 */
export const BASE_HEADERS: ReadonlyArray<readonly [string, string]> = Object.freeze([
  ['User-Agent', USER_AGENT],
  ['Accept', '*/*'],
  ['Accept-Encoding', 'identity'],
]);
