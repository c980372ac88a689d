/**
 * The load generator's client: GET through the balancer, follow its 301 to the server and read the
 * whole body. The time measured is the client's full response time (redirect + transfer), on our
 * own HTTP stack (@lb/http-wire), which is what a user of lb would see.
 *
 * It never retries a request that reached a server: a failure is a result. The one exception is a
 * kept-alive connection the peer had already closed when the request was written (0 bytes back),
 * which any HTTP client retries once on a fresh connection; that is not a lost request.
 */
import { type ClientConnection, type ClientResponse, parseHttpUrl } from '@lb/http-wire';
import type { RequestRecord } from '../stats/request-record.js';
import { ConnectionCache } from './connection-cache.js';

export const RESPONSE_TIMEOUT_MS = 15_000;

export interface Origin {
  host: string;
  port: number;
}

export type FetchResult = Omit<RequestRecord, 'index' | 'startedAtMs'>;

const STALE_CONNECTION_CODES = new Set([
  'LB_WIRE_PREMATURE_CLOSE',
  'LB_WIRE_SOCKET',
  'LB_WIRE_CONNECTION_CLOSED',
]);

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : ((error as Error)?.message ?? String(error));
}

function isStaleConnection(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !STALE_CONNECTION_CODES.has(code)) return false;
  const received = (error as { bytesReceived?: unknown }).bytesReceived;
  return received === undefined || received === 0;
}

export class RedirectClient {
  readonly #connections = new ConnectionCache();

  /** Sends one GET on a cached or new connection (one retry if a cached one turned out dead). */
  async #send(
    origin: Origin,
    path: string,
  ): Promise<{ response: ClientResponse; connection: ClientConnection }> {
    for (let attempt = 0; ; attempt++) {
      const { connection, reused } = await this.#connections.acquire(origin.host, origin.port);
      try {
        const response = await connection.request({
          path,
          responseTimeoutMs: RESPONSE_TIMEOUT_MS,
          idleTimeoutMs: RESPONSE_TIMEOUT_MS,
        });
        return { response, connection };
      } catch (error) {
        connection.destroy();
        if (!(reused && attempt === 0 && isStaleConnection(error))) throw error;
      }
    }
  }

  /** Reads and counts the body, then hands the connection back for reuse. */
  async #finish(response: ClientResponse, connection: ClientConnection): Promise<number> {
    let bytes = 0;
    for await (const chunk of response.body) bytes += chunk.byteLength;
    this.#connections.release(connection);
    return bytes;
  }

  /**
   * GET `path` from the balancer and, when `follow` and the answer is a redirect, from the server it
   * names. `ok` means the final response was 2xx (or, not following, that a 301 came back).
   */
  async fetch(balancer: Origin, path: string, follow: boolean): Promise<FetchResult> {
    const startedAt = performance.now();
    let redirectMs = 0;
    let server: string | null = null;
    try {
      const first = await this.#send(balancer, path);
      const firstBytes = await this.#finish(first.response, first.connection);
      redirectMs = performance.now() - startedAt;
      const status = first.response.statusCode;
      const location = first.response.head.headers.get('location');
      if (status !== 301 || location === null) {
        return {
          totalMs: redirectMs,
          redirectMs,
          server: null,
          status,
          bytes: firstBytes,
          ok: false,
          error: null,
        };
      }
      const target = parseHttpUrl(location);
      server = `${target.host}:${target.port}`;
      if (!follow) {
        return { totalMs: redirectMs, redirectMs, server, status, bytes: 0, ok: true, error: null };
      }
      const second = await this.#send(target, target.path);
      const bytes = await this.#finish(second.response, second.connection);
      const finalStatus = second.response.statusCode;
      return {
        totalMs: performance.now() - startedAt,
        redirectMs,
        server,
        status: finalStatus,
        bytes,
        ok: finalStatus >= 200 && finalStatus < 300,
        error: null,
      };
    } catch (error) {
      return {
        totalMs: performance.now() - startedAt,
        redirectMs,
        server,
        status: 0,
        bytes: 0,
        ok: false,
        error: errorCode(error),
      };
    }
  }

  close(): void {
    this.#connections.closeAll();
  }
}
