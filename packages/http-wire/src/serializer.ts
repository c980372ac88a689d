/**
 * HTTP/1.1 message heads as bytes, refusing anything that could split or smuggle a message:
 * header names must be tokens, values must not hold CR, LF, NUL or other controls, and the start
 * line is checked the same way. Heads are built as one latin1 string and encoded once, with the
 * start lines of the default reason phrases precomputed, because the balancer writes a redirect
 * head per request.
 */
import {
  InvalidArgumentError,
  InvalidHeaderError,
  InvalidRequestLineError,
  InvalidStatusError,
} from './errors.js';

export type HttpVersion = '1.0' | '1.1';

/** Header pairs in wire order, or a record whose array values become repeated fields. */
export type HeaderFields =
  | Iterable<readonly [string, string | number]>
  | Readonly<Record<string, string | number | readonly string[]>>;

export interface RequestHeadInit {
  method: string;
  /** The request-target as it goes on the wire: origin-form (`/a?b`), absolute-form or `*`. */
  target: string;
  headers?: HeaderFields;
  version?: HttpVersion;
}

export interface ResponseHeadInit {
  statusCode: number;
  /** Defaults to the RFC 9110 phrase of the status, or empty for unknown codes. */
  reason?: string;
  headers?: HeaderFields;
  version?: HttpVersion;
}

/** Reason phrases of RFC 9110 §15 plus the widely used codes of RFC 6585 and friends. */
export const STATUS_REASONS: Readonly<Record<number, string>> = Object.freeze({
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  511: 'Network Authentication Required',
});

/** `tchar` of RFC 9110 §5.6.2. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Anything but HTAB, SP, VCHAR and obs-text: CR, LF, NUL, other controls, DEL and non-latin1. */
const FORBIDDEN_VALUE_CHAR = /[^\t\x20-\x7e\x80-\xff]/;
/** A request-target is visible ASCII only: no spaces (they end it), no controls, no raw UTF-8. */
const TARGET = /^[\x21-\x7e]+$/;

const CRLF_STRING = '\r\n';

/** Precomputed `HTTP/1.1 <code> <reason>\r\n` for every code with a default phrase. */
const STATUS_LINES_11 = new Map<number, string>();
const STATUS_LINES_10 = new Map<number, string>();
for (const [code, reason] of Object.entries(STATUS_REASONS)) {
  STATUS_LINES_11.set(Number(code), `HTTP/1.1 ${code} ${reason}\r\n`);
  STATUS_LINES_10.set(Number(code), `HTTP/1.0 ${code} ${reason}\r\n`);
}

/** Is `name` a valid field name (an RFC 9110 token)? */
export function isValidHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** May `value` be written as a field value without corrupting the message? */
export function isValidHeaderValue(value: string): boolean {
  return !FORBIDDEN_VALUE_CHAR.test(value);
}

function headerLine(name: string, value: string | number): string {
  if (typeof name !== 'string' || !TOKEN.test(name))
    throw new InvalidHeaderError(String(name), 'name');
  let text: string;
  if (typeof value === 'number') {
    // NaN or Infinity would put a word where a number belongs (Content-Length: NaN).
    if (!Number.isFinite(value)) throw new InvalidHeaderError(name, 'value');
    text = String(value);
  } else if (typeof value === 'string') {
    if (FORBIDDEN_VALUE_CHAR.test(value)) throw new InvalidHeaderError(name, 'value');
    text = value;
  } else {
    throw new InvalidHeaderError(name, 'value');
  }
  return `${name}: ${text}\r\n`;
}

function isIterable(value: unknown): value is Iterable<readonly [string, string | number]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

/** Serializes the header block (without the empty line that ends the head). */
function headerLines(headers: HeaderFields | undefined): string {
  if (headers === undefined) return '';
  let out = '';
  if (isIterable(headers)) {
    for (const [name, value] of headers) out += headerLine(name, value);
    return out;
  }
  // Own enumerable keys only: nothing inherited is emitted, and a JSON `__proto__` key is just a name.
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (Array.isArray(value)) {
      for (const item of value as readonly unknown[]) {
        out += headerLine(name, item as string);
      }
    } else {
      out += headerLine(name, value as string | number);
    }
  }
  return out;
}

/** `METHOD target HTTP/x.y\r\n` + headers + `\r\n`. */
export function serializeRequestHead(init: RequestHeadInit): Buffer {
  const { method, target } = init;
  if (typeof method !== 'string' || !TOKEN.test(method)) {
    throw new InvalidRequestLineError('method', String(method));
  }
  if (typeof target !== 'string' || !TARGET.test(target)) {
    throw new InvalidRequestLineError('target', String(target));
  }
  const version = init.version ?? '1.1';
  const head = `${method} ${target} HTTP/${version}\r\n${headerLines(init.headers)}\r\n`;
  return Buffer.from(head, 'latin1');
}

