/**
 * Every response the client port sends, as a latin1 string: the 301 redirect and the few plain
 * answers (heartbeat, 4xx, 503). Strings go to `socket.write(text, 'latin1')`, which Node copies
 * straight into the socket with no Buffer made in JavaScript.
 *
 * Plain answers go through @lb/http-wire's serializer, which refuses CR, LF and NUL in any field.
 * The redirect is the hot path, so its head is assembled here from parts that cannot hold them:
 * the request-target passed `decodeRequestPath` (visible ASCII only) and origins come from
 * validated `host:port` specs; one check of the Location still refuses anything else, so a
 * future caller cannot split a response by mistake.
 */
import { escapeHtml, formatHttpDate, STATUS_REASONS, serializeResponseHead } from '@lb/http-wire';

export interface ResponseFraming {
  /** The request was HEAD: send the head only, with the Content-Length a GET would get. */
  head: boolean;
  /** Close the connection after this response (say so with `Connection: close`). */
  close: boolean;
  /** An HTTP/1.0 client that asked for keep-alive must be told it was granted. */
  echoKeepAlive: boolean;
  /** Wall-clock milliseconds for the Date header. */
  now: number;
}

/** Visible ASCII: what a URL built from a checked request-target and a server origin consists of. */
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/** The short HTML body of a redirect, for clients that do not follow Location themselves. */
export function redirectBody(location: string): string {
  return (
    '<!DOCTYPE html>\n' +
    '<html><head><title>301 Moved Permanently</title></head>\n' +
    `<body><h1>Moved Permanently</h1><p>The document has moved <a href="${escapeHtml(location)}">here</a>.</p></body></html>\n`
  );
}

function connectionField(framing: ResponseFraming): string {
  if (framing.close) return 'Connection: close\r\n';
  return framing.echoKeepAlive ? 'Connection: keep-alive\r\n' : '';
}

/**
 * `301 Moved Permanently` to `location`, with `Link: <…>; rel=duplicate; pri=N` for the other live
 * servers (RFC 6249) when there are any. Throws RangeError for a Location that is not visible ASCII.
 */
export function redirectResponse(
  location: string,
  link: string | undefined,
  framing: ResponseFraming,
): string {
  if (!VISIBLE_ASCII.test(location))
    throw new RangeError(`Refusing Location ${JSON.stringify(location)}`);
  // Every part is ASCII, so string length is byte length.
  const body = redirectBody(location);
  const head =
    'HTTP/1.1 301 Moved Permanently\r\n' +
    `Location: ${location}\r\n` +
    'Cache-Control: no-store\r\n' +
    (link === undefined ? '' : `Link: ${link}\r\n`) +
    'Content-Type: text/html; charset=utf-8\r\n' +
    `Content-Length: ${body.length}\r\n` +
    `Date: ${formatHttpDate(framing.now)}\r\n` +
    connectionField(framing) +
    '\r\n';
  return framing.head ? head : head + body;
}

export interface PlainResponseOptions {
  /** One line saying what went wrong, appended to the status line in the body. */
  detail?: string;
  /** Extra header fields (Allow, Retry-After). */
  headers?: Array<[string, string | number]>;
}

/**
 * A short `text/plain` answer: `404 Not Found: unknown region "asia"`. Empty body for 200
 * (the heartbeat answers like lb-server's: 200 with no body).
 */
export function plainResponse(
  statusCode: number,
  framing: ResponseFraming,
  options: PlainResponseOptions = {},
): string {
  const headers: Array<[string, string | number]> = [...(options.headers ?? [])];
  headers.push(['Cache-Control', 'no-store']);
  let body = '';
  if (statusCode !== 200) {
    const reason = STATUS_REASONS[statusCode] ?? '';
    body = `${statusCode} ${reason}${options.detail === undefined ? '' : `: ${options.detail}`}\n`;
    headers.push(['Content-Type', 'text/plain; charset=utf-8']);
  }
  // Details name methods, regions and parser codes: tokens and ASCII, so length is byte length.
  headers.push(['Content-Length', body.length]);
  headers.push(['Date', formatHttpDate(framing.now)]);
  if (framing.close) headers.push(['Connection', 'close']);
  else if (framing.echoKeepAlive) headers.push(['Connection', 'keep-alive']);
  const head = serializeResponseHead({ statusCode, headers }).toString('latin1');
  return framing.head ? head : head + body;
}
