import { describe, expect, test } from 'vitest';
import { HttpParseError } from '../src/errors.js';
import { RequestParser } from '../src/request-parser.js';
import { TCHAR } from '../src/tokens.js';
import {
  at,
  body,
  encode,
  end,
  head,
  parseError,
  requestParser,
  transcribeAllSplits,
} from './parse-transcript.js';

const parse = (input: string) => transcribeAllSplits(requestParser(), input).entries;

describe('RequestParser: accepted requests (each replayed at every split size)', () => {
  test('a GET: start line, raw headers, framing and connection fields', () => {
    expect(parse('GET /a/b?c=d HTTP/1.1\r\nHost: example.org\r\nAccept: */*\r\n\r\n')).toEqual([
      {
        kind: 'head',
        head: {
          method: 'GET',
          target: '/a/b?c=d',
          versionMajor: 1,
          versionMinor: 1,
          headers: ['Host', 'example.org', 'Accept', '*/*'],
          keepAlive: true,
          contentLength: null,
          chunked: false,
          expectContinue: false,
          upgrade: false,
        },
      },
      end(),
    ]);
  });

  test('pipelined GET, Content-Length POST and chunked PUT come out in order', () => {
    const input =
      'GET /1 HTTP/1.1\r\nHost: a\r\n\r\n' +
      'POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello' +
      'PUT /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n' +
      'DELETE /4 HTTP/1.1\r\nHost: a\r\n\r\n';
    expect(parse(input)).toEqual([
      head({ method: 'GET', target: '/1' }),
      end(),
      head({ method: 'POST', target: '/2', contentLength: 5, chunked: false }),
      body('hello'),
      end(),
      head({ method: 'PUT', target: '/3', contentLength: null, chunked: true }),
      body('abcde'),
      end(),
      head({ method: 'DELETE', target: '/4' }),
      end(),
    ]);
  });

  test('Content-Length: 0 ends the message right after the head', () => {
    expect(parse('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n')).toEqual([
      head({ contentLength: 0 }),
      end(),
    ]);
  });

  test('chunked body with extensions, upper-case hex, leading zeros and trailers', () => {
    const input =
      'POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n' +
      'A;name=value;quoted="a b"\r\n0123456789\r\n' +
      '000000000000f \t; x\r\n0123456789abcde\r\n' +
      '0\r\nX-Checksum: abc\r\nServer-Timing: db;dur=53\r\n\r\n';
    expect(parse(input)).toEqual([
      head({ chunked: true }),
      body('01234567890123456789abcde'),
      end(['X-Checksum', 'abc', 'Server-Timing', 'db;dur=53']),
    ]);
  });

  test('framing fields in trailers are reported but never change framing', () => {
    const input =
      'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '2\r\nok\r\n0\r\nContent-Length: 100\r\nTransfer-Encoding: gzip\r\n\r\n' +
      'GET /next HTTP/1.1\r\nHost: a\r\n\r\n';
    expect(parse(input)).toEqual([
      head({ chunked: true }),
      body('ok'),
      end(['Content-Length', '100', 'Transfer-Encoding', 'gzip']),
      head({ target: '/next' }),
      end(),
    ]);
  });

  test('final coding chunked after another coding is accepted (gzip, chunked)', () => {
    expect(
      parse(
        'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip , Chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n',
      ),
    ).toEqual([head({ chunked: true }), body('x'), end()]);
  });

  test('empty lines before a request line are ignored (RFC 9112 §2.2)', () => {
    expect(
      parse('\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n'),
    ).toEqual([head({ target: '/' }), end(), head({ target: '/b' }), end()]);
  });

  test('HTTP/1.1 is keep-alive unless Connection: close', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE\r\n\r\n')).toEqual([
      head({ keepAlive: false }),
      end(),
    ]);
  });

  test('HTTP/1.0 closes unless Connection: keep-alive, and needs no Host', () => {
    expect(
      parse('GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\nConnection: foo, keep-alive\r\n\r\n'),
    ).toEqual([
      head({ versionMinor: 0, keepAlive: false }),
      end(),
      head({ versionMinor: 0, keepAlive: true }),
      end(),
    ]);
  });

  test('Expect: 100-continue is reported on HTTP/1.1 and ignored on HTTP/1.0', () => {
    const input =
      'PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx' +
      'PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\ny';
    expect(parse(input)).toEqual([
      head({ expectContinue: true }),
      body('x'),
      end(),
      head({ expectContinue: false }),
      body('y'),
      end(),
    ]);
  });

  test('field values: OWS trimmed, inner spaces, HTAB and obs-text kept, empty allowed', () => {
    const input =
      'GET / HTTP/1.1\r\nHost: a\r\nX-A: \t a \t b \t\r\nX-B:\r\nX-C:caf\xe9\r\nX-D:  \r\n\r\n';
    expect(parse(input)).toEqual([
      head({ headers: ['Host', 'a', 'X-A', 'a \t b', 'X-B', '', 'X-C', 'caf\xe9', 'X-D', ''] }),
      end(),
    ]);
  });

  test('__proto__ and constructor are ordinary header names', () => {
    const parser = new RequestParser();
    const { events } = parser.execute(
      encode(
        'GET / HTTP/1.1\r\nHost: a\r\n__proto__: x\r\nconstructor: y\r\nConstructor: z\r\n\r\n',
      ),
    );
    const first = events[0];
    if (first?.kind !== 'head') throw new Error('no head');
    expect(first.head.headers.get('__PROTO__')).toBe('x');
    expect(first.head.headers.getAll('constructor')).toEqual(['y', 'z']);
    expect(first.head.headers.get('CONSTRUCTOR')).toBe('y, z');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  test('identical duplicate Content-Length fields and lists are one length', () => {
    expect(
      parse('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3, 003\r\n\r\nabc'),
    ).toEqual([head({ contentLength: 3 }), body('abc'), end()]);
  });

  test('Content-Length up to 2^53-1 is accepted', () => {
    const parser = new RequestParser();
    const input = encode(
      'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9007199254740991\r\n\r\nab',
    );
    const { events } = parser.execute(input);
    expect(events).toMatchObject([
      { kind: 'head', head: { contentLength: 9007199254740991 } },
      { kind: 'body', data: encode('ab') },
    ]);
    expect(() => parser.finish()).toThrow(
      expect.objectContaining({ code: 'HPE_INVALID_EOF_STATE', offset: input.length }),
    );
  });

  test('method tokens are taken as received (extension and lower-case methods)', () => {
    expect(
      parse('M-SEARCH /x HTTP/1.1\r\nHost: a\r\n\r\nget / HTTP/1.1\r\nHost: a\r\n\r\n'),
    ).toEqual([head({ method: 'M-SEARCH', target: '/x' }), end(), head({ method: 'get' }), end()]);
  });

  test('OPTIONS * (asterisk-form) and absolute-form targets', () => {
    expect(
      parse(
        'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nGET http://mirror.example.org:8080/x?y HTTP/1.1\r\nHost: b\r\n\r\n',
      ),
    ).toEqual([
      head({ method: 'OPTIONS', target: '*' }),
      end(),
      head({ target: 'http://mirror.example.org:8080/x?y' }),
      end(),
    ]);
  });

  test('Host forms: name with port, IPv6 literal, empty value', () => {
    expect(
      parse(
        'GET / HTTP/1.1\r\nHost: a.example:8080\r\n\r\nGET / HTTP/1.1\r\nHost: [::1]:80\r\n\r\nGET / HTTP/1.1\r\nHost:\r\n\r\n',
      ),
    ).toEqual([head({}), end(), head({}), end(), head({}), end()]);
  });

  test('CONNECT (authority-form) stops after the head: the rest is tunnel data', () => {
    expect(
      parse(
        'CONNECT mirror.example.org:443 HTTP/1.1\r\nHost: mirror.example.org:443\r\n\r\n\x16\x03\x01',
      ),
    ).toEqual([
      head({ method: 'CONNECT', target: 'mirror.example.org:443', upgrade: true }),
      end(),
      { kind: 'upgraded', rest: '\x16\x03\x01' },
    ]);
  });

  test('Upgrade with Connection: upgrade stops after the message, body included', () => {
    const input =
      'POST /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 2\r\n\r\nhi\x81\x05hello';
    expect(parse(input)).toEqual([
      head({ upgrade: true, contentLength: 2 }),
      body('hi'),
      end(),
      { kind: 'upgraded', rest: '\x81\x05hello' },
    ]);
  });

  test('Upgrade without Connection: upgrade is not an upgrade', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n')).toEqual([
      head({ upgrade: false }),
      end(),
    ]);
  });
});

