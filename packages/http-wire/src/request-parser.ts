import type { ParserLimits } from './limits.js';
import type { MessageHead } from './message-head.js';
import { ParserFront } from './parser-front.js';

/** The start line and header section of a request, with what they mean for framing. */
export interface RequestHead extends MessageHead {
  /** As received (methods are case-sensitive): 'GET', 'POST', … */
  method: string;
  /** origin-form `/path?q`, absolute-form `http://h/p`, `*` (OPTIONS) or `host:port` (CONNECT). */
  target: string;
  /** `Expect: 100-continue` on an HTTP/1.1 request. */
  expectContinue: boolean;
  /** CONNECT, or Upgrade with `Connection: upgrade`: the parser stops after this message. */
  upgrade: boolean;
}

/**
 * Incremental, strict HTTP/1.1 request parser (RFC 9112). Feed it the bytes of a connection in any
 * pieces; it returns heads, body views and message ends in order. See README for the rules. It
 * stops after an upgrade/CONNECT request (the rest is the new protocol's); `finish()` throws
 * HPE_INVALID_EOF_STATE if a request was incomplete.
 */
export class RequestParser extends ParserFront<RequestHead> {
  constructor(limits?: ParserLimits) {
    super(true, limits);
  }

  /** The server declined the upgrade (answered without 101/2xx): parse the next request. */
  resumeAfterUpgrade(): void {
    this.core.resumeAfterUpgrade();
  }
}
