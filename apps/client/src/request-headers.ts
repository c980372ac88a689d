/** Header fields every request of lb-client carries. */
import { readFileSync } from 'node:fs';
import { baseRequestHeaders, type HeaderFields } from '@lb/download';

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

/** The engine's header fields (identity coding only), under lb-client's User-Agent. */
export const BASE_HEADERS: HeaderFields = baseRequestHeaders(USER_AGENT);
