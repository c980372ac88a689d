/**
 * The server side of one HTTP/1.1 connection: bytes → RequestParser → a handler per request →
 * answers written in arrival order, with keep-alive and pipelining. Works on any Duplex (a
 * `net.Socket`, a `tls.TLSSocket`, a test pair): nothing here needs more than read, write, pause,
 * resume, end, destroy and cork.
 *
 * - Answers a handler returns at once (a string or bytes) are collected and leave in one write per
 *   socket read, however many requests were pipelined in it. An answer that is a promise or an
 *   {@link AnswerWriter} is awaited before the next request is handed over.
 * - Head timeout (`headerTimeoutMs`): a request that has started must be complete within it, or the
 *   client gets 408 and the connection closes (slowloris). It only runs while no answer is pending,
 *   because a pipelining client need not finish its next head while it reads our previous answer.
 * - Idle timeout (`idleTimeoutMs`): a connection that sent nothing for that long while nothing was
 *   pending closes without an answer.
 * - Malformed input gets the parser's status (400, 413, 414, 431, 505) and the connection closes;
 *   answers to the requests before it go out first.
 * - Backpressure: reading pauses while `maxPipelined` requests wait, and while the stream's write
 *   buffer is full; a client that does not read for `sendTimeoutMs` is dropped.
 * - Upgrades are declined by answering normally; after CONNECT nothing more is read (what follows
 *   is not HTTP), and the answer closes the connection.
 * - `drain()`: answer what has arrived (a half-sent request is waited for), with `Connection:
 *   close`, then close. An idle connection closes at once.
 */
import type { Duplex } from 'node:stream';
import { HttpParseError } from './errors.js';
import type { ParserLimits } from './limits.js';
import type { ParseEvent } from './parse-event.js';
import { type RequestHead, RequestParser } from './request-parser.js';
import {
  type Answer,
  type AnswerWriter,
  type HttpHandler,
  type RequestRejection,
  ServerRequest,
} from './server-request.js';

export interface ServeOptions {
  /** A started request must be complete within this (408 and close). Default 10 s. */
  headerTimeoutMs?: number;
  /** A connection with nothing pending closes after this. Default 15 s. */
  idleTimeoutMs?: number;
  /** A client that reads nothing of our answers for this long is dropped. Default 60 s. */
  sendTimeoutMs?: number;
  /** Parsed requests that may wait before the connection stops reading. Default 32. */
  maxPipelined?: number;
  /**
   * Collect request bodies up to this many bytes and hand the request over once complete (413
   * and close beyond it). 0 (the default): the handler gets the request at its head and the
   * body is skipped.
   */
  maxBodyBytes?: number;
  parserLimits?: ParserLimits | undefined;
  /** A stream error (ECONNRESET, EPIPE): the stream closes; this is only for logging. */
  onStreamError?: ((error: Error) => void) | undefined;
}

export const DEFAULT_SERVE_OPTIONS = Object.freeze({
  headerTimeoutMs: 10_000,
  idleTimeoutMs: 15_000,
  sendTimeoutMs: 60_000,
  maxPipelined: 32,
});

type Pending = ServerRequest | RequestRejection;

/**
 * Where the parser is between our reads, as far as its events tell: a read that ends one request
 * and starts the next leaves us 'between' messages, so that partial head is timed by the idle
 * timeout rather than the head timeout until more bytes arrive.
 */
const BETWEEN = 0;
const IN_HEAD = 1;
const IN_BODY = 2;

/** Serves HTTP/1.1 on `stream` with `handler` until either side closes. */
export function serve(
  stream: Duplex,
  handler: HttpHandler,
  options: ServeOptions = {},
): ServerConnection {
  return new ServerConnection(stream, handler, options);
}