describe('RequestParser: API behaviour', () => {
  test('a stopped parser returns consumed < length and nothing more until resumed', () => {
    const parser = new RequestParser();
    const input = encode(
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n',
    );
    const first = parser.execute(input);
    const stop = at(Buffer.from(input).toString('latin1'), 'GET /2');
    expect(first.consumed).toBe(stop);
    expect(parser.upgraded).toBe(true);
    expect(parser.execute(input.subarray(stop))).toEqual({ consumed: 0, events: [] });
    // The server declined the upgrade: the same bytes are parsed as the next request.
    parser.resumeAfterUpgrade();
    const next = parser.execute(input.subarray(stop));
    expect(next.consumed).toBe(input.length - stop);
    expect(next.events.map((e) => e.kind)).toEqual(['head', 'end']);
  });

  test('body events are views into the chunk passed to execute', () => {
    const parser = new RequestParser();
    const chunk = encode('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nwxyz');
    const bodyEvent = parser.execute(chunk).events[1];
    if (bodyEvent?.kind !== 'body') throw new Error('no body');
    expect(bodyEvent.data.buffer).toBe(chunk.buffer);
    expect(bodyEvent.data.byteOffset).toBe(chunk.byteOffset + chunk.length - 4);
    chunk[chunk.length - 1] = 0x21;
    expect(bodyEvent.data[3]).toBe(0x21);
  });

  test('complete messages before bad input are returned; the next call throws', () => {
    const parser = new RequestParser();
    const good = 'GET /ok HTTP/1.1\r\nHost: a\r\n\r\n';
    const input = encode(`${good}BAD\x00 / HTTP/1.1\r\n\r\n`);
    const result = parser.execute(input);
    expect(result.consumed).toBe(good.length);
    expect(result.events.map((e) => e.kind)).toEqual(['head', 'end']);
    expect(() => parser.execute(input.subarray(result.consumed))).toThrow(
      expect.objectContaining({ code: 'HPE_INVALID_METHOD', offset: good.length + 3 }),
    );
  });

  test('a failed parser keeps throwing the same error', () => {
    const parser = new RequestParser();
    let first: unknown;
    try {
      parser.execute(encode('GET / HTTP/1.1\r\nHo st: a\r\n\r\n'));
    } catch (err) {
      first = err;
    }
    expect(first).toBeInstanceOf(HttpParseError);
    expect(() => parser.execute(encode('GET / HTTP/1.1\r\n'))).toThrow(first as Error);
    expect(() => parser.finish()).toThrow(first as Error);
  });

  test('finish between messages is clean; execute after finish is an error', () => {
    const parser = new RequestParser();
    parser.execute(encode('GET / HTTP/1.1\r\nHost: a\r\n\r\n'));
    expect(parser.finish()).toEqual({ consumed: 0, events: [] });
    expect(() => parser.execute(encode('GET'))).toThrow(
      expect.objectContaining({ code: 'HPE_CLOSED_CONNECTION', offset: 27 }),
    );
  });

  test('finish in the middle of a head: HPE_INVALID_EOF_STATE at the end of the stream', () => {
    const input = 'GET / HTTP/1.1\r\nHost: a\r\n';
    expect(parseError(requestParser(), input)).toEqual({
      kind: 'error',
      code: 'HPE_INVALID_EOF_STATE',
      offset: input.length,
      status: 400,
    });
  });

  test('finish in the middle of a Content-Length body: HPE_INVALID_EOF_STATE', () => {
    const input = 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc';
    expect(parseError(requestParser(), input)).toMatchObject({
      code: 'HPE_INVALID_EOF_STATE',
      offset: input.length,
    });
  });

  test('finish in the middle of a chunked body: HPE_INVALID_EOF_STATE', () => {
    const input = 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab';
    expect(parseError(requestParser(), input)).toMatchObject({
      code: 'HPE_INVALID_EOF_STATE',
      offset: input.length,
    });
  });

  test('limits must be positive integers', () => {
    expect(() => new RequestParser({ maxHeaderCount: 0 })).toThrow(
      expect.objectContaining({ code: 'LB_WIRE_INVALID_ARG' }),
    );
    expect(() => new RequestParser({ maxHeaderBytes: 1.5 })).toThrow(
      expect.objectContaining({ code: 'LB_WIRE_INVALID_ARG' }),
    );
  });
});

