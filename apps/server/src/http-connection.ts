/**
 * One client connection: parses requests with @lb/http-wire's `RequestParser`, answers them one at
 * a time in arrival order (keep-alive and pipelining), and enforces the connection's timeouts.
 *
 * - Header timeout: a request head that has started must be complete within `headerTimeoutMs`,
 *   else the client gets 408 and the connection closes (slowloris). It only runs while no
 *   response is pending, because a pipelining client is not obliged to finish its next head while
 *   it is still reading our previous response.
 * - Idle timeout: a connection with nothing pending and no request started is closed after
 *   `idleTimeoutMs` (nginx's keepalive_timeout).
 * - Send timeout: a client that stops reading for `sendTimeoutMs` is dropped (in BodyWriter).
 * - At most `maxPipelined` parsed requests wait; beyond that the socket stops reading, so a client
 *   cannot make the server buffer an unbounded pipeline.
 */
import type { Socket } from 'node:net';
import {
  chooseResponseFraming,
  formatHttpDate,
  HttpParseError,
  type ParserLimits,
  type RequestHead,
  RequestParser,
  serializeResponseHead,
} from '@lb/http-wire';
import type { BodyAids } from './body-aids.js';
import { type BodyOutcome, BodyWriter } from './body-writer.js';
import type { BufferPool } from './buffer-pool.js';
import type { RequestRouter } from './request-router.js';
import { type ResponsePlan, textResponse } from './response-plan.js';

/** What is logged for each response. */
export interface ResponseRecord {
  method: string;
  target: string;
  status: number;
  /** Body bytes handed to the socket. */
  bytes: number;
  ms: number;
  /** `done`, `cut` (--fail-after), `aborted` (the client went away or a read failed). */
  outcome: BodyOutcome;
  err?: unknown;
}

export interface ConnectionOptions {
  router: RequestRouter;
  pool: BufferPool;
  aids: BodyAids;
  latencyMs: number;
  headerTimeoutMs: number;
  idleTimeoutMs: number;
  sendTimeoutMs: number;
  maxPipelined: number;
  parserLimits?: ParserLimits | undefined;
  onResponse: (record: ResponseRecord) => void;
}

type PendingRequest =
  | { kind: 'request'; head: RequestHead; receivedAt: number; hasBody: boolean }
  /** Malformed input: answered with the parser's status, then the connection closes. */
  | { kind: 'parse-error'; status: number; error: unknown; receivedAt: number }
  | { kind: 'timeout'; receivedAt: number };

/**
 * Where the parser is between our `data` events, as far as its events tell: a chunk that ends one
 * request and starts the next leaves us at 'between-messages', so that partial head is timed by
 * the idle timeout (closed silently) rather than the header timeout until more bytes arrive.
 */
type ReadPhase = 'between-messages' | 'in-head' | 'in-body';

const SERVER_HEADER: [string, string] = ['Server', 'lb-server'];

let dateSecond = -1;
let dateText = '';

/**
 * The Date header, formatted once per second. Kept apart from formatHttpDate's own one-entry
 * cache, which Last-Modified (a different second) would otherwise evict on every request.
 */
function currentHttpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateText = formatHttpDate(now);
  }
  return dateText;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class HttpConnection {
  readonly socket: Socket;
  readonly #options: ConnectionOptions;
  readonly #parser: RequestParser;
  readonly #queue: PendingRequest[] = [];
  #phase: ReadPhase = 'between-messages';
  #busy = false;
  /** No more requests are read (parse error, timeout, upgrade, or the client's FIN). */
  #readingStopped = false;
  /** Finish what is pending, then close (shutdown, or a request asked for it). */
  #closeAfterPending = false;
  #headerTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  /** After our FIN: destroys the socket if the peer does not close in time. */
  #lingerTimer: NodeJS.Timeout | undefined;
  #closed = false;
  #onClosed: (() => void) | undefined;

  constructor(socket: Socket, options: ConnectionOptions) {
    this.socket = socket;
    this.#options = options;
    this.#parser = new RequestParser(options.parserLimits);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    // Errors (ECONNRESET, EPIPE) are the client's business; 'close' follows and cleans up.
    socket.on('error', () => {});
    socket.on('close', () => this.#onClose());
    this.#armTimers();
  }

  /** True when no request is pending or being answered. */
  get idle(): boolean {
    return !this.#busy && this.#queue.length === 0;
  }

  /** Called once, when the socket has closed. */
  onClosed(listener: () => void): void {
    this.#onClosed = listener;
  }

  /**
   * Graceful shutdown: answer what is already pending (with `Connection: close`), read nothing
   * more, then close. An idle connection closes now.
   */
  closeWhenIdle(): void {
    this.#closeAfterPending = true;
    this.#stopReading();
    if (this.idle) this.#endSocket();
  }

  /** Crash-like: drop the connection now, mid-transfer if need be. */
  destroy(): void {
    this.socket.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#readingStopped) return;
    this.#clearTimer('idle');
    if (this.#phase === 'between-messages') this.#phase = 'in-head';
    let offset = 0;
    while (offset < chunk.length && !this.#readingStopped) {
      let result: ReturnType<RequestParser['execute']>;
      try {
        result = this.#parser.execute(offset === 0 ? chunk : chunk.subarray(offset));
      } catch (error) {
        // Anything but an HttpParseError would be a parser bug: still answer 400, never crash.
        const status = error instanceof HttpParseError ? error.status : 400;
        this.#queue.push({ kind: 'parse-error', status, error, receivedAt: performance.now() });
        this.#stopReading();
        break;
      }
      for (const event of result.events) {
        if (event.kind === 'head') {
          const head = event.head;
          this.#phase = 'in-body';
          this.#clearTimer('header');
          this.#queue.push({
            kind: 'request',
            head,
            receivedAt: performance.now(),
            hasBody: head.chunked || (head.contentLength ?? 0) > 0,
          });
        } else if (event.kind === 'end') {
          this.#phase = 'between-messages';
        }
      }
      if (this.#parser.upgraded) {
        // We never switch protocols. After a CONNECT the client sends tunnel bytes, so nothing
        // more can be read; an Upgrade on an ordinary request is declined by answering normally.
        const last = this.#queue[this.#queue.length - 1];
        if (last?.kind === 'request' && last.head.method === 'CONNECT') this.#stopReading();
        else this.#parser.resumeAfterUpgrade();
      }
      if (result.consumed === 0) break;
      offset += result.consumed;
    }
    if (this.#queue.length >= this.#options.maxPipelined) this.socket.pause();
    this.#pump();
    this.#armTimers();
  }

  #onEnd(): void {
    // The client will send nothing more (half-close): a truncated message is an error to
    // answer; complete ones are still answered before we close our side.
    if (!this.#readingStopped) {
      try {
        this.#parser.finish();
      } catch (error) {
        // finish() throws only when a request was incomplete.
        if (error instanceof HttpParseError) {
          this.#queue.push({
            kind: 'parse-error',
            status: error.status,
            error,
            receivedAt: performance.now(),
          });
        }
      }
    }
    this.#closeAfterPending = true;
    this.#stopReading();
    if (this.idle) this.#endSocket();
    else this.#pump();
  }

  #onClose(): void {
    this.#closed = true;
    this.#clearTimer('header');
    this.#clearTimer('idle');
    clearTimeout(this.#lingerTimer);
    this.#queue.length = 0;
    this.#onClosed?.();
  }

  #stopReading(): void {
    if (this.#readingStopped) return;
    this.#readingStopped = true;
    this.#clearTimer('header');
    this.#clearTimer('idle');
    this.socket.pause();
  }

  #pump(): void {
    if (this.#busy || this.#closed) return;
    const next = this.#queue.shift();
    if (next === undefined) return;
    this.#busy = true;
    this.#clearTimer('idle');
    this.#clearTimer('header');
    if (!this.#readingStopped && this.#queue.length < this.#options.maxPipelined) {
      this.socket.resume();
    }
    this.#answer(next)
      .catch((error: unknown) => {
        // A bug while answering must cost this connection only, never the process.
        this.#options.onResponse({
          method: next.kind === 'request' ? next.head.method : '-',
          target: next.kind === 'request' ? next.head.target : '-',
          status: 500,
          bytes: 0,
          ms: performance.now() - next.receivedAt,
          outcome: 'aborted',
          err: error,
        });
        this.socket.destroy();
        return false;
      })
      .then((keepGoing) => {
        this.#busy = false;
        if (!keepGoing || this.#closed) return;
        if (this.#queue.length === 0 && this.#closeAfterPending) {
          this.#endSocket();
          return;
        }
        this.#pump();
        this.#armTimers();
      });
  }

  /** Writes one response; resolves whether the connection may carry another. */
  async #answer(pending: PendingRequest): Promise<boolean> {
    if (pending.kind === 'parse-error') {
      await this.#writeFinalError(pending.status, pending.receivedAt, pending.error);
      return false;
    }
    if (pending.kind === 'timeout') {
      await this.#writeFinalError(408, pending.receivedAt);
      return false;
    }
    const { head, receivedAt } = pending;
    let plan: ResponsePlan;
    let handlerError: unknown;
    try {
      plan = await this.#options.router.handle(head);
    } catch (error) {
      handlerError = error;
      plan = textResponse(500);
    }
    // An error answer to a request whose body we have not read: close rather than drain it.
    const abandonsBody = pending.hasBody && plan.status >= 400;
    const keepAlive =
      head.keepAlive &&
      !abandonsBody &&
      head.method !== 'CONNECT' &&
      !this.#closeAfterPending &&
      handlerError === undefined;
    const outcome = await this.#write(plan, head.method, head.versionMinor === 0, keepAlive);
    this.#options.onResponse({
      method: head.method,
      target: head.target,
      status: plan.status,
      bytes: outcome.bytes,
      ms: performance.now() - receivedAt,
      outcome: outcome.outcome,
      err: handlerError ?? outcome.error,
    });
    if (outcome.outcome !== 'done') return false;
    if (!keepAlive) {
      this.#endSocket();
      return false;
    }
    return true;
  }

  async #write(
    plan: ResponsePlan,
    method: string,
    http10: boolean,
    keepAlive: boolean,
  ): Promise<{ outcome: BodyOutcome; bytes: number; error?: Error | undefined }> {
    const socket = this.socket;
    try {
      if (this.#options.latencyMs > 0) await sleep(this.#options.latencyMs);
      if (socket.destroyed) return { outcome: 'aborted', bytes: 0 };
      const framing = chooseResponseFraming({
        statusCode: plan.status,
        requestMethod: method,
        contentLength: plan.contentLength,
      });
      const headers: Array<[string, string]> = [
        ['Date', currentHttpDate()],
        SERVER_HEADER,
        ...plan.headers,
        ...framing.headers,
      ];
      if (!keepAlive) headers.push(['Connection', 'close']);
      else if (http10) headers.push(['Connection', 'keep-alive']);
      const writer = new BodyWriter({
        socket,
        pool: this.#options.pool,
        sendTimeoutMs: this.#options.sendTimeoutMs,
        aids: plan.fileContent ? this.#options.aids : undefined,
      });
      writer.setHead(serializeResponseHead({ statusCode: plan.status, headers }));
      const outcome =
        framing.mode === 'none' ? await writer.flushHead() : await writeBody(writer, plan);
      return { outcome, bytes: writer.bodyBytes, error: writer.error };
    } finally {
      plan.release();
    }
  }

  /** A response after which nothing else can be read: 400/414/431/505 for bad input, 408. */
  async #writeFinalError(status: number, receivedAt: number, err?: unknown): Promise<void> {
    const outcome = await this.#write(textResponse(status), 'GET', false, false);
    // No request line could be read: method and path are logged as '-', like nginx does.
    this.#options.onResponse({
      method: '-',
      target: '-',
      status,
      bytes: outcome.bytes,
      ms: performance.now() - receivedAt,
      outcome: outcome.outcome,
      err,
    });
    this.#endSocket();
  }

  #endSocket(): void {
    if (this.socket.destroyed || this.#lingerTimer !== undefined) return;
    this.socket.end();
    // A peer that never reads the rest or never closes its side must not hold the socket forever.
    this.#lingerTimer = setTimeout(() => this.socket.destroy(), this.#options.sendTimeoutMs);
    this.#lingerTimer.unref();
  }

  #armTimers(): void {
    if (this.#closed || this.#readingStopped || !this.idle) return;
    if (this.#phase === 'in-head') {
      this.#clearTimer('idle');
      this.#headerTimer ??= setTimeout(
        () => this.#onHeaderTimeout(),
        this.#options.headerTimeoutMs,
      );
    } else if (this.#phase === 'between-messages') {
      this.#clearTimer('header');
      this.#idleTimer ??= setTimeout(() => this.#onIdleTimeout(), this.#options.idleTimeoutMs);
    }
  }

  #onIdleTimeout(): void {
    this.#idleTimer = undefined;
    this.#stopReading();
    this.#endSocket();
  }

  #onHeaderTimeout(): void {
    this.#headerTimer = undefined;
    this.#stopReading();
    this.#queue.push({ kind: 'timeout', receivedAt: performance.now() });
    this.#pump();
  }

  #clearTimer(which: 'header' | 'idle'): void {
    if (which === 'header') {
      clearTimeout(this.#headerTimer);
      this.#headerTimer = undefined;
    } else {
      clearTimeout(this.#idleTimer);
      this.#idleTimer = undefined;
    }
  }
}

async function writeBody(writer: BodyWriter, plan: ResponsePlan): Promise<BodyOutcome> {
  const body = plan.body;
  switch (body.kind) {
    case 'bytes':
      return writer.writeBytes(body.data);
    case 'file':
      if (body.end < body.start) return writer.flushHead();
      return writer.writeFileRange(body.fd, body.start, body.end);
    case 'multipart': {
      for (const part of body.parts) {
        let outcome = await writer.writeBytes(part.framing);
        if (outcome !== 'done') return outcome;
        outcome = await writer.writeFileRange(body.fd, part.start, part.end);
        if (outcome !== 'done') return outcome;
      }
      return writer.writeBytes(body.closing);
    }
  }
}