export class ServerConnection {
  readonly stream: Duplex;
  readonly #handler: HttpHandler;
  readonly #parser: RequestParser;
  readonly #headerTimeoutMs: number;
  readonly #sendTimeoutMs: number;
  readonly #maxPipelined: number;
  readonly #maxBodyBytes: number;
  readonly #queue: Pending[] = [];
  /** Answers produced during one read, written together. */
  readonly #batch: Array<string | Uint8Array> = [];
  #batchHasBytes = false;
  #phase = BETWEEN;
  /** An asynchronous answer is in progress. */
  #busy = false;
  /** The request being collected (maxBodyBytes > 0), or the last one handed over at its head. */
  #current: ServerRequest | undefined;
  #currentAnswered = false;
  #bodyParts: Uint8Array[] = [];
  #bodySize = 0;
  /** Nothing more is read: a parse error, a timeout, CONNECT, a closing request, the client's FIN. */
  #readingStopped = false;
  /** The last answer has been queued: end the stream once it is written. */
  #closeAfterPending = false;
  #draining = false;
  #paused = false;
  #waitingForDrain = false;
  #ended = false;
  #closed = false;
  /** One timer for the idle timeout, refreshed on activity; checks the state when it fires. */
  readonly #idleTimer: NodeJS.Timeout;
  #headerTimer: NodeJS.Timeout | undefined;
  #sendTimer: NodeJS.Timeout | undefined;
  #lingerTimer: NodeJS.Timeout | undefined;
  readonly #closedPromise: Promise<void>;
  #resolveClosed!: () => void;

