import type { ParserLimits } from './limits.js';
import type { MessageHead } from './message-head.js';
import { ParserFront } from './parser-front.js';

/** The status line and header section of a response, with what they mean for framing. */
export interface ResponseHead extends MessageHead {
  statusCode: number;
  /** Reason phrase as received; '' when the status line has none (`HTTP/1.1 200`). */
  reason: string;
}

/**
 * Incremental, strict HTTP/1.1 response parser (RFC 9112). A response's framing depends on the
 * request it answers, so tell it the method of every request sent, in order, with
 * {@link ResponseParser.expectResponseTo}. It stops after a 101 or a 2xx answer to CONNECT;
 * `finish()` (the server closed) ends a close-delimited body.
 */
export class ResponseParser extends ParserFront<ResponseHead> {
  constructor(limits?: ParserLimits) {
    super(false, limits);
  }

  /** Queues the method of a request sent on this connection (HEAD: the response has no body). */
  expectResponseTo(method: string): void {
    this.core.expectResponseTo(method);
  }
}
