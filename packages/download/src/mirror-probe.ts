/**
 * What a mirror says the file is. One `GET` with `Range: bytes=0-0` (redirects followed, up to 5)
 * tells the size (Content-Range), the validators (ETag, Last-Modified), the whole-file digest
 * (Repr-Digest) and whether Range works at all; an lb-server also points at the file's fragment
 * map with `Link: <…>; rel="describedby"`, which is then fetched. Mirrors that are not lb-servers
 * (nginx, any static server with Range) simply have no map.
 */
import {
  type ClientConnection,
  type ClientResponse,
  describedByUrl,
  httpRequest,
  retryAfterMs,
  sha256FromReprDigest,
} from '@lb/http-wire';
import { type FragmentMap, parseFragmentMap, SegmentsError } from '@lb/segments';
import { contentRangeOf } from './content-range.js';
import { describeNetworkFailure } from './network-failure.js';
import type { HeaderFields } from './request-headers.js';

/** Longest fragment map accepted (10 000 fragments × 47 bytes, with room to spare). */
const MAX_MAP_BYTES = 4 * 1024 * 1024;
const MAX_PROBE_REDIRECTS = 5;
/** The statuses whose Location is followed. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface MirrorIdentity {
  /** The URL that serves the bytes (after redirects). */
  url: string;
  size: number;
  /** Strong entity-tag, with quotes; weak ones cannot guard a range, so they are not kept. */
  etag: string | undefined;
  lastModified: string | undefined;
  /** Base64 SHA-256 of the whole file, from the fragment map or Repr-Digest. */
  sha256: string | undefined;
  map: FragmentMap | undefined;
}

export type ProbeResult =
  | { kind: 'ok'; identity: MirrorIdentity }
  /** Try again later: unreachable, timed out, 5xx, 429/503 (with the server's Retry-After). */
  | { kind: 'unavailable'; reason: string; retryAfterMs: number | undefined }
  /** This mirror cannot serve the file: 4xx, no Range support, a broken fragment map. */
  | { kind: 'unusable'; reason: string; httpStatus: boolean };

export interface ProbeOptions {
  /** Sent with every request (User-Agent, Accept...). */
  headers: HeaderFields;
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  signal?: AbortSignal;
}

type Response = ClientResponse & { connection: ClientConnection };

async function get(
  url: string,
  headers: ReadonlyArray<readonly [string, string]>,
  options: ProbeOptions,
): Promise<Response> {
  return httpRequest(url, {
    headers: [...options.headers, ...headers],
    connectTimeoutMs: options.connectTimeoutMs,
    responseTimeoutMs: options.responseTimeoutMs,
    idleTimeoutMs: options.responseTimeoutMs,
    signal: options.signal,
  });
}

function statusResult(response: Response, what: string): ProbeResult {
  const status = response.head.statusCode;
  const reason = `${what} answered ${status}${response.head.reason === '' ? '' : ` ${response.head.reason}`}`;
  if (status === 429 || status === 503 || status >= 500) {
    return {
      kind: 'unavailable',
      reason,
      retryAfterMs: retryAfterMs(response.head.headers.get('retry-after'), Date.now()),
    };
  }
  return { kind: 'unusable', reason, httpStatus: true };
}

function strongEtag(value: string | null): string | undefined {
  if (value === null) return undefined;
  const tag = value.trim();
  return tag.startsWith('"') && tag.endsWith('"') && tag.length >= 2 ? tag : undefined;
}

export async function probeMirror(startUrl: string, options: ProbeOptions): Promise<ProbeResult> {
  let url = startUrl;
  let response: Response;
  try {
    for (let hops = 0; ; hops++) {
      response = await get(url, [['Range', 'bytes=0-0']], options);
      if (!REDIRECT_STATUSES.has(response.head.statusCode)) break;
      response.connection.destroy();
      const location = response.head.headers.get('location');
      if (location === null || hops >= MAX_PROBE_REDIRECTS) {
        return { kind: 'unusable', reason: `${url}: bad redirect`, httpStatus: true };
      }
      url = new URL(location, url).href;
    }
  } catch (error) {
    return { kind: 'unavailable', reason: describeNetworkFailure(error), retryAfterMs: undefined };
  }
  const { head } = response;
  // The probe needs only the head: a 200 here would be the whole file.
  response.connection.destroy();
  if (head.statusCode === 200) {
    return {
      kind: 'unusable',
      reason: 'ignores Range requests (answered 200 to bytes=0-0)',
      httpStatus: false,
    };
  }
  let size: number;
  if (head.statusCode === 206 || head.statusCode === 416) {
    const parsed = contentRangeOf(head.headers);
    if (parsed === undefined || parsed.size === null) {
      if (head.statusCode === 416) return statusResult(response, 'the file');
      return {
        kind: 'unusable',
        reason: `sent an unusable Content-Range: ${head.headers.get('content-range') ?? '(none)'}`,
        httpStatus: false,
      };
    }
    // 416 with `bytes */0` is how an empty file answers bytes=0-0.
    if (head.statusCode === 416 && parsed.size !== 0) return statusResult(response, 'the file');
    size = parsed.size;
  } else {
    return statusResult(response, 'the file');
  }

  const identity: MirrorIdentity = {
    url,
    size,
    etag: strongEtag(head.headers.get('etag')),
    lastModified: head.headers.get('last-modified') ?? undefined,
    sha256: sha256FromReprDigest(head.headers.get('repr-digest')),
    map: undefined,
  };
  const mapUrl = describedByUrl(head.headers.getAll('link'), url);
  if (mapUrl === undefined) return { kind: 'ok', identity };
  return withFragmentMap(identity, mapUrl, options);
}

async function withFragmentMap(
  identity: MirrorIdentity,
  mapUrl: string,
  options: ProbeOptions,
): Promise<ProbeResult> {
  let map: FragmentMap;
  try {
    const response = await get(mapUrl, [], options);
    if (response.head.statusCode !== 200) {
      const result = statusResult(response, 'the fragment map');
      response.connection.destroy();
      return result;
    }
    if ((response.head.contentLength ?? 0) > MAX_MAP_BYTES) {
      response.connection.destroy();
      return { kind: 'unusable', reason: 'the fragment map is too large', httpStatus: false };
    }
    const bytes = await response.bytes();
    response.connection.close();
    map = parseFragmentMap(bytes);
  } catch (error) {
    if (error instanceof SegmentsError) {
      return {
        kind: 'unusable',
        reason: `serves an invalid fragment map (${(error as Error).message})`,
        httpStatus: false,
      };
    }
    return { kind: 'unavailable', reason: describeNetworkFailure(error), retryAfterMs: undefined };
  }
  // The map must describe the version the file's headers describe, or it verifies nothing.
  if (map.size !== identity.size) {
    return {
      kind: 'unusable',
      reason: `its fragment map says ${map.size} bytes but the file has ${identity.size}`,
      httpStatus: false,
    };
  }
  if (identity.sha256 !== undefined && identity.sha256 !== map.sha256) {
    return {
      kind: 'unusable',
      reason: 'its fragment map and Repr-Digest disagree',
      httpStatus: false,
    };
  }
  if (
    identity.etag !== undefined &&
    strongEtag(map.etag) !== undefined &&
    map.etag !== identity.etag
  ) {
    // The file changed between the two requests: ask again later.
    return {
      kind: 'unavailable',
      reason: 'the file changed while probing',
      retryAfterMs: undefined,
    };
  }
  return { kind: 'ok', identity: { ...identity, sha256: map.sha256, map } };
}