  constructor(stream: Duplex, handler: HttpHandler, options: ServeOptions) {
    this.stream = stream;
    this.#handler = handler;
    this.#parser = new RequestParser(options.parserLimits);
    this.#headerTimeoutMs = options.headerTimeoutMs ?? DEFAULT_SERVE_OPTIONS.headerTimeoutMs;
    this.#sendTimeoutMs = options.sendTimeoutMs ?? DEFAULT_SERVE_OPTIONS.sendTimeoutMs;
    this.#maxPipelined = options.maxPipelined ?? DEFAULT_SERVE_OPTIONS.maxPipelined;
    this.#maxBodyBytes = options.maxBodyBytes ?? 0;
    this.#closedPromise = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_SERVE_OPTIONS.idleTimeoutMs;
    this.#idleTimer = setTimeout(() => this.#onIdleTimer(), idleTimeoutMs);
    this.#idleTimer.unref();
    const onStreamError = options.onStreamError;
    // Errors are the client's business; 'close' follows and cleans up.
    stream.on('error', (error: Error) => onStreamError?.(error));
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.on('end', () => this.#onEnd());
    stream.on('close', () => this.#onClose());
    if (stream.destroyed) queueMicrotask(() => this.#onClose());
  }

  /** No request pending, being answered or partly received. */
  get idle(): boolean {
    return !this.#busy && this.#queue.length === 0 && this.#phase === BETWEEN;
  }

  /** Resolves once the stream has closed. */
  get closed(): Promise<void> {
    return this.#closedPromise;
  }

  /**
   * Graceful stop: answer what has arrived (a half-sent request is waited for) with `Connection:
   * close`, then close. An idle connection closes now.
   */
  drain(): void {
    if (this.#draining || this.#closed) return;
    this.#draining = true;
    if (this.idle) {
      this.#stopReading();
      this.#endStream();
    }
  }

  /** Crash-like: drop the connection now, mid-answer if need be. */
  destroy(): void {
    this.stream.destroy();
  }

  #onData(chunk: Buffer): void {
    if (this.#readingStopped) return;
    this.#idleTimer.refresh();
    if (this.#phase === BETWEEN) this.#phase = IN_HEAD;
    let input: Uint8Array = chunk;
    try {
      while (input.length > 0 && !this.#readingStopped) {
        const result = this.#parser.execute(input);
        const events = result.events;
        for (let i = 0; i < events.length && !this.#readingStopped; i++) {
          this.#onEvent(events[i]!);
        }
        if (result.consumed >= input.length || this.#readingStopped) break;
        // The parser stopped early: after an upgrade (declined: go on parsing HTTP; CONNECT has
        // stopped reading above), or before bad input (the next call throws the parse error).
        if (this.#parser.upgraded) this.#parser.resumeAfterUpgrade();
        input = input.subarray(result.consumed);
      }
    } catch (error) {
      // Anything but an HttpParseError would be a parser bug: still answer 400, never crash.
      this.#rejectInput(error);
    }
    this.#pump();
    this.#afterActivity();
  }

  #onEvent(event: ParseEvent<RequestHead>): void {
    if (event.kind === 'head') {
      this.#phase = IN_BODY;
      this.#clearHeaderTimer();
      const head = event.head;
      const request = new ServerRequest(head, performance.now());
      this.#current = request;
      this.#currentAnswered = this.#maxBodyBytes === 0;
      if (
        !head.keepAlive ||
        head.method === 'CONNECT' ||
        (head.expectContinue && request.hasBody && this.#maxBodyBytes === 0)
      ) {
        // Nothing after this request is read: after CONNECT come tunnel bytes, and a client
        // waiting for 100 Continue may never send the body we would have to skip.
        request.close = true;
      }
      if (this.#maxBodyBytes === 0) {
        this.#enqueue(request);
        return;
      }
      if (head.contentLength !== null && head.contentLength > this.#maxBodyBytes) {
        this.#tooLarge();
        return;
      }
      this.#bodyParts = [];
      this.#bodySize = 0;
    } else if (event.kind === 'body') {
      if (this.#maxBodyBytes === 0) return;
      this.#bodySize += event.data.byteLength;
      if (this.#bodySize > this.#maxBodyBytes) {
        this.#tooLarge();
        return;
      }
      // The parser hands out views into this read: copy what must outlive it.
      this.#bodyParts.push(Buffer.from(event.data));
    } else {
      this.#phase = BETWEEN;
      const request = this.#current;
      if (this.#maxBodyBytes > 0 && request !== undefined) {
        request.body =
          this.#bodyParts.length === 1 ? this.#bodyParts[0]! : Buffer.concat(this.#bodyParts);
        this.#bodyParts = [];
        this.#currentAnswered = true;
        this.#enqueue(request);
      }
    }
  }

  #enqueue(request: ServerRequest): void {
    this.#queue.push(request);
    if (request.close) this.#stopReading();
  }

  #tooLarge(): void {
    this.#currentAnswered = true;
    this.#queue.push({
      status: 413,
      reason: `body larger than ${this.#maxBodyBytes} bytes`,
      receivedAt: performance.now(),
    });
    this.#stopReading();
  }

  #rejectInput(error: unknown): void {
    const parseError = error instanceof HttpParseError ? error : undefined;
    this.#queue.push({
      status: parseError?.status ?? 400,
      reason: `malformed request (${parseError?.code ?? 'HPE_INTERNAL'})`,
      error,
      receivedAt: performance.now(),
    });
    this.#stopReading();
  }

  #onEnd(): void {
    // The client will send nothing more (half-close): a truncated request is an error to answer;
    // complete ones are still answered before we close our side.
    if (!this.#readingStopped) {
      try {
        this.#parser.finish();
      } catch (error) {
        if (this.#phase !== IN_BODY || !this.#currentAnswered) this.#rejectInput(error);
      }
    }
    this.#stopReading();
    this.#phase = BETWEEN;
    // Like a drain: what is pending is answered with `Connection: close`, then our side ends.
    this.#draining = true;
    this.#pump();
    this.#afterActivity();
  }

  #onClose(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    this.#clearHeaderTimer();
    clearTimeout(this.#sendTimer);
    clearTimeout(this.#lingerTimer);
    this.#queue.length = 0;
    this.#batch.length = 0;
    this.#resolveClosed();
  }

  /** Answers queued requests in order: synchronous answers into the batch, one async at a time. */
  #pump(): void {
    const queue = this.#queue;
    while (!this.#busy && !this.#closed && !this.#closeAfterPending && queue.length > 0) {
      const next = queue.shift()!;
      let answer: Answer | Promise<Answer>;
      let request: ServerRequest | undefined;
      if (next instanceof ServerRequest) {
        request = next;
        if (this.#draining) request.close = true;
        try {
          answer = this.#handler.handle(request);
        } catch (error) {
          request.close = true;
          answer = this.#handler.fail(error, request);
        }
      } else {
        answer = this.#handler.reject(next);
      }
      const close = request === undefined || request.close;
      if (close) {
        this.#closeAfterPending = true;
        this.#stopReading();
      }
      if (typeof answer === 'string' || answer instanceof Uint8Array) {
        this.#batch.push(answer);
        if (typeof answer !== 'string') this.#batchHasBytes = true;
        continue;
      }
      this.#flush();
      this.#busy = true;
      this.#answerLater(answer, request).then((keepGoing) => {
        this.#busy = false;
        if (!keepGoing || this.#closed) return;
        this.#idleTimer.refresh();
        if (request?.close) this.#closeAfterPending = true;
        this.#pump();
        this.#afterActivity();
      });
    }
  }

  async #answerLater(
    pending: Promise<Answer> | AnswerWriter,
    request: ServerRequest | undefined,
  ): Promise<boolean> {
    let answer: Answer;
    try {
      answer = await pending;
    } catch (error) {
      if (request === undefined) {
        this.stream.destroy();
        return false;
      }
      request.close = true;
      answer = this.#handler.fail(error, request);
    }
    if (this.#closed) return false;
    if (typeof answer === 'function') {
      try {
        return await answer(this.stream);
      } catch {
        // A writer must not reject; if one does, this connection is all it may cost.
        this.stream.destroy();
        return false;
      }
    }
    this.#batch.push(answer);
    if (typeof answer !== 'string') this.#batchHasBytes = true;
    this.#flush();
    return true;
  }

  /** After a read or an answer: write the batch, end or resume as the state says, arm timers. */
  #afterActivity(): void {
    this.#flush();
    if (this.#closed) return;
    if (this.#closeAfterPending && !this.#busy) {
      this.#endStream();
      return;
    }
    if (this.#draining && this.idle) {
      this.#stopReading();
      this.#endStream();
      return;
    }
    this.#updateFlow();
    this.#armHeaderTimer();
  }

  #flush(): void {
    const batch = this.#batch;
    if (batch.length === 0 || this.#closed) return;
    const stream = this.stream;
    if (!this.#batchHasBytes) {
      // One write per read, whatever the number of pipelined answers.
      stream.write(batch.length === 1 ? (batch[0] as string) : batch.join(''), 'latin1');
    } else {
      stream.cork();
      for (const part of batch) {
        if (typeof part === 'string') stream.write(part, 'latin1');
        else stream.write(part);
      }
      stream.uncork();
    }
    batch.length = 0;
    this.#batchHasBytes = false;
    if (stream.writableNeedDrain && !this.#waitingForDrain) {
      this.#waitingForDrain = true;
      this.#sendTimer = setTimeout(() => stream.destroy(), this.#sendTimeoutMs);
      stream.once('drain', () => {
        this.#waitingForDrain = false;
        clearTimeout(this.#sendTimer);
        this.#sendTimer = undefined;
        this.#updateFlow();
      });
    }
  }

  /** Reads only while nothing stops it: too many waiting requests, a full write buffer. */
  #updateFlow(): void {
    if (this.#closed) return;
    const read =
      !this.#readingStopped && !this.#waitingForDrain && this.#queue.length < this.#maxPipelined;
    if (read === !this.#paused) return;
    this.#paused = !read;
    if (read) this.stream.resume();
    else this.stream.pause();
  }

  #stopReading(): void {
    if (this.#readingStopped) return;
    this.#readingStopped = true;
    this.#clearHeaderTimer();
    this.#paused = true;
    this.stream.pause();
  }

  #endStream(): void {
    if (this.#ended || this.#closed) return;
    this.#ended = true;
    this.#clearHeaderTimer();
    this.stream.end();
    // A peer that never reads the rest or never closes its side must not hold the stream forever.
    this.#lingerTimer = setTimeout(() => this.stream.destroy(), this.#sendTimeoutMs);
    this.#lingerTimer.unref();
  }

  #armHeaderTimer(): void {
    if (this.#phase === BETWEEN || this.#readingStopped || this.#busy || this.#queue.length > 0) {
      this.#clearHeaderTimer();
      return;
    }
    this.#headerTimer ??= setTimeout(() => this.#onHeaderTimeout(), this.#headerTimeoutMs);
  }

  #clearHeaderTimer(): void {
    if (this.#headerTimer === undefined) return;
    clearTimeout(this.#headerTimer);
    this.#headerTimer = undefined;
  }

  #onHeaderTimeout(): void {
    this.#headerTimer = undefined;
    if (this.#closed || this.#readingStopped) return;
    if (this.#phase === IN_BODY && this.#currentAnswered) {
      // The request was answered at its head; only its body is late. Nothing more to say.
      this.#stopReading();
      this.#endStream();
      return;
    }
    this.#currentAnswered = true;
    this.#queue.push({
      status: 408,
      reason: `request not received within ${this.#headerTimeoutMs / 1000} s`,
      receivedAt: performance.now(),
    });
    this.#stopReading();
    this.#pump();
    this.#afterActivity();
  }

  #onIdleTimer(): void {
    if (this.#closed || this.#ended) return;
    if (this.#busy || this.#queue.length > 0 || this.#waitingForDrain) {
      // Answering, or waiting for the client to read (the send timeout watches that).
      this.#idleTimer.refresh();
      return;
    }
    this.#stopReading();
    this.#endStream();
  }
}
