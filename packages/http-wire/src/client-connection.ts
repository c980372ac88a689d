/**
 * One HTTP/1.1 client connection on `node:net`: one request at a time, keep-alive reuse once the
 * previous body has been consumed, every failure a coded error. Bytes flow socket → ResponseParser →
 * ResponseBody as the parser's views; the socket is paused whenever the consumer is not pulling.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type BodySource,
  ClientResponse,
  ResponseBody,
  type ResponseTimings,
} from './client-response.js';
import {
  ConnectError,
  ConnectionBusyError,
  ConnectionClosedError,
  ConnectTimeoutError,
  HttpParseError,
  InvalidArgumentError,
  InvalidHeaderError,
  InvalidUrlError,
  PrematureCloseError,
  RequestAbortedError,
  ResponseTimeoutError,
  SocketError,
} from './errors.js';
import type { ParserLimits } from './limits.js';
import { type ResponseHead, ResponseParser } from './response-parser.js';
import { type HeaderFields, serializeRequestHead } from './serializer.js';

export interface ConnectOptions {
  host: string;
  port: number;
  /** Give up connecting after this long (ConnectTimeoutError). Default: the OS's own timeout. */
  connectTimeoutMs?: number;
  /** Aborts a pending connect (RequestAbortedError); it has no effect once connected. */
  signal?: AbortSignal;
  /** Limits of the response parser. */
  parserLimits?: ParserLimits;
  /**
   * Read the socket into one buffer of this many bytes, reused for every read, instead of a fresh
   * buffer per read (Node's `onread`): nothing is allocated per read, so memory stays flat however
   * fast bytes arrive. The price: each body chunk is a view into that buffer, valid only until the
   * consumer asks for the next chunk or sends the next request; copy what must live longer.
   */
  readBufferSize?: number;
}

export interface RequestOptions {
  /** Default GET. */
  method?: string;
  /** The request-target, usually origin-form (`/file?x=1`). */
  path: string;
  /** `Host` is added when absent; Content-Length/Transfer-Encoding are the client's to set. */
  headers?: HeaderFields;
  /** Sent with a Content-Length. */
  body?: Uint8Array;
  /** Longest wait from writing the request to the first response byte (ResponseTimeoutError). */
  responseTimeoutMs?: number;
  /**
   * Longest silence once the response has started; not counted while the consumer is not pulling
   * (the silence is then ours).
   */
  idleTimeoutMs?: number;
  /** Aborting rejects with RequestAbortedError and destroys the connection. */
  signal?: AbortSignal;
}

/** The request/response in flight. */
interface Exchange {
  resolve: (response: ClientResponse) => void;
  reject: (error: unknown) => void;
  response: ClientResponse | null;
  body: ResponseBody | null;
  interim: ResponseHead[];
  startedAt: number;
  connectMs: number;
  firstByteMs: number | null;
  /** The parser has seen the end of the final response. */
  complete: boolean;
  responseTimeoutMs: number | undefined;
  idleTimeoutMs: number | undefined;
  timer: NodeJS.Timeout | null;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | null;
}

function checkTimeout(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError(
      `${name} must be a positive number of milliseconds, got ${value}`,
    );
  }
}

function hostHeader(host: string, port: number): string {
  const name = host.includes(':') ? `[${host}]` : host;
  return port === 80 ? name : `${name}:${port}`;
}

/** Header pairs from either input shape, so names can be checked case-insensitively. */
function toPairs(headers: HeaderFields | undefined): Array<readonly [string, string | number]> {
  if (headers === undefined) return [];
  if (Symbol.iterator in headers)
    return [...(headers as Iterable<readonly [string, string | number]>)];
  const pairs: Array<readonly [string, string | number]> = [];
  const record = headers as Readonly<Record<string, string | number | readonly string[]>>;
  for (const name of Object.keys(record)) {
    const value = record[name]!;
    if (Array.isArray(value))
      for (const item of value as readonly string[]) pairs.push([name, item]);
    else pairs.push([name, value as string | number]);
  }
  return pairs;
}

