/**
 * Mode 1's request loop: GET the URL, hand each response head to `onResponse` (the CLI prints it),
 * and on 301/302/303/307/308 request the `Location` (resolved against the current URL) at once, up
 * to MAX_REDIRECTS hops. A loop, a missing or unusable Location, or a sixth redirect is a
 * RedirectError. Any status other than 2xx or those redirects is an HttpStatusError after its body
 * was shown. The 2xx response is returned with its body unread.
 */
import { REDIRECT_STATUSES } from '@lb/download';
import {
  type ClientConnection,
  type ClientResponse,
  duplicateMirrors,
  httpRequest,
} from '@lb/http-wire';
import { HttpStatusError, networkError, RedirectError } from './errors.js';
import { BASE_HEADERS } from './request-headers.js';

export const MAX_REDIRECTS = 5;

export interface FollowOptions {
  connectTimeoutMs: number;
  /** Longest wait for a response head, and for the next body byte. */
  responseTimeoutMs: number;
  /** Every response head, in order (redirects included). */
  onResponse: (response: ClientResponse, url: string) => void;
  /** The body of a response that is not the file (a redirect's HTML, an error page). */
  onOtherBody: (body: Uint8Array, url: string) => void;
  signal?: AbortSignal;
  maxRedirects?: number;
}

export interface FollowResult {
  /** The 2xx response, body unread. */
  response: ClientResponse & { connection: ClientConnection };
  /** The URL that answered it. */
  url: string;
  /** `Link: rel=duplicate` mirrors named by the redirects on the way, best `pri` first. */
  duplicates: string[];
  /** How many redirects were followed. */
  redirects: number;
}

async function request(url: string, options: FollowOptions) {
  try {
    return await httpRequest(url, {
      headers: BASE_HEADERS,
      connectTimeoutMs: options.connectTimeoutMs,
      responseTimeoutMs: options.responseTimeoutMs,
      idleTimeoutMs: options.responseTimeoutMs,
      signal: options.signal,
    });
  } catch (error) {
    throw networkError(url, error);
  }
}

async function readOtherBody(
  response: ClientResponse & { connection: ClientConnection },
  url: string,
  options: FollowOptions,
): Promise<void> {
  let body: Uint8Array;
  try {
    body = await response.bytes();
  } catch (error) {
    throw networkError(url, error);
  }
  response.connection.close();
  options.onOtherBody(body, url);
}

export async function followRedirects(
  startUrl: string,
  options: FollowOptions,
): Promise<FollowResult> {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  const visited: string[] = [startUrl];
  let url = startUrl;
  let duplicates: string[] = [];
  for (let redirects = 0; ; redirects++) {
    const response = await request(url, options);
    const { head } = response;
    options.onResponse(response, url);
    if (head.statusCode >= 200 && head.statusCode < 300) {
      return { response, url, duplicates, redirects };
    }
    await readOtherBody(response, url, options);
    if (!REDIRECT_STATUSES.has(head.statusCode)) {
      throw new HttpStatusError(head.statusCode, head.reason, url);
    }

    const location = head.headers.get('location');
    if (location === null || location.trim() === '') {
      throw new RedirectError(
        'missing-location',
        `${url} answered ${head.statusCode} without a Location header`,
      );
    }
    let next: URL;
    try {
      next = new URL(location.trim(), url);
    } catch {
      throw new RedirectError('bad-location', `${url} redirected to an invalid URL: ${location}`);
    }
    if (next.protocol !== 'http:') {
      throw new RedirectError(
        'bad-location',
        `${url} redirected to ${next.href}: only http:// is supported`,
      );
    }
    // A fragment is not sent to the server; two Locations differing only there are one resource.
    next.hash = '';
    if (visited.includes(next.href)) {
      throw new RedirectError('loop', `redirect loop: ${[...visited, next.href].join(' -> ')}`);
    }
    if (redirects + 1 > maxRedirects) {
      throw new RedirectError(
        'too-many',
        `more than ${maxRedirects} redirects: ${[...visited, next.href].join(' -> ')}`,
      );
    }
    const mirrors = duplicateMirrors(head.headers.getAll('link'), url);
    if (mirrors.length > 0) duplicates = mirrors;
    visited.push(next.href);
    url = next.href;
  }
}
