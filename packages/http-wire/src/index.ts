export type {
  ConnectOptions,
  HttpRequestOptions,
  HttpTarget,
  RequestOptions,
} from './client-connection.js';
export { ClientConnection, httpRequest, parseHttpUrl } from './client-connection.js';
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
export type { EntityTag } from './etag.js';
export {
  isStrongEtag,
  matchesIfNoneMatch,
  parseEntityTag,
  parseEtagList,
  strongEtagMatch,
  weakEtagMatch,
} from './etag.js';
export { HeaderList } from './headers.js';
export { escapeHtml } from './html-escape.js';
export { formatHttpDate, parseHttpDate } from './http-date.js';
export type { ParserLimits } from './limits.js';
export { DEFAULT_PARSER_LIMITS } from './limits.js';
export type { LinkValue } from './link.js';
export {
  describedByUrl,
  duplicateMirrors,
  formatDescribedByLink,
  formatDuplicateLinks,
  hasRelation,
  parseLinkHeader,
} from './link.js';
export type { BoundAddress, HttpListener, ListenOptions } from './listen.js';
export { listen } from './listen.js';
export type { ExecuteResult, ParseEvent } from './parse-event.js';
export type {
  ByteRange,
  ContentRange,
  ParseRangeOptions,
  RangeResult,
  RangeValidators,
} from './range.js';
export {
  formatContentRange,
  formatUnsatisfiedRange,
  isIfRangeFresh,
  parseContentRange,
  parseRange,
} from './range.js';
export { formatReprDigest, sha256FromReprDigest } from './repr-digest.js';
export type { RequestHead } from './request-parser.js';
export { RequestParser } from './request-parser.js';
export type { ResponseHead } from './response-parser.js';
export { ResponseParser } from './response-parser.js';
export { formatRetryAfter, MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-after.js';
export type { SafePathRejection, SafePathResult } from './safe-path.js';
export { decodeRequestPath } from './safe-path.js';
export type {
  BodyFraming,
  HeaderFields,
  HttpVersion,
  RequestHeadInit,
  ResponseFramingInput,
  ResponseHeadInit,
} from './serializer.js';
export {
  CRLF,
  chooseRequestFraming,
  chooseResponseFraming,
  chunkPrefix,
  encodeChunk,
  isValidHeaderName,
  isValidHeaderValue,
  LAST_CHUNK,
  STATUS_REASONS,
  serializeRequestHead,
  serializeResponseHead,
} from './serializer.js';
export type { ServeOptions } from './server-connection.js';
export { DEFAULT_SERVE_OPTIONS, ServerConnection, serve } from './server-connection.js';
export type { Answer, AnswerWriter, HttpHandler, RequestRejection } from './server-request.js';
export { ServerRequest } from './server-request.js';
