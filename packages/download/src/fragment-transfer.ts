/**
 * One fragment from one mirror over a keep-alive connection: `Range: bytes=start-end` (guarded by
 * `If-Range` with the mirror's strong ETag, so a file replaced meanwhile answers 200 instead of
 * bytes of another version), checked to be exactly the 206 that was asked for, hashed on the way
 * and handed chunk by chunk to the engine's `store` (a positional write into the `.part` file, or
 * an endgame copy's buffer). Whether the bytes count is the engine's call, from the hash.
 */
import { createHash } from 'node:crypto';
import { type ClientConnection, retryAfterMs } from '@lb/http-wire';
import type { Assignment, FailReason } from '@lb/segments';
import { contentRangeOf } from './content-range.js';
import { describeNetworkFailure } from './network-failure.js';
import type { HeaderFields } from './request-headers.js';

export interface FragmentRequest {
  connection: ClientConnection;
  /** Request-target on the mirror (origin-form). */
  path: string;
  assignment: Assignment;
  /** Size of the whole file: the Content-Range must say so. */
  fileSize: number;
  etag: string | undefined;
  /** Sent with the request besides Range and If-Range. */
  headers: HeaderFields;
  /**
   * Takes each chunk at `offset` within the fragment. The chunk is a view into the connection's
   * reused read buffer, so a returned promise (a file write) must settle before the next chunk is
   * read, which is what the loop below waits for.
   */
  store: (offset: number, chunk: Uint8Array) => void | Promise<void>;
  signal: AbortSignal;
  responseTimeoutMs: number;
  idleTimeoutMs: number;
  /** The 206 head was checked: the mirror is serving. */
  onAccepted: () => void;
  /** More bytes arrived; false means stop (the assignment was cancelled). */
  onBytes: (bytes: number) => boolean;
}

export type FragmentOutcome =
  | { kind: 'received'; sha256: string }
  /** `store` threw (a local write failed): the download cannot go on. */
  | { kind: 'store-failed'; error: unknown }
  /** The engine cancelled it (lost endgame race, interrupt): not the mirror's fault. */
  | { kind: 'cancelled' }
  | {
      kind: 'failed';
      reason: FailReason;
      message: string;
      /** The mirror cannot serve this file any more (404, 416...): drop it rather than retry. */
      drop: boolean;
      /** Retry-After of a 429/503. */
      retryAfterMs?: number;
      /** An HTTP status was the problem (for the exit code when every mirror is gone). */
      httpStatus?: number;
    };

function failed(
  reason: FailReason,
  message: string,
  extra: Partial<Extract<FragmentOutcome, { kind: 'failed' }>> = {},
): FragmentOutcome {
  return { kind: 'failed', reason, message, drop: false, ...extra };
}

function reasonOf(error: unknown): FailReason {
  const e = error as { code?: unknown; syscallCode?: unknown };
  switch (e.code) {
    case 'LB_WIRE_CONNECT_FAILED':
      return e.syscallCode === 'ECONNREFUSED' ? 'refused' : 'closed';
    case 'LB_WIRE_SOCKET':
      return e.syscallCode === 'ECONNRESET' ? 'reset' : 'closed';
    case 'LB_WIRE_CONNECT_TIMEOUT':
    case 'LB_WIRE_RESPONSE_TIMEOUT':
      return 'timeout';
    default:
      return typeof e.code === 'string' && e.code.startsWith('HPE_') ? 'bad-response' : 'closed';
  }
}

export async function fetchFragment(request: FragmentRequest): Promise<FragmentOutcome> {
  const { assignment, connection, signal } = request;
  const headers: Array<readonly [string, string]> = [
    ...request.headers,
    ['Range', `bytes=${assignment.start}-${assignment.end}`],
  ];
  if (request.etag !== undefined) headers.push(['If-Range', request.etag]);
  try {
    const response = await connection.request({
      path: request.path,
      headers,
      responseTimeoutMs: request.responseTimeoutMs,
      idleTimeoutMs: request.idleTimeoutMs,
      signal,
    });
    const { head } = response;
    const status = head.statusCode;
    if (status !== 206) {
      connection.destroy();
      const text = `answered ${status}${head.reason === '' ? '' : ` ${head.reason}`}`;
      if (status === 200) {
        return failed(
          'bad-status',
          `${text} to a range request (the file changed, or Range is not supported)`,
        );
      }
      if (status === 404 || status === 410 || status === 416) {
        return failed('bad-status', `${text}: it no longer has this file`, {
          drop: true,
          httpStatus: status,
        });
      }
      return failed('bad-status', text, {
        httpStatus: status,
        retryAfterMs: retryAfterMs(head.headers.get('retry-after'), Date.now()),
      });
    }
    const range = contentRangeOf(head.headers);
    if (
      range === undefined ||
      range.unsatisfied ||
      range.start !== assignment.start ||
      range.end !== assignment.end ||
      (range.size !== null && range.size !== request.fileSize) ||
      (head.contentLength !== null && head.contentLength !== assignment.length)
    ) {
      connection.destroy();
      return failed(
        'bad-response',
        `sent Content-Range ${head.headers.get('content-range') ?? '(none)'} for bytes ${assignment.start}-${assignment.end}/${request.fileSize}`,
        { drop: range !== undefined && !range.unsatisfied && range.size !== request.fileSize },
      );
    }
    request.onAccepted();

    const hash = createHash('sha256');
    let received = 0;
    for await (const chunk of response.body) {
      if (received + chunk.byteLength > assignment.length) {
        connection.destroy();
        return failed('bad-response', 'sent more bytes than the range asked for');
      }
      hash.update(chunk);
      try {
        await request.store(received, chunk);
      } catch (error) {
        connection.destroy();
        return { kind: 'store-failed', error };
      }
      received += chunk.byteLength;
      if (!request.onBytes(chunk.byteLength)) {
        connection.destroy();
        return { kind: 'cancelled' };
      }
    }
    if (received !== assignment.length) {
      connection.destroy();
      return failed('closed', `sent ${received} of ${assignment.length} bytes`);
    }
    return { kind: 'received', sha256: hash.digest('base64') };
  } catch (error) {
    connection.destroy();
    if (signal.aborted) return { kind: 'cancelled' };
    return failed(reasonOf(error), describeNetworkFailure(error));
  }
}
