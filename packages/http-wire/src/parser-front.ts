import type { ParserLimits } from './limits.js';
import { HttpMessageParser } from './message-parser.js';
import type { ExecuteResult } from './parse-event.js';

/**
 * What RequestParser and ResponseParser share: one HttpMessageParser, typed by the head it yields.
 * The subclasses add what only their side needs and say when a message stops the parser.
 */
export abstract class ParserFront<Head> {
  protected readonly core: HttpMessageParser;

  protected constructor(isRequest: boolean, limits?: ParserLimits) {
    this.core = new HttpMessageParser(isRequest, limits);
  }

  /**
   * Parses `chunk`. Throws HttpParseError on bad input (and keeps throwing). Consumes the whole chunk
   * unless it stopped: after an upgrade (see `upgraded`), or before bad input that follows complete
   * messages (returned; the next call throws).
   */
  execute(chunk: Uint8Array): ExecuteResult<Head> {
    return this.core.execute(chunk) as ExecuteResult<Head>;
  }

  /**
   * The peer closed its side: ends a close-delimited response body; throws HPE_INVALID_EOF_STATE
   * mid-message.
   */
  finish(): ExecuteResult<Head> {
    return this.core.finish() as ExecuteResult<Head>;
  }

  /** True once an upgrade completed: later bytes are not HTTP/1.1. */
  get upgraded(): boolean {
    return this.core.upgraded;
  }
}
