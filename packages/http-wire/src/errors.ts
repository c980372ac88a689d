/**
 * Errors of @lb/http-wire, in the style of undici's `lib/core/errors.js`: one base class with the
 * `LB_WIRE_` code prefix, subclasses with a literal `code`, a default message and payload fields.
 * Callers match on `code`, never on the message text. The parser's codes keep llhttp's `HPE_*`
 * names instead (the one exception to the project's `LB_<PACKAGE>_<WHAT>` convention).
 */

export type HttpWireErrorCode =
  | 'LB_WIRE_ERROR'
  | 'LB_WIRE_INVALID_ARG'
  | HttpParseErrorCode
  | 'LB_WIRE_CONNECT_TIMEOUT'
  | 'LB_WIRE_CONNECT_FAILED'
  | 'LB_WIRE_RESPONSE_TIMEOUT'
  | 'LB_WIRE_PREMATURE_CLOSE'
  | 'LB_WIRE_ABORTED'
  | 'LB_WIRE_INVALID_HEADER'
  | 'LB_WIRE_INVALID_STATUS'
  | 'LB_WIRE_INVALID_REQUEST_LINE'
  | 'LB_WIRE_INVALID_CONTENT_RANGE'
  | 'LB_WIRE_INVALID_URL'
  | 'LB_WIRE_SOCKET'
  | 'LB_WIRE_CONNECTION_BUSY'
  | 'LB_WIRE_CONNECTION_CLOSED'
  | 'LB_WIRE_BODY_USED';

