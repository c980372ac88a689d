import { describe, expect, test } from 'vitest';
import { ResponseParser } from '../src/response-parser.js';
import {
  at,
  body,
  encode,
  end,
  head,
  parseError,
  responseParser,
  transcribeAllSplits,
} from './parse-transcript.js';

const parse = (methods: string[], input: string) =>
  transcribeAllSplits(responseParser(methods), input).entries;

describe('ResponseParser: accepted responses (each replayed at every split size)', () => {
  test('200 with Content-Length: status line, headers, body', () => {
    expect(
      parse(['GET'], 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nETag: "x"\r\n\r\nhello'),
    ).toEqual([
      {
        kind: 'head',
        head: {
          statusCode: 200,
          reason: 'OK',
          versionMajor: 1,
          versionMinor: 1,
          headers: ['Content-Length', '5', 'ETag', '"x"'],
          keepAlive: true,
          contentLength: 5,
          chunked: false,
        },
      },
      body('hello'),
      end(),
    ]);
  });

  test('chunked body with trailers', () => {
    expect(
      parse(
        ['GET'],
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n5;e=1\r\npedia\r\n0\r\nExpires: never\r\n\r\n',
      ),
    ).toEqual([
      head({ chunked: true, contentLength: null, keepAlive: true }),
      body('Wikipedia'),
      end(['Expires', 'never']),
    ]);
  });

  test('no Content-Length and no Transfer-Encoding: the body runs until finish()', () => {
    expect(parse(['GET'], 'HTTP/1.1 200 OK\r\nServer: x\r\n\r\nall of\r\nthis')).toEqual([
      head({ keepAlive: false, contentLength: null, chunked: false }),
      body('all of\r\nthis'),
      end(),
    ]);
  });

  test('Transfer-Encoding not ending in chunked: close-delimited (RFC 9112 §6.3)', () => {
    expect(
      parse(['GET'], 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b\x08rest'),
    ).toEqual([head({ keepAlive: false, chunked: false }), body('\x1f\x8b\x08rest'), end()]);
  });

  test('HEAD: Content-Length is reported, no body follows', () => {
    expect(
      parse(
        ['HEAD', 'GET'],
        'HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
      ),
    ).toEqual([
      head({ contentLength: 1234, keepAlive: true }),
      end(),
      head({ contentLength: 2 }),
      body('ok'),
      end(),
    ]);
  });

  test('HEAD with Transfer-Encoding: chunked has no body', () => {
    expect(parse(['HEAD'], 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n')).toEqual([
      head({ chunked: false, keepAlive: true }),
      end(),
    ]);
  });

  test('204 and 304 have no body even with Content-Length', () => {
    expect(
      parse(
        ['DELETE', 'GET'],
        'HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n',
      ),
    ).toEqual([
      head({ statusCode: 204 }),
      end(),
      head({ statusCode: 304, contentLength: 99 }),
      end(),
    ]);
  });

  test('100 Continue and 103 Early Hints come out before the final response', () => {
    expect(
      parse(
        ['PUT'],
        'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n',
      ),
    ).toEqual([
      head({ statusCode: 100, reason: 'Continue' }),
      end(),
      head({ statusCode: 103, headers: ['Link', '</s.css>; rel=preload'] }),
      end(),
      head({ statusCode: 201 }),
      end(),
    ]);
  });

  test('101 Switching Protocols stops the parser: the rest is the new protocol', () => {
    expect(
      parse(
        ['GET'],
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x02hi',
      ),
    ).toEqual([
      head({ statusCode: 101, keepAlive: false }),
      end(),
      { kind: 'upgraded', rest: '\x81\x02hi' },
    ]);
  });

  test('2xx to CONNECT starts the tunnel; a refusal has an ordinary body', () => {
    expect(parse(['CONNECT'], 'HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03')).toEqual([
      head({ statusCode: 200 }),
      end(),
      { kind: 'upgraded', rest: '\x16\x03' },
    ]);
    expect(parse(['CONNECT'], 'HTTP/1.1 407 Proxy Auth\r\nContent-Length: 2\r\n\r\nno')).toEqual([
      head({ statusCode: 407 }),
      body('no'),
      end(),
    ]);
  });

  test('status line without reason (HTTP/1.1 200) and with an empty reason', () => {
    expect(
      parse(
        ['GET', 'GET'],
        'HTTP/1.1 200\r\nContent-Length: 0\r\n\r\nHTTP/1.1 404 \r\nContent-Length: 0\r\n\r\n',
      ),
    ).toEqual([
      head({ statusCode: 200, reason: '' }),
      end(),
      head({ statusCode: 404, reason: '' }),
      end(),
    ]);
  });

  test('reason phrase keeps HTAB, spaces and obs-text', () => {
    expect(parse(['GET'], 'HTTP/1.1 200 Tr\xe8s\tbien  ok\r\nContent-Length: 0\r\n\r\n')).toEqual([
      head({ reason: 'Tr\xe8s\tbien  ok' }),
      end(),
    ]);
  });

  test('obs-fold in a response is replaced by a single space', () => {
    expect(
      parse(
        ['GET'],
        'HTTP/1.1 200 OK\r\nX-Long: first  \r\n \t second\r\n\tthird\r\nX-Empty:\r\n  only\r\nContent-Length: 0\r\n\r\n',
      ),
    ).toEqual([
      head({ headers: ['X-Long', 'first second third', 'X-Empty', 'only', 'Content-Length', '0'] }),
      end(),
    ]);
  });

  test('HTTP/1.0: close unless keep-alive', () => {
    expect(
      parse(
        ['GET', 'GET'],
        'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\naHTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nb',
      ),
    ).toEqual([
      head({ versionMinor: 0, keepAlive: true }),
      body('a'),
      end(),
      head({ versionMinor: 0, keepAlive: false }),
      body('b'),
      end(),
    ]);
  });

  test('Connection: close on HTTP/1.1', () => {
    expect(
      parse(['GET'], 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx'),
    ).toEqual([head({ keepAlive: false }), body('x'), end()]);
  });

  test('pipelined responses follow the queue of request methods', () => {
    expect(
      parse(
        ['GET', 'HEAD', 'GET'],
        'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na' +
          'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' +
          'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nc\r\n0\r\n\r\n',
      ),
    ).toEqual([
      head({ contentLength: 1 }),
      body('a'),
      end(),
      head({ contentLength: 10 }),
      end(),
      head({ chunked: true }),
      body('c'),
      end(),
    ]);
  });

  test('status codes 100 and 599 are the bounds', () => {
    expect(parse(['GET'], 'HTTP/1.1 599 Odd\r\nContent-Length: 0\r\n\r\n')).toEqual([
      head({ statusCode: 599 }),
      end(),
    ]);
  });
});

describe('ResponseParser: API behaviour', () => {
  test('finish() ends a close-delimited body', () => {
    const parser = new ResponseParser();
    parser.expectResponseTo('GET');
    const first = parser.execute(encode('HTTP/1.1 200 OK\r\n\r\nabc'));
    expect(first.events.map((e) => e.kind)).toEqual(['head', 'body']);
    expect(parser.finish()).toEqual({ consumed: 0, events: [{ kind: 'end', trailers: null }] });
  });

  test('finish() in the middle of a Content-Length body: HPE_INVALID_EOF_STATE, 502', () => {
    const input = 'HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc';
    expect(parseError(responseParser(['GET']), input)).toEqual({
      kind: 'error',
      code: 'HPE_INVALID_EOF_STATE',
      offset: input.length,
      status: 502,
    });
  });

  test('body views point into the chunk', () => {
    const parser = new ResponseParser();
    parser.expectResponseTo('GET');
    const chunk = encode('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc');
    const event = parser.execute(chunk).events[1];
    if (event?.kind !== 'body') throw new Error('no body');
    expect(event.data.buffer).toBe(chunk.buffer);
    expect(event.data.byteOffset - chunk.byteOffset).toBe(chunk.length - 3);
  });
});

const OK = 'HTTP/1.1 200 OK\r\n';

/** [description, input, code, offset (a number, or the text found there), occurrence] */
type Rejection = [string, string, string, number | string, number?];

const rejections: Rejection[] = [
  ['two-digit status code', 'HTTP/1.1 20 OK\r\n\r\n', 'HPE_INVALID_STATUS', ' OK'],
  ['four-digit status code', 'HTTP/1.1 2000 OK\r\n\r\n', 'HPE_INVALID_STATUS', '0 OK'],
  ['status code below 100', 'HTTP/1.1 099 Odd\r\n\r\n', 'HPE_INVALID_STATUS', '099'],
  ['status code above 599', 'HTTP/1.1 600 Odd\r\n\r\n', 'HPE_INVALID_STATUS', '600'],
  ['letters as status code', 'HTTP/1.1 abc\r\n\r\n', 'HPE_INVALID_STATUS', 'abc'],
  ['two spaces before the status code', 'HTTP/1.1  200 OK\r\n\r\n', 'HPE_INVALID_STATUS', ' 200'],
  ['NUL in the reason phrase', 'HTTP/1.1 200 O\x00K\r\n\r\n', 'HPE_INVALID_STATUS', '\x00'],
  ['bare LF after the status line', 'HTTP/1.1 200 OK\n\r\n', 'HPE_CR_EXPECTED', '\n'],
  ['bare LF after the status code', 'HTTP/1.1 200\n\r\n', 'HPE_CR_EXPECTED', '\n'],
  ['HTTP/1.10', 'HTTP/1.10 200 OK\r\n\r\n', 'HPE_INVALID_VERSION', '0 200'],
  ['HTTP/2.0', 'HTTP/2.0 200 OK\r\n\r\n', 'HPE_INVALID_VERSION', 0],
  ['HTTP/9.9', 'HTTP/9.9 200 OK\r\n\r\n', 'HPE_INVALID_VERSION', 0],
  ['http/1.1', 'http/1.1 200 OK\r\n\r\n', 'HPE_INVALID_VERSION', 0],
  ['HTTP/2 (no minor)', 'HTTP/2 200 OK\r\n\r\n', 'HPE_INVALID_VERSION', ' 200'],
  [
    'Content-Length with Transfer-Encoding',
    `${OK}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n`,
    'HPE_UNEXPECTED_CONTENT_LENGTH',
    'Transfer-Encoding',
  ],
  [
    'duplicated Transfer-Encoding',
    `${OK}Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'Transfer-Encoding: chunked',
  ],
  [
    'folded Transfer-Encoding',
    `${OK}Transfer-Encoding: gzip,\r\n chunked\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'gzip',
  ],
  [
    'chunked not last in Transfer-Encoding',
    `${OK}Transfer-Encoding: chunked, gzip\r\n\r\n`,
    'HPE_INVALID_TRANSFER_ENCODING',
    'chunked, gzip',
  ],
  [
    'Transfer-Encoding on HTTP/1.0',
    'HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n',
    'HPE_INVALID_TRANSFER_ENCODING',
    'Transfer-Encoding',
  ],
  [
    'folded Content-Length',
    `${OK}Content-Length:\r\n 5\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    '\r\n 5',
  ],
  [
    'differing Content-Length',
    `${OK}Content-Length: 5\r\nContent-Length: 7\r\n\r\n`,
    'HPE_INVALID_CONTENT_LENGTH',
    '7',
  ],
  ['Content-Length -1', `${OK}Content-Length: -1\r\n\r\n`, 'HPE_INVALID_CONTENT_LENGTH', '-1'],
  ['obs-fold before the first field', `${OK} X: y\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', ' X'],
  ['space before the colon', `${OK}Server : x\r\n\r\n`, 'HPE_INVALID_HEADER_TOKEN', ' : x'],
  ['bare CR in a field value', `${OK}Server: a\rb\r\n\r\n`, 'HPE_LF_EXPECTED', 'b\r\n'],
  [
    'chunk data not followed by CRLF',
    `${OK}Transfer-Encoding: chunked\r\n\r\n2\r\nabc`,
    'HPE_CR_EXPECTED',
    `${OK}Transfer-Encoding: chunked\r\n\r\n2\r\nab`.length,
  ],
];

describe('ResponseParser: rejected input (same code and offset at every split size, 502)', () => {
  test.each(rejections)('%s', (_name, input, code, where, occurrence = 0) => {
    const offset = typeof where === 'number' ? where : at(input, where, occurrence);
    expect(parseError(responseParser(['GET']), input)).toEqual({
      kind: 'error',
      code,
      offset,
      status: 502,
    });
  });

  test('a response while no request is outstanding', () => {
    const input = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n';
    expect(parseError(responseParser(['GET']), input)).toEqual({
      kind: 'error',
      code: 'HPE_UNEXPECTED_RESPONSE',
      offset: at(input, 'HTTP', 1),
      status: 502,
    });
  });

  test('a response before any request', () => {
    expect(parseError(responseParser([]), 'HTTP/1.1 200 OK\r\n\r\n')).toMatchObject({
      code: 'HPE_UNEXPECTED_RESPONSE',
      offset: 0,
    });
  });
});