function statusLine(statusCode: number, reason: string | undefined, version: HttpVersion): string {
  // RFC 9110 section 15: 100-599. The parser refuses anything else, so never send it.
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    throw new InvalidStatusError(statusCode);
  }
  if (reason === undefined) {
    const cached = (version === '1.1' ? STATUS_LINES_11 : STATUS_LINES_10).get(statusCode);
    if (cached !== undefined) return cached;
    return `HTTP/${version} ${statusCode} \r\n`;
  }
  // reason-phrase = *( HTAB / SP / VCHAR / obs-text ): the same alphabet as a field value.
  if (typeof reason !== 'string' || FORBIDDEN_VALUE_CHAR.test(reason)) {
    throw new InvalidStatusError(statusCode, `Invalid reason phrase ${JSON.stringify(reason)}`);
  }
  return `HTTP/${version} ${statusCode} ${reason}\r\n`;
}

/** `HTTP/x.y code reason\r\n` + headers + `\r\n`. */
export function serializeResponseHead(init: ResponseHeadInit): Buffer {
  const version = init.version ?? '1.1';
  const head = statusLine(init.statusCode, init.reason, version) + headerLines(init.headers);
  return Buffer.from(head + CRLF_STRING, 'latin1');
}

/**
 * How a message body goes on the wire, with the header that announces it.
 * - `none`: no body bytes follow (HEAD, 1xx, 204, 304, or a request without a body);
 * - `content-length`: exactly `length` bytes follow;
 * - `chunked`: chunks from {@link encodeChunk}, then {@link LAST_CHUNK};
 * - `close`: bytes until the server closes the connection (an HTTP/1.0 peer cannot read chunked).
 */
export interface BodyFraming {
  mode: 'none' | 'content-length' | 'chunked' | 'close';
  headers: Array<[string, string]>;
}

export interface ResponseFramingInput {
  statusCode: number;
  /** Method of the request being answered; HEAD responses carry no body. */
  requestMethod?: string;
  /** Body length when known; null/undefined when it is produced on the fly. */
  contentLength?: number | null;
  /** Version of the request; an HTTP/1.0 client cannot decode chunked. */
  requestVersion?: HttpVersion;
}

function checkLength(length: number): void {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(
      `Body length must be a non-negative safe integer, got ${length}`,
    );
  }
}

/** Chooses the framing of a response body (RFC 9112 §6.3 from the sender's side). */
export function chooseResponseFraming(input: ResponseFramingInput): BodyFraming {
  const { statusCode, contentLength } = input;
  const known = contentLength !== null && contentLength !== undefined;
  if (known) checkLength(contentLength);
  // 1xx and 204 must not carry Content-Length; 304 may, but it would describe the 200 — omit it.
  if (statusCode < 200 || statusCode === 204 || statusCode === 304) {
    return { mode: 'none', headers: [] };
  }
  if (input.requestMethod === 'HEAD') {
    // A HEAD response announces the length a GET would have received.
    return { mode: 'none', headers: known ? [['Content-Length', String(contentLength)]] : [] };
  }
  if (known)
    return { mode: 'content-length', headers: [['Content-Length', String(contentLength)]] };
  if (input.requestVersion === '1.0') return { mode: 'close', headers: [['Connection', 'close']] };
  return { mode: 'chunked', headers: [['Transfer-Encoding', 'chunked']] };
}

/** Chooses the framing of a request body: none, a known length, or chunked. */
export function chooseRequestFraming(contentLength: number | null | undefined): BodyFraming {
  if (contentLength === undefined) return { mode: 'none', headers: [] };
  if (contentLength === null)
    return { mode: 'chunked', headers: [['Transfer-Encoding', 'chunked']] };
  checkLength(contentLength);
  return { mode: 'content-length', headers: [['Content-Length', String(contentLength)]] };
}

/** The chunk terminator and the end of a head. */
export const CRLF: Buffer = Buffer.from('\r\n', 'latin1');

/** The zero-size chunk and the empty trailer section that end a chunked body. Do not mutate. */
export const LAST_CHUNK: Buffer = Buffer.from('0\r\n\r\n', 'latin1');

/** `<size in hex>\r\n` — write it, the data, then {@link CRLF} to avoid copying large chunks. */
export function chunkPrefix(size: number): Buffer {
  if (!Number.isSafeInteger(size) || size <= 0) {
    // A zero-size chunk would end the body early; callers must use LAST_CHUNK for that.
    throw new InvalidArgumentError(`Chunk size must be a positive safe integer, got ${size}`);
  }
  return Buffer.from(`${size.toString(16)}\r\n`, 'latin1');
}

/**
 * One chunk of a chunked body, framing and data in a single buffer. Empty data yields an empty
 * buffer (not the last chunk), so a stray empty write cannot end the body.
 */
export function encodeChunk(data: Uint8Array): Buffer {
  const size = data.byteLength;
  if (size === 0) return Buffer.alloc(0);
  const prefix = `${size.toString(16)}\r\n`;
  const out = Buffer.allocUnsafe(prefix.length + size + 2);
  out.write(prefix, 0, 'latin1');
  out.set(data, prefix.length);
  out[prefix.length + size] = 0x0d;
  out[prefix.length + size + 1] = 0x0a;
  return out;
}
