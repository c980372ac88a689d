/**
 * One client connection of the redirect port: bytes → RequestParser → an answer per request, in
 * order, with keep-alive and pipelining. Every answer is known the moment its head is parsed (a
 * redirect needs no body), so all answers to one socket read go out in one corked write.
 *
 * - A request body is skipped by the parser; with `Expect: 100-continue` the client may never send
 *   it, so that connection closes after the answer instead of waiting.
 * - Malformed HTTP gets the parser's status (400, 414, 431, 505) with `Connection: close`; answers
 *   already produced for earlier pipelined requests go out first.
 * - An Upgrade request is answered like any other (the upgrade is declined); CONNECT gets 405 and
 *   the connection closes, because what follows it is not HTTP.
 * - Reads pause while the client is not reading its answers, so a pipelining client cannot make the
 *   balancer buffer without bound.
 * - A request must arrive completely within `requestTimeoutMs` once its first byte has (408 and
 *   close): trickling a byte now and then (slowloris) resets the idle timer but not this one. The
 *   timer only exists while a request is incomplete, which for ordinary clients is never.
 */
import type { Socket } from 'node:net';
import { HttpParseError, type ParserLimits, RequestParser } from '@lb/http-wire';
import type { RedirectRouter } from './redirect-router.js';

export interface RedirectConnectionHooks {
  /** A parse error or socket error worth a debug line. */
  onClientError?(error: unknown): void;
  /** A bug of ours while answering: the client got a 500 and the connection closed. */
  onInternalError?(error: unknown): void;
}

export class RedirectConnection {
  readonly socket: Socket;
  readonly #router: RedirectRouter;
  readonly #parser: RequestParser;
  readonly #hooks: RedirectConnectionHooks;
  /** We answered with `Connection: close` (or gave up): ignore whatever else arrives. */
  #closing = false;
  /** Bytes of an unfinished request have arrived; a graceful stop waits for its answer. */
  #midRequest = false;
  /** The server is stopping: the next answer carries `Connection: close`. */
  #draining = false;
  readonly #requestTimeoutMs: number;
  #requestTimer: NodeJS.Timeout | null = null;

  constructor(
    socket: Socket,
    router: RedirectRouter,
    options: {
      idleTimeoutMs: number;
      requestTimeoutMs: number;
      parserLimits?: ParserLimits;
      hooks?: RedirectConnectionHooks;
    },
  ) {
    this.socket = socket;
    this.#router = router;
    this.#parser = new RequestParser(options.parserLimits);
    this.#hooks = options.hooks ?? {};
    this.#requestTimeoutMs = options.requestTimeoutMs;
    socket.setNoDelay(true);
    // Any traffic resets it: an idle keep-alive connection, or a client stuck mid-request, is dropped.
    socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('error', (error) => this.#hooks.onClientError?.(error));
    socket.on('close', () => this.#clearRequestTimer());
  }

  /** Stop after the request in progress: close now when idle, else after its answer. */
  drain(): void {
    this.#draining = true;
    if (!this.#midRequest) this.#close();
  }

  #onData(chunk: Buffer): void {
    if (this.#closing) return;
    const answers: string[] = [];
    let input: Uint8Array = chunk;
    try {
      while (input.length > 0 && !this.#closing) {
        const result = this.#parser.execute(input);
        // Approximate but cheap: bytes without an `end` after them belong to an unfinished request.
        // (A chunk ending in the first bytes of a pipelined head is counted as finished.)
        const last = result.events[result.events.length - 1];
        this.#midRequest = last === undefined || last.kind !== 'end';
        for (const event of result.events) {
          if (event.kind === 'end') {
            if (this.#closing) break;
            continue;
          }
          if (event.kind !== 'head' || this.#closing) continue;
          const head = event.head;
          const hasBody = head.chunked || (head.contentLength !== null && head.contentLength > 0);
          const close =
            !head.keepAlive ||
            this.#draining ||
            head.method === 'CONNECT' ||
            (head.expectContinue && hasBody);
          answers.push(
            this.#router.respond({
              method: head.method,
              target: head.target,
              close,
              echoKeepAlive: head.versionMinor === 0 && head.keepAlive && !close,
            }),
          );
          if (close) this.#closing = true;
        }
        if (result.consumed >= input.length) break;
        // The parser stopped early: after an upgrade request (declined: go on parsing HTTP), or
        // before bad input (the next call throws the parse error).
        if (this.#parser.upgraded) this.#parser.resumeAfterUpgrade();
        input = input.subarray(result.consumed);
      }
    } catch (error) {
      if (error instanceof HttpParseError) {
        this.#hooks.onClientError?.(error);
        answers.push(this.#router.badRequest(error.status, `malformed request (${error.code})`));
      } else {
        // Never let one request take the process down: answer 500 and drop this connection.
        this.#hooks.onInternalError?.(error);
        answers.push(this.#router.badRequest(500, 'internal error'));
      }
      this.#closing = true;
    }
    this.#write(answers);
    if (this.#closing) {
      this.#clearRequestTimer();
      this.socket.end();
    } else if (this.#draining && !this.#midRequest) {
      this.#close();
    } else if (this.#midRequest) {
      this.#requestTimer ??= setTimeout(() => this.#requestTimedOut(), this.#requestTimeoutMs);
    } else {
      this.#clearRequestTimer();
    }
  }

  #requestTimedOut(): void {
    this.#requestTimer = null;
    if (this.#closing) return;
    const seconds = this.#requestTimeoutMs / 1000;
    this.#write([this.#router.badRequest(408, `request not received within ${seconds} s`)]);
    this.#close();
  }

  #clearRequestTimer(): void {
    if (this.#requestTimer === null) return;
    clearTimeout(this.#requestTimer);
    this.#requestTimer = null;
  }

  #onEnd(): void {
    // The client is done sending. A half-sent request can never be answered properly; Node ends
    // our side once pending answers are flushed (allowHalfOpen is off).
    this.#closing = true;
  }

  #write(answers: string[]): void {
    if (answers.length === 0) return;
    const socket = this.socket;
    // One write per socket read, whatever the number of pipelined answers.
    socket.write(answers.length === 1 ? (answers[0] as string) : answers.join(''), 'latin1');
    if (socket.writableNeedDrain) {
      socket.pause();
      socket.once('drain', () => socket.resume());
    }
  }

  #close(): void {
    this.#closing = true;
    this.socket.end();
  }
}
