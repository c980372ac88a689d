/**
 * The admin port's transport: @lb/http-wire's `serve` with bodies collected up to
 * {@link MAX_ADMIN_BODY_BYTES}, requests of one connection answered strictly in order (handlers
 * are async: an `/add` waits for the new servers' first probe). Routing and validation live in
 * AdminApi.
 */
import { type HttpHandler, type ServerRequest, serializeResponseHead } from '@lb/http-wire';
import type { Logger } from 'pino';
import {
  type AdminApi,
  type AdminResponse,
  adminError,
  MAX_ADMIN_BODY_BYTES,
} from './admin-api.js';
import { HandlerPort } from './handler-port.js';

const ADMIN_IDLE_TIMEOUT_MS = 60_000;

function toBytes(response: AdminResponse, head: boolean, close: boolean): Buffer {
  const body = Buffer.from(response.body, 'utf8');
  const headers: Array<[string, string | number]> = [
    ...response.headers,
    ['Content-Length', body.length],
  ];
  if (close) headers.push(['Connection', 'close']);
  const bytes = serializeResponseHead({ statusCode: response.status, headers });
  return head ? bytes : Buffer.concat([bytes, body]);
}

function adminHandler(api: AdminApi, logger: Logger | undefined): HttpHandler {
  const internalError = (error: unknown) => {
    logger?.error({ err: error }, 'admin request failed');
    return toBytes(adminError(500, 'internal error; see the balancer log'), false, true);
  };
  return {
    async handle(request: ServerRequest) {
      const head = request.head;
      const response = await api.handle({
        method: head.method,
        target: head.target,
        authorization: head.headers.get('authorization'),
        body: Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength),
      });
      return toBytes(response, head.method === 'HEAD', request.close);
    },
    reject: (rejection) => toBytes(adminError(rejection.status, rejection.reason), false, true),
    fail: internalError,
  };
}

export class AdminServer extends HandlerPort {
  constructor(api: AdminApi, logger?: Logger) {
    super(
      'the admin API',
      adminHandler(api, logger),
      {
        idleTimeoutMs: ADMIN_IDLE_TIMEOUT_MS,
        maxBodyBytes: MAX_ADMIN_BODY_BYTES,
        onStreamError: (error) => logger?.debug({ err: error }, 'admin client error'),
      },
      { onError: (error) => logger?.error({ err: error }, 'admin listener error') },
    );
  }

  /** Stops accepting and closes every admin connection (admin requests are not worth waiting for). */
  override async close(): Promise<void> {
    await super.close(0);
  }
}