export class ClientConnection {
  readonly host: string;
  readonly port: number;
  /** Time the TCP handshake took. */
  readonly connectMs: number;
  readonly #socket: net.Socket;
  readonly #parser: ResponseParser;
  #exchange: Exchange | null = null;
  #requests = 0;
  #closed = false;
  /** False once a response said `Connection: close`, a body was abandoned, or close() was called. */
  #keepAlive = true;
  /** The body consumer is not pulling, so the socket is paused and idle time is not counted. */
  #paused = false;
  /** Body chunks are views into the one reused read buffer (ConnectOptions.readBufferSize). */
  readonly #borrowed: boolean;
  readonly #source: BodySource = {
    pause: () => this.#pause(),
    resume: () => this.#resume(),
    drained: () => this.#drained(),
    abandon: () => this.destroy(),
  };

  private constructor(
    host: string,
    port: number,
    socket: net.Socket,
    connectMs: number,
    limits: ParserLimits | undefined,
    borrowed: boolean,
  ) {
    this.host = host;
    this.port = port;
    this.#socket = socket;
    this.connectMs = connectMs;
    this.#parser = new ResponseParser(limits);
    this.#borrowed = borrowed;
    socket.setNoDelay(true);
    // A borrowed buffer arrives through `onread` (see connect()), not as 'data'.
    if (!borrowed) socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', (error: Error) => this.#fail(new SocketError(error)));
    socket.on('close', () => this.#onClose());
    // An idle keep-alive connection must not keep the process alive.
    socket.unref();
  }

  /** Opens a TCP connection. Rejects with ConnectError, ConnectTimeoutError or RequestAbortedError. */
  static connect(options: ConnectOptions): Promise<ClientConnection> {
    const { host, port, connectTimeoutMs, signal, readBufferSize } = options;
    try {
      checkTimeout('connectTimeoutMs', connectTimeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    if (
      readBufferSize !== undefined &&
      !(Number.isInteger(readBufferSize) && readBufferSize >= 1024 && readBufferSize <= 2 ** 24)
    ) {
      return Promise.reject(
        new InvalidArgumentError(
          `readBufferSize must be an integer in [1024, 16777216] bytes, got ${readBufferSize}`,
        ),
      );
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      return Promise.reject(
        new InvalidArgumentError(`port must be an integer in [1, 65535], got ${port}`),
      );
    }
    if (signal?.aborted) return Promise.reject(new RequestAbortedError(signal.reason));
    return new Promise((resolve, reject) => {
      const startedAt = performance.now();
      let connection: ClientConnection | undefined;
      const readBuffer = readBufferSize === undefined ? undefined : new Uint8Array(readBufferSize);
      const socket = net.connect(
        readBuffer === undefined
          ? { host, port }
          : {
              host,
              port,
              onread: {
                buffer: readBuffer,
                // Bytes only flow once connected, so `connection` is set by then. Pausing is
                // done by the body (socket.pause()), so the read itself always continues.
                callback: (bytes: number) => {
                  connection!.#onData(readBuffer.subarray(0, bytes));
                  return true;
                },
              },
            },
      );
      let timer: NodeJS.Timeout | undefined;
      const settle = (error: Error | null) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.removeListener('connect', onConnect);
        socket.removeListener('error', onError);
        if (error === null) return;
        socket.destroy();
        reject(error);
      };
      const onConnect = () => {
        settle(null);
        const connectMs = performance.now() - startedAt;
        connection = new ClientConnection(
          host,
          port,
          socket,
          connectMs,
          options.parserLimits,
          readBuffer !== undefined,
        );
        resolve(connection);
      };
      const onError = (error: Error) => settle(new ConnectError(host, port, error));
      const onAbort = () => settle(new RequestAbortedError(signal!.reason));
      socket.once('connect', onConnect);
      socket.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (connectTimeoutMs !== undefined) {
        timer = setTimeout(
          () => settle(new ConnectTimeoutError(host, port, connectTimeoutMs)),
          connectTimeoutMs,
        );
      }
    });
  }

  /** True when another request may be sent now: open, idle, and the server allows keep-alive. */
  get reusable(): boolean {
    return !this.#closed && this.#exchange === null && this.#keepAlive;
  }

  /** True once the socket has closed or been destroyed. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends a request and resolves once the final response head arrived (1xx heads are collected in
   * `interim`). The body must then be consumed (iterate, `text()`, `discard()`) before the next
   * request; breaking out of the iteration early destroys the connection.
   */
  request(options: RequestOptions): Promise<ClientResponse> {
    try {
      return this.#send(options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #send(options: RequestOptions): Promise<ClientResponse> {
    const { responseTimeoutMs, idleTimeoutMs, signal, body } = options;
    if (this.#closed || (!this.#keepAlive && this.#exchange === null)) {
      throw new ConnectionClosedError();
    }
    if (this.#exchange !== null) throw new ConnectionBusyError();
    checkTimeout('responseTimeoutMs', responseTimeoutMs);
    checkTimeout('idleTimeoutMs', idleTimeoutMs);
    if (signal?.aborted) throw new RequestAbortedError(signal.reason);

    const method = options.method ?? 'GET';
    const pairs = toPairs(options.headers);
    let hasHost = false;
    let closeAfter = false;
    for (const [name, value] of pairs) {
      const lower = name.toLowerCase();
      if (lower === 'host') hasHost = true;
      else if (lower === 'connection')
        closeAfter ||= /(?:^|,)[ \t]*close[ \t]*(?:,|$)/i.test(String(value));
      else if (lower === 'content-length' || lower === 'transfer-encoding') {
        throw new InvalidHeaderError(name, 'name', `${name} is set by the client from the body`);
      }
    }
    if (!hasHost) pairs.unshift(['Host', hostHeader(this.host, this.port)]);
    if (body !== undefined) pairs.push(['Content-Length', body.byteLength]);
    const head = serializeRequestHead({ method, target: options.path, headers: pairs });

    return new Promise<ClientResponse>((resolve, reject) => {
      const exchange: Exchange = {
        resolve,
        reject,
        response: null,
        body: null,
        interim: [],
        startedAt: performance.now(),
        connectMs: this.#requests === 0 ? this.connectMs : 0,
        firstByteMs: null,
        complete: false,
        responseTimeoutMs,
        idleTimeoutMs,
        timer: null,
        signal,
        onAbort: null,
      };
      this.#exchange = exchange;
      this.#requests++;
      if (closeAfter) this.#keepAlive = false;
      this.#parser.expectResponseTo(method);
      if (signal !== undefined) {
        exchange.onAbort = () => this.#fail(new RequestAbortedError(signal.reason));
        signal.addEventListener('abort', exchange.onAbort, { once: true });
      }
      if (responseTimeoutMs !== undefined) {
        exchange.timer = setTimeout(
          () => this.#fail(new ResponseTimeoutError('first-byte', responseTimeoutMs)),
          responseTimeoutMs,
        );
      }
      this.#socket.ref();
      this.#socket.cork();
      this.#socket.write(head);
      if (body !== undefined && body.byteLength > 0) this.#socket.write(body);
      this.#socket.uncork();
    });
  }

  /** Closes once the current response (if any) is complete; no further requests. */
  close(): void {
    this.#keepAlive = false;
    if (this.#exchange === null && !this.#closed) this.#socket.end();
  }

  /** Destroys the socket now; a request in flight rejects with `error` (or ConnectionClosedError). */
  destroy(error?: Error): void {
    this.#keepAlive = false;
    this.#fail(error ?? new ConnectionClosedError('The connection was destroyed'));
  }

  #onData(chunk: Uint8Array): void {
    const exchange = this.#exchange;
    if (exchange === null || exchange.complete) {
      // Bytes nobody asked for: the stream is out of step, so it cannot carry another request.
      this.#keepAlive = false;
      this.#destroySocket();
      return;
    }
    if (exchange.firstByteMs === null)
      exchange.firstByteMs = performance.now() - exchange.startedAt;
    this.#armIdleTimer(exchange);
    let result: ReturnType<ResponseParser['execute']>;
    try {
      result = this.#parser.execute(chunk);
    } catch (error) {
      this.#fail(error);
      return;
    }
    for (const event of result.events) this.#onEvent(exchange, event);
    if (result.consumed < chunk.length) {
      // The parser stops only after a complete message: these bytes answer no request of ours.
      this.#keepAlive = false;
      this.#destroySocket();
    }
  }

  #onEvent(
    exchange: Exchange,
    event: ReturnType<ResponseParser['execute']>['events'][number],
  ): void {
    switch (event.kind) {
      case 'head': {
        const head = event.head;
        // 101 would switch protocols, which this client never asks for: it is final, body-less.
        if (head.statusCode < 200 && head.statusCode !== 101) {
          exchange.interim.push(head);
          return;
        }
        if (!head.keepAlive || head.statusCode === 101) this.#keepAlive = false;
        const timings: ResponseTimings = {
          connectMs: exchange.connectMs,
          firstByteMs: exchange.firstByteMs ?? 0,
        };
        const body = new ResponseBody(this.#source, this.#borrowed);
        exchange.body = body;
        exchange.response = new ClientResponse(head, exchange.interim, body, timings);
        exchange.resolve(exchange.response);
        return;
      }
      case 'body':
        exchange.body?.push(event.data);
        return;
      case 'end': {
        const { body, response } = exchange;
        if (body === null || response === null) return; // the end of a 1xx
        exchange.complete = true;
        response.timings.doneMs = performance.now() - exchange.startedAt;
        this.#settleTimersAndSignal(exchange);
        if (!this.#keepAlive) {
          // Every byte of the message is parsed; the views stay valid after the socket goes.
          this.#destroySocket();
        }
        body.end(event.trailers);
        return;
      }
    }
  }

  #onEnd(): void {
    const exchange = this.#exchange;
    if (exchange === null || exchange.complete) return;
    let result: ReturnType<ResponseParser['finish']>;
    try {
      result = this.#parser.finish();
    } catch (error) {
      this.#fail(
        error instanceof HttpParseError && error.code === 'HPE_INVALID_EOF_STATE'
          ? this.#prematureClose(exchange)
          : error,
      );
      return;
    }
    for (const event of result.events) this.#onEvent(exchange, event);
    if (!exchange.complete) this.#fail(this.#prematureClose(exchange));
  }

  #prematureClose(exchange: Exchange): PrematureCloseError {
    return new PrematureCloseError(
      exchange.body?.bytesReceived ?? 0,
      exchange.response?.head.contentLength ?? null,
    );
  }

  #onClose(): void {
    this.#closed = true;
    const exchange = this.#exchange;
    if (exchange !== null && !exchange.complete) this.#fail(this.#prematureClose(exchange));
  }

  /** Ends the exchange with `error` (wherever it is) and destroys the socket. Idempotent. */
  #fail(error: unknown): void {
    const exchange = this.#exchange;
    this.#keepAlive = false;
    this.#destroySocket();
    if (exchange === null) return;
    this.#settleTimersAndSignal(exchange);
    if (exchange.complete) return;
    exchange.complete = true;
    if (exchange.body === null) {
      this.#exchange = null;
      exchange.reject(error);
    } else {
      // The consumer still owns the response: it sees the error when it reads that far.
      exchange.body.fail(error);
    }
  }

  #destroySocket(): void {
    this.#closed = true;
    this.#socket.destroy();
  }

  #settleTimersAndSignal(exchange: Exchange): void {
    if (exchange.timer !== null) clearTimeout(exchange.timer);
    exchange.timer = null;
    if (exchange.onAbort !== null) exchange.signal?.removeEventListener('abort', exchange.onAbort);
    exchange.onAbort = null;
  }

  #armIdleTimer(exchange: Exchange): void {
    if (exchange.timer !== null) clearTimeout(exchange.timer);
    exchange.timer = null;
    const idleTimeoutMs = exchange.idleTimeoutMs;
    if (idleTimeoutMs === undefined || this.#paused) return;
    exchange.timer = setTimeout(
      () => this.#fail(new ResponseTimeoutError('body-idle', idleTimeoutMs)),
      idleTimeoutMs,
    );
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#socket.pause();
    const exchange = this.#exchange;
    if (exchange !== null && !exchange.complete && exchange.timer !== null) {
      clearTimeout(exchange.timer);
      exchange.timer = null;
    }
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    const exchange = this.#exchange;
    if (exchange !== null && !exchange.complete) this.#armIdleTimer(exchange);
    this.#socket.resume();
  }

  /** The consumer has every byte of a complete response: the connection is free again. */
  #drained(): void {
    this.#exchange = null;
    this.#resume();
    if (this.#closed) return;
    if (this.#keepAlive) this.#socket.unref();
    else this.#socket.end();
  }
}

