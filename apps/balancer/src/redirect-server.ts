/**
 * The client port: accepts connections and hands each to a RedirectConnection. Stopping is graceful:
 * no new connections, idle keep-alive connections close at once, a connection in the middle of a
 * request gets its answer (with `Connection: close`) first, and whatever is left after the grace
 * period is cut.
 */
import net from 'node:net';
import type { ParserLimits } from '@lb/http-wire';
import type { Logger } from 'pino';
import { ListenError } from './errors.js';
import { RedirectConnection, type RedirectConnectionHooks } from './redirect-connection.js';
import type { RedirectRouter } from './redirect-router.js';

export interface RedirectServerOptions {
  idleTimeoutMs: number;
  requestTimeoutMs: number;
  parserLimits?: ParserLimits;
  logger?: Logger;
}

export class RedirectServer {
  readonly #server: net.Server;
  readonly #connections = new Set<RedirectConnection>();
  #address: net.AddressInfo | undefined;

  constructor(router: RedirectRouter, options: RedirectServerOptions) {
    const logger = options.logger;
    const hooks: RedirectConnectionHooks = {
      onInternalError: (error) =>
        logger?.error({ err: error }, 'internal error answering a client'),
    };
    if (logger?.isLevelEnabled('debug')) {
      hooks.onClientError = (error) => logger.debug({ err: error }, 'client error');
    }
    this.#server = net.createServer({ noDelay: true }, (socket) => {
      const connection = new RedirectConnection(socket, router, {
        idleTimeoutMs: options.idleTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs,
        ...(options.parserLimits === undefined ? {} : { parserLimits: options.parserLimits }),
        hooks,
      });
      this.#connections.add(connection);
      socket.once('close', () => this.#connections.delete(connection));
    });
    // Accept errors (EMFILE) must not take the balancer down; the listener keeps going.
    this.#server.on('error', (error) => logger?.error({ err: error }, 'client listener error'));
  }

  /** Open client connections. */
  get connections(): number {
    return this.#connections.size;
  }

  get address(): net.AddressInfo | undefined {
    return this.#address;
  }

  listen(host: string, port: number): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(new ListenError('clients', host, port, error));
      this.#server.once('error', onError);
      // A backlog in the thousands: a burst of connects must queue, not be refused.
      this.#server.listen({ host, port, backlog: 4096 }, () => {
        this.#server.off('error', onError);
        this.#address = this.#server.address() as net.AddressInfo;
        resolve(this.#address);
      });
    });
  }

  /** Stops accepting, drains every connection, and cuts what remains after `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    // The listener may report closed before the sockets' own close events: wait for those too.
    const sockets = [...this.#connections].map(
      (connection) =>
        new Promise<void>((resolve) => connection.socket.once('close', () => resolve())),
    );
    for (const connection of this.#connections) connection.drain();
    const timer = setTimeout(() => {
      for (const connection of this.#connections) connection.socket.destroy();
    }, graceMs);
    await Promise.all([closed, ...sockets]);
    clearTimeout(timer);
  }
}
