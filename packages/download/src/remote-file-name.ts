/** The local name of a remote file, taken from its URL the way curl -O and wget do. */
import { isSafeFileName } from '@lb/segments';

export { isSafeFileName };

/** Used when the URL ends in `/` (like wget). */
export const DEFAULT_INDEX_NAME = 'index.html';
/** Used when the URL's last segment is not a safe file name. */
export const FALLBACK_NAME = 'download';

/** The local name for the file at `url`: its last path segment, percent-decoded. */
export function fileNameFromUrl(url: string): string {
  const pathname = new URL(url).pathname;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  if (last === '') return DEFAULT_INDEX_NAME;
  let decoded: string;
  try {
    decoded = decodeURIComponent(last);
  } catch {
    decoded = last;
  }
  return isSafeFileName(decoded) ? decoded : FALLBACK_NAME;
}
