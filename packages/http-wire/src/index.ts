export * from './client-connection.js';
export type { ResponseTimings } from './client-response.js';
export { ClientResponse } from './client-response.js';
export type { HttpParseErrorCode } from './errors.js';
export {
  BodyUsedError,
  ConnectError,
  ConnectionBusyError,
  ConnectionClosedError,
  ConnectTimeoutError,
  HttpParseError,
  HttpWireError,
  InvalidArgumentError,
  InvalidContentRangeError,
  InvalidHeaderError,
  InvalidRequestLineError,
  InvalidStatusError,
  InvalidUrlError,
  PrematureCloseError,
  RequestAbortedError,
  ResponseTimeoutError,
  SocketError,
} from './errors.js';
export * from './etag.js';
export * from './headers.js';
export * from './html-escape.js';
export * from './http-date.js';
export type { ParserLimits } from './limits.js';
export { DEFAULT_PARSER_LIMITS } from './limits.js';
export * from './link.js';
export * from './listen.js';
export * from './parse-event.js';
export * from './range.js';
export * from './repr-digest.js';
export * from './request-parser.js';
export * from './response-parser.js';
export * from './retry-after.js';
export * from './safe-path.js';
export * from './serializer.js';
export * from './server-connection.js';
export * from './server-request.js';
