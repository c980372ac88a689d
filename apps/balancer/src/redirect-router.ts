/**
 * Decides the answer to one client request and returns its bytes. The URL shapes:
 *
 * - `/heartbeat` — the balancer's own liveness: 200 while at least one server is live, else 503.
 * - `/r/<region>/<path>` — any live server of the region.
 * - `/r/<region>/<machine>/<path>` — one server: `<machine>` is its 1-based number within the
 *   region (see /rep) or its `host:port`.
 * - anything else — a server chosen by the strategy, with the request path as the affinity key.
 *
 * Targets lb-server would refuse (traversal, NUL, encoded `/`, bad percent-encoding, dotfiles)
 * are refused here with the same status, so no client is ever redirected to an error.
 */
import {
  decodeRequestPath,
  formatDuplicateLinks,
  formatRetryAfter,
  STATUS_REASONS,
} from '@lb/http-wire';
import { plainResponse, type ResponseFraming, redirectResponse } from './client-responses.js';
import type { PoolServer, ServerPool } from './server-pool.js';

export interface RedirectRouterOptions {
  /** Seconds a client should wait after a 503 (the probe interval: the earliest anything changes). */
  retryAfterSeconds: number;
  /** Wall-clock milliseconds for the Date header. */
  wallClock?: () => number;
}

export interface RequestFacts {
  method: string;
  target: string;
  /** HTTP/1.0 client that asked for keep-alive (needs `Connection: keep-alive` echoed). */
  echoKeepAlive: boolean;
  /** The connection closes after this response. */
  close: boolean;
}

const REGION_PREFIX = '/r/';
const ALLOW = [['Allow', 'GET, HEAD']] as Array<[string, string]>;
const MACHINE_NUMBER = /^[1-9][0-9]{0,5}$/;
const REGION_NAME = /^[A-Za-z0-9_-]{1,63}$/;

/** `/path?query` of an origin-form or absolute-form target; undefined for `*` or authority-form. */
function pathAndQueryOf(target: string): string | undefined {
  if (target.charCodeAt(0) === 0x2f /* / */) return target;
  const scheme = /^https?:\/\/[^/?]+/i.exec(target);
  if (scheme === null) return undefined;
  const rest = target.slice(scheme[0].length);
  return rest === '' || rest[0] === '?' ? `/${rest}` : rest;
}

export class RedirectRouter {
  readonly #pool: ServerPool;
  readonly #retryAfter: Array<[string, string | number]>;
  readonly #wallClock: () => number;
  /** Responses by status code, for metrics; redirects are also counted per server. */
  readonly statusCounts = new Map<number, number>();

  constructor(pool: ServerPool, options: RedirectRouterOptions) {
    this.#pool = pool;
    this.#retryAfter = [['Retry-After', formatRetryAfter(options.retryAfterSeconds)]];
    this.#wallClock = options.wallClock ?? Date.now;
  }

  /** The response to a request whose head could not be parsed (`status` from the parse error). */
  badRequest(status: number, detail: string, now = this.#wallClock()): string {
    this.#count(status);
    return plainResponse(
      status in STATUS_REASONS ? status : 400,
      {
        head: false,
        close: true,
        echoKeepAlive: false,
        now,
      },
      { detail },
    );
  }

