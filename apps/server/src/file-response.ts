/**
 * The response for a servable file: validators, conditional requests (304), ranges (206, 416,
 * multipart/byteranges) and the file body. The file arrives opened (FileCatalog.openForServing)
 * and its `fstat` is the truth for every header, so headers and bytes describe the same version
 * even if the path is replaced meanwhile; `release()` closes it.
 */
import { closeSync, type Stats } from 'node:fs';
import {
  formatContentRange,
  formatDescribedByLink,
  formatReprDigest,
  formatUnsatisfiedRange,
  isIfRangeFresh,
  matchesIfNoneMatch,
  parseHttpDate,
  parseRange,
} from '@lb/http-wire';
import { fragmentMapPath } from '@lb/segments';
import { coalesceRanges, layoutMultipart, MAX_MULTIPART_RANGES } from './byte-ranges.js';
import { contentTypeFor } from './content-type.js';
import { fileEtag, fileLastModified } from './file-validators.js';
import type { FragmentMapCache } from './fragment-map-cache.js';
import type { RequestInfo } from './request-info.js';
import { emptyResponse, type ResponsePlan, textResponse } from './response-plan.js';
import { encodeUrlPath, lastSegment } from './url-path.js';

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed: nothing to release.
  }
}

export interface OpenedFile {
  relativePath: string;
  absolutePath: string;
  fd: number;
  stats: Stats;
}

/** Builds the response for `file`, taking ownership of its descriptor. */
export function fileResponse(
  request: RequestInfo,
  file: OpenedFile,
  fragmentMaps: FragmentMapCache,
): ResponsePlan {
  const { fd, stats } = file;
  const etag = fileEtag(stats);
  const lastModified = fileLastModified(stats);
  const validators: Array<[string, string]> = [
    ['ETag', etag],
    ['Last-Modified', lastModified],
  ];

  if (isNotModified(request, etag, stats.mtimeMs)) {
    closeQuietly(fd);
    return emptyResponse(304, validators);
  }

  const size = stats.size;
  const contentType = contentTypeFor(file.relativePath);
  const urlPath = encodeUrlPath(file.relativePath);
  const map = fragmentMaps.peek({
    absolutePath: file.absolutePath,
    stats,
    name: lastSegment(file.relativePath),
  });
  const headers: Array<[string, string]> = [
    ...validators,
    ['Accept-Ranges', 'bytes'],
    ['Link', formatDescribedByLink(fragmentMapPath(urlPath))],
  ];
  // RFC 9530: the digest of the whole representation, valid on 200, 206 and HEAD alike.
  if (map !== undefined) headers.push(['Repr-Digest', formatReprDigest(map.sha256)]);

  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    closeQuietly(fd);
  };
  const whole = (): ResponsePlan => ({
    status: 200,
    headers: [['Content-Type', contentType], ...headers],
    body: { kind: 'file', fd, start: 0, end: size - 1 },
    contentLength: size,
    fileContent: true,
    release,
  });

  // RFC 9110 §14.2: GET is the only method with range handling; HEAD describes the 200.
  const range = request.method === 'GET' ? request.headers.get('range') : null;
  if (range === null) return whole();
  const ifRange = request.headers.get('if-range');
  if (
    ifRange !== null &&
    !isIfRangeFresh(ifRange, { etag, lastModified: new Date(stats.mtimeMs) })
  ) {
    return whole();
  }
  const result = parseRange(range, size);
  if (result.kind === 'none') return whole();
  if (result.kind === 'unsatisfiable') {
    release();
    return textResponse(416, undefined, [
      ['Content-Range', formatUnsatisfiedRange(size)],
      ...headers,
    ]);
  }
  const ranges = coalesceRanges(result.ranges);
  if (ranges.length === 1) {
    const { start, end } = ranges[0]!;
    return {
      status: 206,
      headers: [
        ['Content-Type', contentType],
        ['Content-Range', formatContentRange(start, end, size)],
        ...headers,
      ],
      body: { kind: 'file', fd, start, end },
      contentLength: end - start + 1,
      fileContent: true,
      release,
    };
  }
  if (ranges.length > MAX_MULTIPART_RANGES) return whole();
  const layout = layoutMultipart(ranges, size, contentType);
  return {
    status: 206,
    headers: [['Content-Type', `multipart/byteranges; boundary=${layout.boundary}`], ...headers],
    body: { kind: 'multipart', fd, parts: layout.parts, closing: layout.closing },
    contentLength: layout.length,
    fileContent: true,
    release,
  };
}

/**
 * RFC 9110 §13.2.2 for GET/HEAD: If-None-Match decides when present (weak comparison);
 * otherwise If-Modified-Since, at the one-second resolution of Last-Modified.
 */
function isNotModified(request: RequestInfo, etag: string, mtimeMs: number): boolean {
  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch !== null) return matchesIfNoneMatch(ifNoneMatch, etag);
  const ifModifiedSince = request.headers.get('if-modified-since');
  if (ifModifiedSince === null) return false;
  const since = parseHttpDate(ifModifiedSince);
  if (since === null) return false;
  return Math.floor(mtimeMs / 1000) * 1000 <= since.getTime();
}
