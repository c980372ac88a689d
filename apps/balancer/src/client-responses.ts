/**
 * The bytes of every response the client port sends: the 301 redirect and the few plain answers
 * (heartbeat, 4xx, 503). Heads go through @lb/http-wire's serializer, which refuses CR, LF and NUL
 * in any field, so nothing a client puts in its request-target can split a response.
 */
import { formatHttpDate, STATUS_REASONS, serializeResponseHead } from '@lb/http-wire';

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

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** The short HTML body of a redirect, for clients that do not follow Location themselves. */
export function redirectBody(location: string): string {
  const href = escapeHtml(location);
  return (
    '<!DOCTYPE html>\n' +
    '<html><head><title>301 Moved Permanently</title></head>\n' +
    `<body><h1>Moved Permanently</h1><p>The document has moved <a href="${href}">here</a>.</p></body></html>\n`
  );
}

function finish(
  statusCode: number,
  headers: Array<[string, string | number]>,
  body: string,
  framing: ResponseFraming,
): Buffer {
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  headers.push(['Content-Length', bodyBytes]);
  headers.push(['Date', formatHttpDate(framing.now)]);
  if (framing.close) headers.push(['Connection', 'close']);
  else if (framing.echoKeepAlive) headers.push(['Connection', 'keep-alive']);
  const head = serializeResponseHead({ statusCode, headers });
  if (framing.head || bodyBytes === 0) return head;
  // One buffer per response: pipelined answers are concatenated and written with a single call.
  const out = Buffer.allocUnsafe(head.length + bodyBytes);
  head.copy(out, 0);
  out.write(body, head.length, 'utf8');
  return out;
}

/**
 * `301 Moved Permanently` to `location`, with `Link: <…>; rel=duplicate; pri=N` for the other live
 * servers (RFC 6249) when there are any.
 */
export function redirectResponse(
  location: string,
  link: string | undefined,
  framing: ResponseFraming,
): Buffer {
  const headers: Array<[string, string | number]> = [
    ['Location', location],
    ['Cache-Control', 'no-store'],
  ];
  if (link !== undefined) headers.push(['Link', link]);
  headers.push(['Content-Type', 'text/html; charset=utf-8']);
  return finish(301, headers, redirectBody(location), framing);
}

/** The value of the Link header listing `origins` (already in rank order) for `pathAndQuery`. */
export function duplicateLinks(
  origins: readonly string[],
  pathAndQuery: string,
): string | undefined {
  if (origins.length === 0) return undefined;
  let value = '';
  for (let i = 0; i < origins.length; i++) {
    if (i > 0) value += ', ';
    value += `<${origins[i]}${pathAndQuery}>; rel=duplicate; pri=${i + 1}`;
  }
  return value;
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
): Buffer {
  const headers: Array<[string, string | number]> = [...(options.headers ?? [])];
  headers.push(['Cache-Control', 'no-store']);
  let body = '';
  if (statusCode !== 200) {
    const reason = STATUS_REASONS[statusCode] ?? '';
    body = `${statusCode} ${reason}${options.detail === undefined ? '' : `: ${options.detail}`}\n`;
    headers.push(['Content-Type', 'text/plain; charset=utf-8']);
  }
  return finish(statusCode, headers, body, framing);
}
