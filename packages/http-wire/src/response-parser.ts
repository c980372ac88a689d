import type { HeaderList } from './headers.js';
import type { ParserLimits } from './limits.js';
import { HttpMessageParser } from './message-parser.js';
import type { ExecuteResult } from './parse-event.js';

/** The status line and header section of a response, with what they mean for framing. */
export interface ResponseHead {
  statusCode: number;
  /** Reason phrase as received; '' when the status line has none (`HTTP/1.1 200`). */
  reason: string;
  versionMajor: number;
  versionMinor: number;
  headers: HeaderList;
  /** The connection may carry another request after this response. */
  keepAlive: boolean;
  /** Content-Length value, null when absent (also reported for HEAD, 204 and 304 responses). */
  contentLength: number | null;
  /** This response's body uses chunked transfer coding (false when it has no body). */
  chunked: boolean;
}

/**
 * Incremental, strict HTTP/1.1 response parser (RFC 9112). A response's framing depends on the
 * request it answers, so tell it the method of every request sent, in order, with
 * {@link ResponseParser.expectResponseTo}.
 */
export class ResponseParser {
  private readonly core: HttpMessageParser;

  constructor(limits?: ParserLimits) {
    this.core = new HttpMessageParser(false, limits);
  }

  /** Queues the method of a request sent on this connection (HEAD: the response has no body). */
  expectResponseTo(method: string): void {
    this.core.expectResponseTo(method);
  }

  /**
   * Parses `chunk`. Throws HttpParseError on bad input (and keeps throwing). Consumes the whole chunk
   * unless it stopped: after a 101 or a 2xx answer to CONNECT (see `upgraded`), or before bad input
   * that follows complete responses (returned; the next call throws).
   */
  execute(chunk: Uint8Array): ExecuteResult<ResponseHead> {
    return this.core.execute(chunk) as ExecuteResult<ResponseHead>;
  }

  /** The server closed: ends a close-delimited body; throws HPE_INVALID_EOF_STATE mid-message. */
  finish(): ExecuteResult<ResponseHead> {
    return this.core.finish() as ExecuteResult<ResponseHead>;
  }

  /** True once a 101 or a 2xx answer to CONNECT completed: later bytes are not HTTP/1.1. */
  get upgraded(): boolean {
    return this.core.upgraded;
  }
}