/** Base class of every error thrown by @lb/http-wire; `name` is the subclass's own. */
export class HttpWireError extends Error {
  constructor(
    readonly code: HttpWireErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option or argument passed to @lb/http-wire is out of range or of the wrong type. */
export class InvalidArgumentError extends HttpWireError {
  declare readonly code: 'LB_WIRE_INVALID_ARG';

  constructor(message: string, options?: ErrorOptions) {
    super('LB_WIRE_INVALID_ARG', message, options);
  }
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
  declare readonly code: HttpParseErrorCode;

  constructor(
    code: HttpParseErrorCode,
    /** Absolute byte offset, in the whole stream fed to this parser, where the problem was found. */
    readonly offset: number,
    message?: string,
    /** Status a server should answer with: 400, 414 (request line), 431 (header limits), 505 (version). */
    readonly status = 400,
  ) {
    super(code, message ?? `Invalid HTTP message (${code}) at byte ${offset}`);
  }
}

/** The TCP connection was not established within `connectTimeoutMs`. */
export class ConnectTimeoutError extends HttpWireError {
  declare readonly code: 'LB_WIRE_CONNECT_TIMEOUT';

  constructor(
    readonly host: string,
    readonly port: number,
    readonly timeoutMs: number,
    message?: string,
  ) {
    super(
      'LB_WIRE_CONNECT_TIMEOUT',
      message ?? `Connecting to ${host}:${port} timed out after ${timeoutMs} ms`,
    );
  }
}

/** The TCP connection failed (refused, unknown host, unreachable). The syscall error is `cause`. */
export class ConnectError extends HttpWireError {
  declare readonly code: 'LB_WIRE_CONNECT_FAILED';
  /** The system error code, e.g. 'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH'. */
  readonly syscallCode: string | undefined;

  constructor(
    readonly host: string,
    readonly port: number,
    cause: Error & { code?: unknown },
    message?: string,
  ) {
    const syscallCode = typeof cause.code === 'string' ? cause.code : undefined;
    super(
      'LB_WIRE_CONNECT_FAILED',
      message ?? `Connecting to ${host}:${port} failed: ${syscallCode ?? cause.message}`,
      {
        cause,
      },
    );
    this.syscallCode = syscallCode;
  }
}

/** The server stayed silent too long: before the first response byte, or between body bytes. */
export class ResponseTimeoutError extends HttpWireError {
  declare readonly code: 'LB_WIRE_RESPONSE_TIMEOUT';

  constructor(
    /** 'first-byte': nothing of the response arrived; 'body-idle': the body stalled. */
    readonly phase: 'first-byte' | 'body-idle',
    readonly timeoutMs: number,
    message?: string,
  ) {
    super(
      'LB_WIRE_RESPONSE_TIMEOUT',
      message ??
        (phase === 'first-byte'
          ? `No response byte within ${timeoutMs} ms`
          : `Response body stalled for ${timeoutMs} ms`),
    );
  }
}

/** The connection closed before the response was complete. */
export class PrematureCloseError extends HttpWireError {
  declare readonly code: 'LB_WIRE_PREMATURE_CLOSE';

  constructor(
    /** Body bytes that arrived before the close. */
    readonly bytesReceived: number,
    /** Content-Length of the response, or null when unknown (chunked, or the head never arrived). */
    readonly expectedBytes: number | null,
    message?: string,
  ) {
    super(
      'LB_WIRE_PREMATURE_CLOSE',
      message ??
        `Connection closed after ${bytesReceived}${expectedBytes === null ? '' : ` of ${expectedBytes}`} body bytes`,
    );
  }
}

/** The request was aborted through its AbortSignal; the signal's reason is `cause`. */
export class RequestAbortedError extends HttpWireError {
  declare readonly code: 'LB_WIRE_ABORTED';

  constructor(reason?: unknown, message?: string) {
    super(
      'LB_WIRE_ABORTED',
      message ?? 'Request aborted',
      reason === undefined ? undefined : { cause: reason },
    );
  }
}

/** A header name is not a token, or a name/value holds bytes that could split or corrupt the head. */
export class InvalidHeaderError extends HttpWireError {
  declare readonly code: 'LB_WIRE_INVALID_HEADER';

  constructor(
    /** The offending field name (as given, possibly itself invalid). */
    readonly field: string,
    /** Which part is wrong. */
    readonly part: 'name' | 'value',
    message?: string,
  ) {
    super(
      'LB_WIRE_INVALID_HEADER',
      message ?? `Invalid header ${part} for field ${JSON.stringify(field)}`,
    );
  }
}

/** A status code outside the integers 100–999, or a reason phrase with forbidden bytes. */
export class InvalidStatusError extends HttpWireError {
  declare readonly code: 'LB_WIRE_INVALID_STATUS';

  constructor(
    readonly statusCode: unknown,
    message?: string,
  ) {
    super('LB_WIRE_INVALID_STATUS', message ?? `Invalid status code ${String(statusCode)}`);
  }
}

/** A method that is not a token, or a request-target with spaces, controls or non-ASCII bytes. */
export class InvalidRequestLineError extends HttpWireError {
  declare readonly code: 'LB_WIRE_INVALID_REQUEST_LINE';

  constructor(
    readonly part: 'method' | 'target',
    readonly value: string,
    message?: string,
  ) {
    super(
      'LB_WIRE_INVALID_REQUEST_LINE',
      message ?? `Invalid request ${part} ${JSON.stringify(value)}`,
    );
  }
}

/** A Content-Range value that is malformed or self-contradictory. */
export class InvalidContentRangeError extends HttpWireError {
  declare readonly code: 'LB_WIRE_INVALID_CONTENT_RANGE';

  constructor(
    readonly value: string,
    message?: string,
  ) {
    super(
      'LB_WIRE_INVALID_CONTENT_RANGE',
      message ?? `Invalid Content-Range ${JSON.stringify(value)}`,
    );
  }
}

/** A URL the client cannot use (not http:, no host, bad port). */
export class InvalidUrlError extends HttpWireError {
  declare readonly code: 'LB_WIRE_INVALID_URL';

  constructor(
    readonly url: string,
    message?: string,
  ) {
    super('LB_WIRE_INVALID_URL', message ?? `Invalid URL ${JSON.stringify(url)}`);
  }
}

/** The socket failed after it connected (reset, broken pipe). The syscall error is `cause`. */
export class SocketError extends HttpWireError {
  declare readonly code: 'LB_WIRE_SOCKET';
  readonly syscallCode: string | undefined;

  constructor(cause: Error & { code?: unknown }, message?: string) {
    const syscallCode = typeof cause.code === 'string' ? cause.code : undefined;
    super('LB_WIRE_SOCKET', message ?? `Socket error: ${syscallCode ?? cause.message}`, { cause });
    this.syscallCode = syscallCode;
  }
}

/** `request()` was called while the previous response is still being read. */
export class ConnectionBusyError extends HttpWireError {
  declare readonly code: 'LB_WIRE_CONNECTION_BUSY';

  constructor(message?: string) {
    super(
      'LB_WIRE_CONNECTION_BUSY',
      message ?? 'The connection is busy with a response that has not been consumed',
    );
  }
}

/** `request()` was called on a connection that is closed, destroyed or not reusable. */
export class ConnectionClosedError extends HttpWireError {
  declare readonly code: 'LB_WIRE_CONNECTION_CLOSED';

  constructor(message?: string) {
    super('LB_WIRE_CONNECTION_CLOSED', message ?? 'The connection is closed');
  }
}

/** The body of a response was already iterated (or is being iterated); it can be read once. */
export class BodyUsedError extends HttpWireError {
  declare readonly code: 'LB_WIRE_BODY_USED';

  constructor(message?: string) {
    super('LB_WIRE_BODY_USED', message ?? 'The response body has already been read');
  }
}
