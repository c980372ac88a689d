import type { HeaderList } from './headers.js';

/** What request and response heads share: version, raw headers and what they mean for framing. */
export interface MessageHead {
  versionMajor: number;
  versionMinor: number;
  headers: HeaderList;
  /**
   * The connection stays open after this message: for a request, the client wants it kept open
   * (HTTP/1.1 unless `close`; 1.0 only with `keep-alive`); for a response, the connection may carry
   * another request.
   */
  keepAlive: boolean;
  /** Content-Length value, null when absent (responses report it for HEAD, 204 and 304 too). */
  contentLength: number | null;
  /** The body uses chunked transfer coding (false for a response that has no body). */
  chunked: boolean;
}
