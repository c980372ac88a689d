/**
 * The client port: @lb/http-wire's `serve` on every connection, with the RedirectRouter as its
 * handler. Every answer is a latin1 string known the moment its head is parsed (a redirect needs no
 * body), so the loop sends all answers to one socket read in one write. Stopping is graceful: no new
 * connections, idle keep-alive connections close at once, a connection in the middle of a request
 * gets its answer (with `Connection: close`) first, and whatever is left after the grace period is
 * cut.
 */
import {
  type HttpHandler,
  type HttpListener,
  listen,
  type ParserLimits,
  type ServeOptions,
} from '@lb/http-wire';
import type { Logger } from 'pino';
import { ListenError } from './errors.js';
import type { RedirectRouter } from './redirect-router.js';

export interface RedirectServerOptions {
  idleTimeoutMs: number;
  /** A started request must be complete within this (408 and close): slowloris. */
  headerTimeoutMs: number;
  parserLimits?: ParserLimits;
  logger?: Logger;
}

export interface ListeningAddress {
  /** The address bound, e.g. `127.0.0.1` or `::`. */
  address: string;
  port: number;
}

/** The router as a connection handler: requests are answered synchronously, as strings. */
function redirectHandler(router: RedirectRouter, logger: Logger | undefined): HttpHandler {
  const debug = logger?.isLevelEnabled('debug') === true;
  return {
    // ServerRequest carries method, target, close and echoKeepAlive: the facts the router reads.
    handle: (request) => router.respond(request),
    reject: (rejection) => {
      if (debug && rejection.error !== undefined) {
        logger?.debug({ err: rejection.error }, 'client error');
      }
      return router.badRequest(rejection.status, rejection.reason);
    },
    fail: (error) => {
      // Never let one request take the process down: answer 500 and drop this connection.
      logger?.error({ err: error }, 'internal error answering a client');
      return router.badRequest(500, 'internal error');
    },
  };
}

export class RedirectServer {
  readonly #handler: HttpHandler;
  readonly #serveOptions: ServeOptions;
  readonly #logger: Logger | undefined;
  #listener: HttpListener | undefined;

  constructor(router: RedirectRouter, options: RedirectServerOptions) {
    const logger = options.logger;
    this.#logger = logger;
    this.#handler = redirectHandler(router, logger);
    this.#serveOptions = {
      idleTimeoutMs: options.idleTimeoutMs,
      headerTimeoutMs: options.headerTimeoutMs,
      // A client that reads none of its answers is dropped like an idle one.
      sendTimeoutMs: options.idleTimeoutMs,
      parserLimits: options.parserLimits,
      ...(logger?.isLevelEnabled('debug')
        ? { onStreamError: (error: Error) => logger.debug({ err: error }, 'client error') }
        : {}),
    };
  }

  /** Open client connections. */
  get connections(): number {
    return this.#listener?.connections ?? 0;
  }

  get address(): ListeningAddress | undefined {
    return this.#listener?.address;
  }

  async listen(host: string, port: number): Promise<ListeningAddress> {
    try {
      this.#listener = await listen(
        {
          host,
          port,
          // A backlog in the thousands: a burst of connects must queue, not be refused.
          backlog: 4096,
          // Accept errors (EMFILE) must not take the balancer down; the listener keeps going.
          onError: (error) => this.#logger?.error({ err: error }, 'client listener error'),
        },
        this.#handler,
        this.#serveOptions,
      );
    } catch (error) {
      throw new ListenError('clients', host, port, error as Error);
    }
    return this.#listener.address;
  }

  /** Stops accepting, drains every connection, and cuts what remains after `graceMs`. */
  async close(graceMs = 5000): Promise<void> {
    const listener = this.#listener;
    if (listener === undefined) return;
    await listener.close(graceMs);
  }
}
