/** Request paths as they appear in URLs: `/`-joined, each segment percent-encoded. */

/** `sub dir/a#1.iso` → `/sub%20dir/a%231.iso`. */
export function encodeUrlPath(relativePath: string): string {
  if (relativePath === '') return '/';
  return `/${relativePath.split('/').map(encodeURIComponent).join('/')}`;
}

/** The last segment of a relative path: the name a client saves the file under. */
export function lastSegment(relativePath: string): string {
  return relativePath.slice(relativePath.lastIndexOf('/') + 1);
}