  respond(request: RequestFacts): string {
    const framing: ResponseFraming = {
      head: request.method === 'HEAD',
      close: request.close,
      echoKeepAlive: request.echoKeepAlive,
      now: this.#wallClock(),
    };
    const pathAndQuery = pathAndQueryOf(request.target);
    if (pathAndQuery === undefined) {
      return this.#plain(400, framing, { detail: 'request-target must be a path' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return this.#plain(405, framing, {
        headers: ALLOW,
        detail: `${request.method} is not supported`,
      });
    }
    const decoded = decodeRequestPath(pathAndQuery);
    if (!decoded.ok) return this.#plain(decoded.status, framing, { detail: decoded.reason });

    const queryStart = pathAndQuery.indexOf('?');
    const rawPath = queryStart < 0 ? pathAndQuery : pathAndQuery.slice(0, queryStart);
    if (rawPath === '/heartbeat') {
      return this.#pool.ranked().length > 0
        ? this.#plain(200, framing)
        : this.#plain(503, framing, { headers: this.#retryAfter, detail: 'no live server' });
    }
    if (rawPath.startsWith(REGION_PREFIX)) return this.#routeRegion(pathAndQuery, framing);

    const server = this.#pool.pick(decoded.path);
    if (server === undefined) {
      return this.#plain(503, framing, { headers: this.#retryAfter, detail: 'no live server' });
    }
    return this.#redirect(server, this.#pool.ranked(), pathAndQuery, framing);
  }

  #routeRegion(pathAndQuery: string, framing: ResponseFraming): string {
    // `/r/<region>[/<machine>][/rest]`, split on raw slashes: names never need percent-decoding.
    const afterPrefix = pathAndQuery.slice(REGION_PREFIX.length);
    const regionEnd = afterPrefix.search(/[/?]/);
    const region = regionEnd < 0 ? afterPrefix : afterPrefix.slice(0, regionEnd);
    let rest = regionEnd < 0 ? '' : afterPrefix.slice(regionEnd);
    const servers = REGION_NAME.test(region) ? this.#pool.region(region) : undefined;
    if (servers === undefined) {
      return this.#plain(404, framing, { detail: `unknown region "${region}"` });
    }

    let machine: PoolServer | undefined;
    const second = /^\/([^/?]+)/.exec(rest);
    if (second !== null) {
      const name = second[1] ?? '';
      if (MACHINE_NUMBER.test(name)) {
        const number = Number(name);
        machine = servers.find((server) => server.machine === number);
        if (machine === undefined) {
          return this.#plain(404, framing, {
            detail: `unknown machine ${name} in region "${region}"`,
          });
        }
      } else {
        machine = servers.find((server) => server.id === name.toLowerCase());
      }
      if (machine !== undefined) rest = rest.slice(second[0].length);
    }
    const target = rest === '' || rest[0] === '?' ? `/${rest}` : rest;
    // The whole target was checked, but `/r/eu/1/../../x` is only harmful once the prefix is gone.
    const decoded = decodeRequestPath(target);
    if (!decoded.ok) return this.#plain(decoded.status, framing, { detail: decoded.reason });

    if (machine !== undefined) {
      if (machine.state !== 'up') {
        return this.#plain(503, framing, {
          headers: this.#retryAfter,
          detail: `machine ${machine.machine} in region "${region}" is ${machine.state}`,
        });
      }
      return this.#redirect(machine, [], target, framing);
    }
    const server = this.#pool.pick(decoded.path, region);
    if (server === undefined) {
      return this.#plain(503, framing, {
        headers: this.#retryAfter,
        detail: `no live server in region "${region}"`,
      });
    }
    const ranked = this.#pool.ranked().filter((candidate) => candidate.spec.region === region);
    return this.#redirect(server, ranked, target, framing);
  }

  #redirect(
    server: PoolServer,
    ranked: readonly PoolServer[],
    pathAndQuery: string,
    framing: ResponseFraming,
  ): string {
    server.redirects++;
    this.#count(301);
    const others: string[] = [];
    for (const candidate of ranked) if (candidate !== server) others.push(candidate.origin);
    return redirectResponse(
      server.origin + pathAndQuery,
      formatDuplicateLinks(others, pathAndQuery),
      framing,
    );
  }

  #plain(
    status: number,
    framing: ResponseFraming,
    options: { headers?: Array<[string, string | number]>; detail?: string } = {},
  ): string {
    this.#count(status);
    return plainResponse(status, framing, options);
  }

  #count(status: number): void {
    this.statusCounts.set(status, (this.statusCounts.get(status) ?? 0) + 1);
  }
}
