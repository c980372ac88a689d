import type { HeaderList } from './headers.js';
import type { ParserLimits } from './limits.js';
import { HttpMessageParser } from './message-parser.js';
import type { ExecuteResult } from './parse-event.js';

/** The start line and header section of a request, with what they mean for framing. */
export interface RequestHead {
  /** As received (methods are case-sensitive): 'GET', 'POST', … */
  method: string;
  /** origin-form `/path?q`, absolute-form `http://h/p`, `*` (OPTIONS) or `host:port` (CONNECT). */
  target: string;
  versionMajor: number;
  versionMinor: number;
  headers: HeaderList;
  /** The client wants the connection kept open (HTTP/1.1 unless `close`; 1.0 only with `keep-alive`). */
  keepAlive: boolean;
  /** Content-Length value, null when absent. */
  contentLength: number | null;
  /** The body uses chunked transfer coding. */
  chunked: boolean;
  /** `Expect: 100-continue` on an HTTP/1.1 request. */
  expectContinue: boolean;
  /** CONNECT, or Upgrade with `Connection: upgrade`: the parser stops after this message. */
  upgrade: boolean;
}

/**
 * Incremental, strict HTTP/1.1 request parser (RFC 9112). Feed it the bytes of a connection in any
 * pieces; it returns heads, body views and message ends in order. See README for the rules.
 */
export class RequestParser {
  private readonly core: HttpMessageParser;

  constructor(limits?: ParserLimits) {
    this.core = new HttpMessageParser(true, limits);
  }

  /**
   * Parses `chunk`. Throws HttpParseError on bad input (and keeps throwing). Consumes the whole chunk
   * unless it stopped: after an upgrade/CONNECT message (the rest is the new protocol's, see
   * `upgraded`), or before bad input that follows complete messages (returned; the next call throws).
   */
  execute(chunk: Uint8Array): ExecuteResult<RequestHead> {
    return this.core.execute(chunk) as ExecuteResult<RequestHead>;
  }

  /** The peer closed its side. Throws HPE_INVALID_EOF_STATE if a request was incomplete. */
  finish(): ExecuteResult<RequestHead> {
    return this.core.finish() as ExecuteResult<RequestHead>;
  }

  /** True once an upgrade/CONNECT request completed: later bytes are not HTTP/1.1. */
  get upgraded(): boolean {
    return this.core.upgraded;
  }

  /** The server declined the upgrade (answered without 101/2xx): parse the next request. */
  resumeAfterUpgrade(): void {
    this.core.resumeAfterUpgrade();
  }
}
