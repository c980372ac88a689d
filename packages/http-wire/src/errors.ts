/**
 * Errors of @lb/http-wire, in the style of undici's `lib/core/errors.js`: one base class with a
 * library-prefixed `code`, subclasses with a literal `code`, a default message and payload fields.
 * Callers match on `code`, never on the message text.
 */

/** Base class of every error thrown by @lb/http-wire. */
export class HttpWireError extends Error {
  override name = 'HttpWireError';
  code: string = 'LB_HTTP_WIRE';
}

/**
 * Codes of {@link HttpParseError}. They follow llhttp's `HPE_*` names so people who know Node's
 * parser recognise them.
 */
export type HttpParseErrorCode =
  | 'HPE_INVALID_CONTENT_LENGTH'
  | 'HPE_UNEXPECTED_CONTENT_LENGTH'
  | 'HPE_INVALID_TRANSFER_ENCODING'
  | 'HPE_INVALID_HEADER_TOKEN'
  | 'HPE_INVALID_METHOD'
  | 'HPE_INVALID_VERSION'
  | 'HPE_INVALID_STATUS'
  | 'HPE_LF_EXPECTED'
  | 'HPE_CR_EXPECTED'
  | 'HPE_INVALID_CHUNK_SIZE'
  | 'HPE_INVALID_URL'
  | 'HPE_HEADER_OVERFLOW'
  | 'HPE_URI_TOO_LONG'
  | 'HPE_INVALID_HOST'
  | 'HPE_CHUNK_EXTENSIONS_OVERFLOW'
  | 'HPE_INVALID_EOF_STATE'
  | 'HPE_UNEXPECTED_RESPONSE'
  | 'HPE_CLOSED_CONNECTION';

/**
 * The byte stream is not valid HTTP/1.1 (or exceeds a configured limit). The parser that threw stays
 * failed: every later call rethrows the same error.
 */
export class HttpParseError extends HttpWireError {
  override name = 'HttpParseError';
  override code: HttpParseErrorCode;
  /** Absolute byte offset, in the whole stream fed to this parser, where the problem was found. */
  readonly offset: number;
  /** Status a server should answer with: 400, 414 (request line), 431 (header limits), 505 (version). */
  readonly status: number;

  constructor(code: HttpParseErrorCode, offset: number, message?: string, status = 400) {
    super(message ?? `Invalid HTTP message (${code}) at byte ${offset}`);
    this.code = code;
    this.offset = offset;
    this.status = status;
  }
}