const H = 'GET / HTTP/1.1\r\nHost: a\r\n';
const P = 'POST / HTTP/1.1\r\nHost: a\r\n';
const CHUNKED = `${P}Transfer-Encoding: chunked\r\n\r\n`;

/** [description, input, code, offset (a number, or the text found there: [text, nth]), status] */
type Rejection = [string, string, string, number | string | [string, number], number?];

const rejections: Rejection[] = [
  // Framing conflicts and Transfer-Encoding.
  [
    'Content-Length then Transfer-Encoding',
    `${P}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`,
    'HPE_UNEXPECTED_CONTENT_LENGTH',
    'Transfer-Encoding',
  ],
  [
    'Transfer-Encoding then Content-Length',
    `${P}Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n`,
    'HPE_UNEXPECTED_CONTENT_LENGTH',
    'Content-Length',
  ],
  [
    'final coding not chunked: gzip',
    `${P}Transfer-Encoding: gzip\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'gzip',
  ],
  [
    'final coding not chunked: chunked, gzip',
    `${P}Transfer-Encoding: chunked, gzip\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'chunked, gzip',
  ],
  [
    'chunked twice in one field',
    `${P}Transfer-Encoding: chunked, chunked\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'chunked, chunked',
  ],
  [
    'duplicated Transfer-Encoding fields',
    `${P}Transfer-Encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'transfer-encoding',
  ],
  [
    'folded Transfer-Encoding',
    `${P}Transfer-Encoding: gzip,\r\n chunked\r\n\r\n`,
    'HPE_INVALID_HEADER_TOKEN',
    ' chunked',
  ],
  [
    'Transfer-Encoding on HTTP/1.0',
    'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n',
    'HPE_INVALID_TRANSFER_ENCODING',
    'Transfer-Encoding',
  ],
  [
    'empty Transfer-Encoding',
    `${P}Transfer-Encoding: \r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    '\r\n\r\n',
  ],
  [
    'empty element in Transfer-Encoding',
    `${P}Transfer-Encoding: , chunked\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    ', chunked',
  ],
  [
    'Transfer-Encoding with parameters',
    `${P}Transfer-Encoding: chunked;q=1\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    ';q=1',
  ],
  // Content-Length values.
  ['Content-Length ""', `${P}Content-Length: \r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', '\r\n\r\n'],
  ['Content-Length +5', `${P}Content-Length: +5\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', '+5'],
  ['Content-Length -1', `${P}Content-Length: -1\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', '-1'],
  ['Content-Length 0x5', `${P}Content-Length: 0x5\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', 'x5'],
  ['Content-Length 1e1', `${P}Content-Length: 1e1\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', 'e1'],
  ['Content-Length 5.0', `${P}Content-Length: 5.0\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', '.0'],
  ['Content-Length 1 2', `${P}Content-Length: 1 2\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', '2\r\n'],
  [
    'Content-Length differing duplicate fields',
    `${P}Content-Length: 5\r\nContent-Length: 6\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    '6',
  ],
  [
    'Content-Length differing list elements',
    `${P}Content-Length: 5, 6\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    '6',
  ],
  [
    'Content-Length empty list element',
    `${P}Content-Length: 5,,5\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    ',5\r\n',
  ],
  [
    'Content-Length 2^53',
    `${P}Content-Length: 9007199254740992\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    '2\r\n',
  ],
  [
    'Content-Length 20 digits',
    `${P}Content-Length: 12345678901234567890\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    '7890\r\n',
  ],
  // Field syntax.
  [
    'whitespace between field name and colon',
    `${H}Foo : bar\r\n\r\n`,
    'HPE_INVALID_HEADER_TOKEN',
    ' : bar',
  ],
  [
    'tab between field name and colon',
    `${H}Foo\t: bar\r\n\r\n`,
    'HPE_INVALID_HEADER_TOKEN',
    '\t: bar',
  ],
  ['obs-fold in a request', `${H}X-A: a\r\n b\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', ' b'],
  [
    'obs-fold with HTAB in a request',
    `${H}X-A: a\r\n\tb\r\n\r\n`,
    'HPE_INVALID_HEADER_TOKEN',
    '\tb',
  ],
  [
    'whitespace before the first field line',
    'GET / HTTP/1.1\r\n Host: a\r\n\r\n',
    'HPE_INVALID_HEADER_TOKEN',
    ' Host',
  ],
  ['empty field name', `${H}: value\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', ': value'],
  ['field line without colon', `${H}NoColon\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\r\n\r\n'],
  ['( in a field name', `${H}Fo(o: a\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '(o'],
  ['NUL in a field name', `${H}Fo\x00o: a\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\x00'],
  ['obs-text in a field name', `${H}F\xf6o: a\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\xf6'],
  ['NUL in a field value', `${H}X-A: a\x00b\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\x00'],
  ['SOH in a field value', `${H}X-A: a\x01b\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\x01'],
  ['ESC in a field value', `${H}X-A: a\x1bb\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\x1b'],
  ['DEL in a field value', `${H}X-A: a\x7fb\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\x7f'],
  // Line endings.
  ['bare LF ending the request line', 'GET / HTTP/1.1\nHost: a\r\n\r\n', 'HPE_CR_EXPECTED', '\n'],
  ['bare LF ending a field line', 'GET / HTTP/1.1\r\nHost: a\n\r\n', 'HPE_CR_EXPECTED', '\n\r\n'],
  ['bare LF ending the head', `${H}\n`, 'HPE_CR_EXPECTED', H.length],
  ['bare LF inside a field value', `${H}X-A: a\nb\r\n\r\n`, 'HPE_CR_EXPECTED', '\nb'],
  ['bare CR inside a field value', `${H}X-A: a\rb\r\n\r\n`, 'HPE_LF_EXPECTED', 'b\r\n'],
  ['bare CR ending the request line', 'GET / HTTP/1.1\rHost: a\r\n\r\n', 'HPE_LF_EXPECTED', 'Host'],
  ['bare CR inside a field name', `${H}Ho\rst: a\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', '\rst'],
  ['\\r\\n\\rX at the end of a head', `${H}\rX`, 'HPE_LF_EXPECTED', 'X'],
  ['CR not followed by LF before the request line', '\rGET / HTTP/1.1\r\n', 'HPE_LF_EXPECTED', 'G'],
  // Methods.
  ['( in a method', 'G(ET / HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_METHOD', '('],
  ['tab after a method', 'GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_METHOD', '\t'],
  ['empty method', ' / HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_METHOD', 0],
  ['NUL in a method', 'GE\x00T / HTTP/1.1\r\n\r\n', 'HPE_INVALID_METHOD', '\x00'],
  ['TLS handshake instead of HTTP', '\x16\x03\x01\x02\x00\x01\x00\x01', 'HPE_INVALID_METHOD', 0],
  // Request targets.
  ['tab in the target', 'GET /a\tb HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_URL', '\t'],
  ['NUL in the target', 'GET /a\x00b HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_URL', '\x00'],
  ['DEL in the target', 'GET /a\x7fb HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_URL', '\x7f'],
  [
    'two spaces before the target (empty target)',
    'GET  / HTTP/1.1\r\nHost: a\r\n\r\n',
    'HPE_INVALID_URL',
    ' / ',
  ],
  [
    'space inside the target',
    'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n',
    'HPE_INVALID_VERSION',
    'b HTTP',
  ],
  ['request line without version', 'GET /\r\nHost: a\r\n\r\n', 'HPE_INVALID_VERSION', '\r\n'],
  ['asterisk-form on GET', 'GET * HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_URL', '*'],
  [
    'asterisk-form with more bytes',
    'OPTIONS *x HTTP/1.1\r\nHost: a\r\n\r\n',
    'HPE_INVALID_URL',
    'x HTTP',
  ],
  ['origin-form on CONNECT', 'CONNECT /x HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_URL', '/x'],
  [
    'CONNECT without port',
    'CONNECT example.org HTTP/1.1\r\nHost: a\r\n\r\n',
    'HPE_INVALID_URL',
    ' HTTP',
  ],
  [
    'authority-form on GET',
    'GET example.org:80 HTTP/1.1\r\nHost: a\r\n\r\n',
    'HPE_INVALID_URL',
    '80',
  ],
  ['relative target', 'GET example.org/x HTTP/1.1\r\nHost: a\r\n\r\n', 'HPE_INVALID_URL', '/x'],
  // Versions.
  ['HTTP/1.10', 'GET / HTTP/1.10\r\nHost: a\r\n\r\n', 'HPE_INVALID_VERSION', '0\r\n', 400],
  [
    'HTTP/9.9 (well-formed, unsupported)',
    'GET / HTTP/9.9\r\nHost: a\r\n\r\n',
    'HPE_INVALID_VERSION',
    'HTTP',
    505,
  ],
  [
    'HTTP/2.0 (well-formed, unsupported)',
    'GET / HTTP/2.0\r\nHost: a\r\n\r\n',
    'HPE_INVALID_VERSION',
    'HTTP',
    505,
  ],
  [
    'HTTP/1.2 (well-formed, unsupported)',
    'GET / HTTP/1.2\r\nHost: a\r\n\r\n',
    'HPE_INVALID_VERSION',
    'HTTP',
    505,
  ],
  [
    'http/1.1 (lower case)',
    'GET / http/1.1\r\nHost: a\r\n\r\n',
    'HPE_INVALID_VERSION',
    'http',
    400,
  ],
  ['HTTP/1 (no minor)', 'GET / HTTP/1\r\nHost: a\r\n\r\n', 'HPE_INVALID_VERSION', '\r\nHost', 400],
  [
    'space after the version',
    'GET / HTTP/1.1 \r\nHost: a\r\n\r\n',
    'HPE_INVALID_VERSION',
    ' \r\n',
    400,
  ],
  // Host.
  [
    'HTTP/1.1 without Host (at the empty line)',
    'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n',
    'HPE_INVALID_HOST',
    29,
    400,
  ],
  ['two Host fields', `${H}host: b\r\n\r\n`, 'HPE_INVALID_HOST', 'host: b', 400],
  [
    'two Host fields on HTTP/1.0',
    'GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n',
    'HPE_INVALID_HOST',
    'Host: a\r\n\r\n',
  ],
  ['space inside Host', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', 'HPE_INVALID_HOST', ' b'],
  ['path in Host', 'GET / HTTP/1.1\r\nHost: a/b\r\n\r\n', 'HPE_INVALID_HOST', '/b'],
  ['userinfo in Host', 'GET / HTTP/1.1\r\nHost: user@a\r\n\r\n', 'HPE_INVALID_HOST', '@a'],
  ['non-numeric port in Host', 'GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n', 'HPE_INVALID_HOST', 'o\r\n'],
  // Chunked framing.
  ['chunk size 0x5', `${CHUNKED}0x5\r\nhello\r\n0\r\n\r\n`, 'HPE_INVALID_CHUNK_SIZE', 'x5'],
  [
    'chunk size with leading space',
    `${CHUNKED} 5\r\nhello\r\n0\r\n\r\n`,
    'HPE_INVALID_CHUNK_SIZE',
    ' 5',
  ],
  [
    'chunk size with trailing space',
    `${CHUNKED}5 \r\nhello\r\n0\r\n\r\n`,
    'HPE_INVALID_CHUNK_SIZE',
    '\r\nhello',
  ],
  ['empty chunk size', `${CHUNKED}\r\nhello\r\n0\r\n\r\n`, 'HPE_INVALID_CHUNK_SIZE', '\r\nhello'],
  ['negative chunk size', `${CHUNKED}-5\r\nhello\r\n0\r\n\r\n`, 'HPE_INVALID_CHUNK_SIZE', '-5'],
  [
    'chunk size of 14 hex digits',
    `${CHUNKED}00000000000005\r\nhello\r\n0\r\n\r\n`,
    'HPE_INVALID_CHUNK_SIZE',
    '5\r\nhello',
  ],
  ['bare LF after a chunk size', `${CHUNKED}5\nhello\r\n0\r\n\r\n`, 'HPE_CR_EXPECTED', '\nhello'],
  ['bare CR after a chunk size', `${CHUNKED}5\rhello\r\n0\r\n\r\n`, 'HPE_LF_EXPECTED', 'hello'],
  ['chunk data not followed by CRLF', `${CHUNKED}5\r\nhelloX\r\n0\r\n\r\n`, 'HPE_CR_EXPECTED', 'X'],
  [
    'chunk data longer than its size',
    `${CHUNKED}3\r\nhello\r\n0\r\n\r\n`,
    'HPE_CR_EXPECTED',
    'lo\r\n',
  ],
  ['bare LF after chunk data', `${CHUNKED}5\r\nhello\n0\r\n\r\n`, 'HPE_CR_EXPECTED', '\n0'],
  ['bare CR after chunk data', `${CHUNKED}5\r\nhello\r0\r\n\r\n`, 'HPE_LF_EXPECTED', '0\r\n'],
  [
    'bare LF in a chunk extension',
    `${CHUNKED}5;a\nhello\r\n0\r\n\r\n`,
    'HPE_CR_EXPECTED',
    '\nhello',
  ],
  [
    'NUL in a chunk extension',
    `${CHUNKED}5;a\x00\r\nhello\r\n0\r\n\r\n`,
    'HPE_INVALID_CHUNK_SIZE',
    '\x00',
  ],
  [
    'bare LF in the trailer section',
    `${CHUNKED}0\r\nX-T: 1\n\r\n`,
    'HPE_CR_EXPECTED',
    ['\n\r\n', 1],
  ],
  [
    'bare LF ending the trailer section',
    `${CHUNKED}0\r\n\n`,
    'HPE_CR_EXPECTED',
    CHUNKED.length + 3,
  ],
  [
    'obs-fold in the trailer section',
    `${CHUNKED}0\r\nX-T: 1\r\n 2\r\n\r\n`,
    'HPE_INVALID_HEADER_TOKEN',
    ' 2',
  ],
];

describe('RequestParser: rejected input (same code and offset at every split size)', () => {
  test.each(rejections)('%s', (_name, input, code, where, status = 400) => {
    const offset =
      typeof where === 'number'
        ? where
        : typeof where === 'string'
          ? at(input, where)
          : at(input, where[0], where[1]);
    expect(parseError(requestParser(), input)).toEqual({ kind: 'error', code, offset, status });
  });
  test('every byte at every position of a long field name: tchar kept, anything else rejected there', () => {
    // Names are scanned four bytes per step in one whole chunk: each alignment of the odd byte.
    // (A first byte that is not tchar is the field-start state's: an end of head, a fold.)
    const prefix = Buffer.from('GET / HTTP/1.1\r\nHost: h\r\n', 'latin1');
    const suffix = Buffer.from(': v\r\n\r\n', 'latin1');
    for (let byte = 0; byte < 256; byte++) {
      if (byte === 0x3a) continue; // a colon just ends the name earlier
      for (let position = 1; position < 24; position++) {
        const name = Buffer.alloc(24, 0x61);
        name[position] = byte;
        const parser = new RequestParser();
        const parse = () => parser.execute(Buffer.concat([prefix, name, suffix]));
        if (TCHAR[byte] === 1) {
          expect(parse().events[0]).toMatchObject({ kind: 'head' });
        } else {
          expect(parse).toThrow(
            expect.objectContaining({
              code: 'HPE_INVALID_HEADER_TOKEN',
              offset: prefix.length + position,
            }),
          );
        }
      }
    }
  });
});
