/**
 * The validators of a file version: a strong ETag and Last-Modified, both from size and mtime.
 *
 * The ETag has nginx's shape, `"<mtime seconds hex>-<size hex>"`, so the same file served by
 * nginx and by lb-server (or by two lb-servers holding copies made with preserved mtimes, which
 * is how virtual servers copy their file) carries the same tag, and If-Range works across mirrors.
 * Like nginx's, it cannot tell apart two same-size writes within one second.
 */
import type { Stats } from 'node:fs';
import { formatHttpDate } from '@lb/http-wire';

export type FileStats = Pick<Stats, 'size' | 'mtimeMs' | 'ino' | 'dev'>;

export function fileEtag(stats: FileStats): string {
  return `"${Math.floor(stats.mtimeMs / 1000).toString(16)}-${stats.size.toString(16)}"`;
}

export function fileLastModified(stats: FileStats): string {
  return formatHttpDate(stats.mtimeMs);
}

/**
 * Identifies a file version for caches: finer than the ETag (milliseconds, inode), so a rewrite
 * or an atomic replace within the same second still invalidates cached digests.
 */
export function fileVersionKey(stats: FileStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}
