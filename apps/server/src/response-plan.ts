/**
 * What the request handler decides and the connection writes: status, headers and a body source.
 * The connection adds the per-connection headers (Date, Server, Connection, Content-Length) and
 * decides from the method and status whether body bytes are sent at all (HEAD, 304).
 */
import { STATUS_REASONS } from '@lb/http-wire';

export type ResponseBody =
  | { kind: 'bytes'; data: Buffer }
  /** Bytes `start..end` (inclusive) of an open file; `end < start` for an empty file. */
  | { kind: 'file'; fd: number; start: number; end: number }
  /** multipart/byteranges: each part's framing, then its file bytes; `closing` ends the body. */
  | {
      kind: 'multipart';
      fd: number;
      parts: ReadonlyArray<{ framing: Buffer; start: number; end: number }>;
      closing: Buffer;
    };

export interface ResponsePlan {
  status: number;
  headers: Array<[string, string]>;
  body: ResponseBody;
  /** Length of the body a GET would receive (also announced for HEAD). */
  contentLength: number;
  /** The body is a served file's content: the testing aids (rate, fail-after, corrupt) apply. */
  fileContent: boolean;
  /** Closes what the body holds open; called exactly once, after the response or on abort. */
  release: () => void;
}

const NOTHING_TO_RELEASE = () => {};
const EMPTY = Buffer.alloc(0);

export const TEXT_PLAIN = 'text/plain; charset=utf-8';

/** A small in-memory response. */
export function bytesResponse(
  status: number,
  data: Buffer,
  headers: Array<[string, string]> = [],
): ResponsePlan {
  return {
    status,
    headers,
    body: { kind: 'bytes', data },
    contentLength: data.length,
    fileContent: false,
    release: NOTHING_TO_RELEASE,
  };
}

/** A bodiless response (200 for /heartbeat, 304). */
export function emptyResponse(status: number, headers: Array<[string, string]> = []): ResponsePlan {
  return bytesResponse(status, EMPTY, headers);
}

/** A plain-text response; errors say `404 Not Found` and the like, for people using curl. */
export function textResponse(
  status: number,
  text?: string,
  headers: Array<[string, string]> = [],
): ResponsePlan {
  const body = text ?? `${status} ${STATUS_REASONS[status] ?? ''}\n`;
  return bytesResponse(status, Buffer.from(body, 'utf8'), [
    ['Content-Type', TEXT_PLAIN],
    ...headers,
  ]);
}

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Array<[string, string]> = [],
): ResponsePlan {
  return bytesResponse(status, Buffer.from(JSON.stringify(value), 'utf8'), [
    ['Content-Type', 'application/json'],
    ...headers,
  ]);
}