/** Where {@link httpRequest} sends its request. */
export interface HttpTarget {
  host: string;
  port: number;
  path: string;
}

export interface HttpRequestOptions
  extends Omit<RequestOptions, 'path'>,
    Pick<ConnectOptions, 'connectTimeoutMs' | 'parserLimits' | 'readBufferSize'> {}

/** Splits an `http://host:port/path?query` URL; anything else is an InvalidUrlError. */
export function parseHttpUrl(url: string): HttpTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidUrlError(url);
  }
  if (parsed.protocol !== 'http:') {
    throw new InvalidUrlError(url, `Only http: URLs are supported, got ${parsed.protocol}`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // Silently dropping credentials would send an unauthenticated request the caller did not mean.
    throw new InvalidUrlError(url, 'Credentials in the URL are not supported');
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (host === '') throw new InvalidUrlError(url);
  return {
    host,
    port: parsed.port === '' ? 80 : Number(parsed.port),
    path: `${parsed.pathname || '/'}${parsed.search}`,
  };
}

/**
 * Connects, sends one request and resolves with the response and its connection. Once the body is
 * consumed the connection may be reused (`connection.reusable`) or closed; an idle one never keeps
 * the process alive.
 */
export async function httpRequest(
  target: string | HttpTarget,
  options: HttpRequestOptions = {},
): Promise<ClientResponse & { connection: ClientConnection }> {
  const { host, port, path } = typeof target === 'string' ? parseHttpUrl(target) : target;
  const { connectTimeoutMs, parserLimits, readBufferSize, ...request } = options;
  const connection = await ClientConnection.connect({
    host,
    port,
    connectTimeoutMs,
    signal: request.signal,
    parserLimits,
    readBufferSize,
  });
  try {
    const response = await connection.request({ ...request, path });
    return Object.assign(response, { connection });
  } catch (error) {
    connection.destroy();
    throw error;
  }
}
