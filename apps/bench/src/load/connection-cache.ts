/**
 * Keep-alive connections of one client, one idle connection per origin. A load-generator worker
 * talks to the balancer and to whichever servers it is redirected to; reusing connections keeps the
 * measurement about routing and serving, not about TCP handshakes (the first request on each origin
 * still pays its connect, as a real client's would).
 */
import { ClientConnection } from '@lb/http-wire';

export const CONNECT_TIMEOUT_MS = 5_000;

export class ConnectionCache {
  readonly #idle = new Map<string, ClientConnection>();

  /** An idle connection to `host:port`, or a new one; `reused` says which. */
  async acquire(
    host: string,
    port: number,
  ): Promise<{ connection: ClientConnection; reused: boolean }> {
    const key = `${host}:${port}`;
    const idle = this.#idle.get(key);
    if (idle !== undefined) {
      this.#idle.delete(key);
      if (idle.reusable) return { connection: idle, reused: true };
      idle.destroy();
    }
    const connection = await ClientConnection.connect({
      host,
      port,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
    });
    return { connection, reused: false };
  }

  /** Keeps the connection for the next request to its origin, or closes it if it cannot be reused. */
  release(connection: ClientConnection): void {
    const key = `${connection.host}:${connection.port}`;
    if (!connection.reusable || this.#idle.has(key)) {
      connection.destroy();
      return;
    }
    this.#idle.set(key, connection);
  }

  closeAll(): void {
    for (const connection of this.#idle.values()) connection.destroy();
    this.#idle.clear();
  }
}
