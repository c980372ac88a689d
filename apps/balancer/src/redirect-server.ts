/**
 * The client port: @lb/http-wire's `serve` on every connection, with the RedirectRouter as its
 * handler. Every answer is a latin1 string known the moment its head is parsed (a redirect needs no
 * body), so the loop sends all answers to one socket read in one write. Stopping is graceful: no new
 * connections, idle keep-alive connections close at once, a connection in the middle of a request
 * gets its answer (with `Connection: close`) first, and whatever is left after the grace period is
 * cut.
 */
import type { HttpHandler, ParserLimits } from '@lb/http-wire';
import type { Logger } from 'pino';
import { HandlerPort } from './handler-port.js';
import type { RedirectRouter } from './redirect-router.js';

export interface RedirectServerOptions {
  idleTimeoutMs: number;
  /** A started request must be complete within this (408 and close): slowloris. */
  headerTimeoutMs: number;
  parserLimits?: ParserLimits;
  logger?: Logger;
}

/**
 * The router as a connection handler: requests are answered synchronously, as strings.
 * `debugLogger` is the logger when it logs debug lines, else undefined.
 */
function redirectHandler(
  router: RedirectRouter,
  logger: Logger | undefined,
  debugLogger: Logger | undefined,
): HttpHandler {
  return {
    // ServerRequest carries method, target, close and echoKeepAlive: the facts the router reads.
    handle: (request) => router.respond(request),
    reject: (rejection) => {
      if (rejection.error !== undefined) {
        debugLogger?.debug({ err: rejection.error }, 'client error');
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

export class RedirectServer extends HandlerPort {
  constructor(router: RedirectRouter, options: RedirectServerOptions) {
    const logger = options.logger;
    const debugLogger = logger?.isLevelEnabled('debug') ? logger : undefined;
    super(
      'clients',
      redirectHandler(router, logger, debugLogger),
      {
        idleTimeoutMs: options.idleTimeoutMs,
        headerTimeoutMs: options.headerTimeoutMs,
        // A client that reads none of its answers is dropped like an idle one.
        sendTimeoutMs: options.idleTimeoutMs,
        parserLimits: options.parserLimits,
        ...(debugLogger
          ? { onStreamError: (error: Error) => debugLogger.debug({ err: error }, 'client error') }
          : {}),
      },
      {
        // A backlog in the thousands: a burst of connects must queue, not be refused.
        backlog: 4096,
        // Accept errors (EMFILE) must not take the balancer down; the listener keeps going.
        onError: (error) => logger?.error({ err: error }, 'client listener error'),
      },
    );
  }
}
