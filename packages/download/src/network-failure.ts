/**
 * One readable sentence for each way the network can fail, from @lb/http-wire's coded errors.
 * Matching is on `code` (never on message text), as the library's errors are designed for.
 */
interface WireErrorShape {
  code?: unknown;
  syscallCode?: unknown;
  host?: unknown;
  port?: unknown;
  timeoutMs?: unknown;
  phase?: unknown;
  bytesReceived?: unknown;
  expectedBytes?: unknown;
  message?: unknown;
}

function seconds(ms: unknown): string {
  return typeof ms === 'number' ? `${Number((ms / 1000).toFixed(3))} s` : 'the time limit';
}

/** What went wrong, without the URL: "connection refused", "unknown host"... */
export function describeNetworkFailure(error: unknown): string {
  const e = (error ?? {}) as WireErrorShape;
  switch (e.code) {
    case 'LB_WIRE_CONNECT_FAILED':
      switch (e.syscallCode) {
        case 'ECONNREFUSED':
          return 'connection refused';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
        case 'EAI_NONAME':
          return `unknown host ${String(e.host)}`;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
          return 'host unreachable';
        case 'ETIMEDOUT':
          return 'connection timed out';
        default:
          return `connection failed (${String(e.syscallCode ?? e.message)})`;
      }
    case 'LB_WIRE_CONNECT_TIMEOUT':
      return `no connection within ${seconds(e.timeoutMs)}`;
    case 'LB_WIRE_RESPONSE_TIMEOUT':
      return e.phase === 'first-byte'
        ? `no response within ${seconds(e.timeoutMs)}`
        : `the response stalled for ${seconds(e.timeoutMs)}`;
    case 'LB_WIRE_PREMATURE_CLOSE':
      return typeof e.expectedBytes === 'number'
        ? `the connection closed after ${String(e.bytesReceived)} of ${e.expectedBytes} body bytes`
        : `the connection closed after ${String(e.bytesReceived)} body bytes, before the response was complete`;
    case 'LB_WIRE_CONNECTION_CLOSED':
      return 'the connection closed';
    case 'LB_WIRE_SOCKET':
      return e.syscallCode === 'ECONNRESET'
        ? 'connection reset by peer'
        : `socket error (${String(e.syscallCode ?? e.message)})`;
    case 'LB_WIRE_ABORTED':
      return 'aborted';
    default:
      if (typeof e.code === 'string' && e.code.startsWith('HPE_')) {
        return `invalid HTTP response (${e.code})`;
      }
      return String(e.message ?? error);
  }
}

/** True for errors that come from the network or the peer (retry-worthy), not from our code. */
export function isNetworkFailure(error: unknown): boolean {
  const code = (error as WireErrorShape | undefined)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('LB_WIRE_') || code.startsWith('HPE_')) &&
    code !== 'LB_WIRE_INVALID_ARG' &&
    code !== 'LB_WIRE_BODY_USED' &&
    code !== 'LB_WIRE_CONNECTION_BUSY'
  );
}
