/**
 * The admin port's transport: HTTP/1.1 on `node:net` through @lb/http-wire, bodies collected up to
 * {@link MAX_ADMIN_BODY_BYTES}, requests of one connection answered strictly in order (handlers are
 * async: an `/add` waits for the new servers' first probe). Routing and validation live in AdminApi.
 */
import net from 'node:net';
import { HttpParseError, RequestParser, serializeResponseHead } from '@lb/http-wire';
import type { Logger } from 'pino';
import {
  type AdminApi,
  type AdminResponse,
  adminError,
  MAX_ADMIN_BODY_BYTES,
} from './admin-api.js';
import { ListenError } from './errors.js';

interface PendingRequest {
  method: string;
  target: string;
  authorization: string | null;
  keepAlive: boolean;
  chunks: Uint8Array[];
  size: number;
}

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

function serveConnection(socket: net.Socket, api: AdminApi, logger: Logger | undefined): void {
  const parser = new RequestParser();
  let current: PendingRequest | null = null;
  let queue = Promise.resolve();
  let closing = false;

  const answer = (respond: () => Promise<AdminResponse>, head: boolean, close: boolean) => {
    queue = queue.then(async () => {
      let response: AdminResponse;
      try {
        response = await respond();
      } catch (error) {
        logger?.error({ err: error }, 'admin request failed');
        response = adminError(500, 'internal error; see the balancer log');
      }
      if (socket.destroyed) return;
      socket.write(toBytes(response, head, close));
      if (close) socket.end();
    });
  };

  socket.setTimeout(ADMIN_IDLE_TIMEOUT_MS, () => socket.destroy());
  socket.on('error', (error) => logger?.debug({ err: error }, 'admin client error'));
  socket.on('data', (chunk: Buffer) => {
    if (closing) return;
    let events: ReturnType<RequestParser['execute']>['events'];
    try {
      events = parser.execute(chunk).events;
    } catch (error) {
      closing = true;
      if (error instanceof HttpParseError) {
        answer(
          async () => adminError(error.status, `malformed request (${error.code})`),
          false,
          true,
        );
      } else {
        logger?.error({ err: error }, 'admin request failed');
        answer(async () => adminError(500, 'internal error; see the balancer log'), false, true);
      }
      return;
    }
    for (const event of events) {
      if (closing) return;
      if (event.kind === 'head') {
        const head = event.head;
        current = {
          method: head.method,
          target: head.target,
          authorization: head.headers.get('authorization'),
          keepAlive: head.keepAlive && head.method !== 'CONNECT' && !head.upgrade,
          chunks: [],
          size: 0,
        };
        if (head.contentLength !== null && head.contentLength > MAX_ADMIN_BODY_BYTES) {
          closing = true;
          answer(
            async () => adminError(413, `body larger than ${MAX_ADMIN_BODY_BYTES} bytes`),
            false,
            true,
          );
        }
      } else if (event.kind === 'body' && current !== null) {
        current.size += event.data.byteLength;
        if (current.size > MAX_ADMIN_BODY_BYTES) {
          closing = true;
          answer(
            async () => adminError(413, `body larger than ${MAX_ADMIN_BODY_BYTES} bytes`),
            false,
            true,
          );
          return;
        }
        // The parser hands out views into this chunk: copy what must outlive it.
        current.chunks.push(Buffer.from(event.data));
      } else if (event.kind === 'end' && current !== null) {
        const request = current;
        current = null;
        const close = !request.keepAlive;
        if (close) closing = true;
        const body = Buffer.concat(request.chunks);
        answer(
          () =>
            api.handle({
              method: request.method,
              target: request.target,
              authorization: request.authorization,
              body,
            }),
          request.method === 'HEAD',
          close,
        );
      }
    }
  });
}

export class AdminServer {
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  constructor(api: AdminApi, logger?: Logger) {
    this.#server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      serveConnection(socket, api, logger);
    });
    this.#server.on('error', (error) => logger?.error({ err: error }, 'admin listener error'));
  }

  listen(host: string, port: number): Promise<net.AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(new ListenError('the admin API', host, port, error));
      this.#server.once('error', onError);
      this.#server.listen({ host, port }, () => {
        this.#server.off('error', onError);
        resolve(this.#server.address() as net.AddressInfo);
      });
    });
  }

  /** Stops accepting and closes every admin connection (admin requests are not worth waiting for). */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}
