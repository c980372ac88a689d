/**
 * What a server handler sees and returns: the request, the rejection the loop answers itself, and
 * the answer forms (whole bytes at once, a promise of them, or a writer for streamed bodies).
 */
import type { Duplex } from 'node:stream';
import type { RequestHead } from './request-parser.js';

const EMPTY = new Uint8Array(0);

/** One request as the handler sees it. */
export class ServerRequest {
  readonly head: RequestHead;
  /** `performance.now()` when its head was parsed. */
  readonly receivedAt: number;
  /** The request body when the loop collects bodies (`maxBodyBytes` > 0); else empty. */
  body: Uint8Array = EMPTY;
  /**
   * The connection closes after this answer, so it must say `Connection: close`. Set by the loop
   * (the client asked, the server is draining, CONNECT, an unread body behind `Expect:
   * 100-continue`); a handler may set it too, before it returns.
   */
  close = false;

  constructor(head: RequestHead, receivedAt: number) {
    this.head = head;
    this.receivedAt = receivedAt;
  }

  get method(): string {
    return this.head.method;
  }

  get target(): string {
    return this.head.target;
  }

  /** A body follows the head (Content-Length > 0 or chunked). */
  get hasBody(): boolean {
    const head = this.head;
    return head.chunked || (head.contentLength !== null && head.contentLength > 0);
  }

  /** An HTTP/1.0 client that asked for keep-alive must be told it was granted. */
  get echoKeepAlive(): boolean {
    return this.head.versionMinor === 0 && this.head.keepAlive && !this.close;
  }
}

/** Why the loop answers without asking `handle`: the connection closes after this answer. */
export interface RequestRejection {
  /** 408 for a head timeout; the parser's status for malformed input; 413 for a body too large. */
  status: number;
  /** One line for the client, e.g. `malformed request (HPE_INVALID_METHOD)`. */
  reason: string;
  /** The HttpParseError, when that is the cause. */
  error?: unknown;
  /** `performance.now()` when it happened. */
  receivedAt: number;
}

/**
 * Writes a response itself (streamed bodies). Resolves true when the stream may carry the next
 * answer, false when the writer ended or destroyed it. Must not reject.
 */
export type AnswerWriter = (stream: Duplex) => Promise<boolean>;

/** A whole response as a latin1 string or bytes, or a writer for anything streamed. */
export type Answer = string | Uint8Array | AnswerWriter;

export interface HttpHandler {
  /** The answer to one request; may be a promise (the next request waits for it). */
  handle(request: ServerRequest): Answer | Promise<Answer>;
  /** The answer to a request that never reached `handle` (see RequestRejection). */
  reject(rejection: RequestRejection): Answer;
  /** `handle` threw or rejected: the answer (the connection closes after it). */
  fail(error: unknown, request: ServerRequest): Answer;
}
