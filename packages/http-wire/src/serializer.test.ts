import { describe, expect, test } from 'vitest';
import {
  InvalidArgumentError,
  InvalidHeaderError,
  InvalidRequestLineError,
  InvalidStatusError,
} from './errors.js';
import {
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

const latin1 = (buffer: Buffer) => buffer.toString('latin1');

describe('serializeResponseHead', () => {
  test('writes a 301 with the default reason and headers in order', () => {
    const head = serializeResponseHead({
      statusCode: 301,
      headers: [
        ['Location', 'http://mirror-2:8080/big.iso'],
        ['Content-Length', 0],
      ],
    });
    expect(latin1(head)).toBe(
      'HTTP/1.1 301 Moved Permanently\r\nLocation: http://mirror-2:8080/big.iso\r\nContent-Length: 0\r\n\r\n',
    );
  });

  test('uses a custom reason, HTTP/1.0, and a record with repeated values', () => {
    const head = serializeResponseHead({
      statusCode: 200,
      reason: 'Fine',
      version: '1.0',
      headers: { 'Set-Cookie': ['a=1', 'b=2'], 'Content-Length': 3 },
    });
    expect(latin1(head)).toBe(
      'HTTP/1.0 200 Fine\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 3\r\n\r\n',
    );
  });

  test('unknown code gets an empty reason but keeps the space the grammar requires', () => {
    expect(latin1(serializeResponseHead({ statusCode: 599 }))).toBe('HTTP/1.1 599 \r\n\r\n');
  });

  test('HTTP/1.0 default reason comes from the table too', () => {
    expect(latin1(serializeResponseHead({ statusCode: 404, version: '1.0' }))).toBe(
      'HTTP/1.0 404 Not Found\r\n\r\n',
    );
  });

  test('accepts a Map and obs-text (latin1) values byte for byte', () => {
    const head = serializeResponseHead({
      statusCode: 200,
      headers: new Map([['X-Name', 'caf\u00e9\tok']]),
    });
    expect(
      head.equals(Buffer.from('HTTP/1.1 200 OK\r\nX-Name: caf\xe9\tok\r\n\r\n', 'latin1')),
    ).toBe(true);
    expect(head.byteLength).toBe(36);
    expect(head[28]).toBe(0xe9);
  });

  test.each([99, 600, 999, 1000, 200.5, Number.NaN, -200, Number.POSITIVE_INFINITY, 0])(
    'refuses status %s with LB_WIRE_INVALID_STATUS',
    (statusCode) => {
      const attempt = () => serializeResponseHead({ statusCode });
      expect(attempt).toThrow(InvalidStatusError);
      expect(attempt).toThrow(
        expect.objectContaining({ code: 'LB_WIRE_INVALID_STATUS', statusCode }),
      );
    },
  );

  test.each(['OK\r\nSet-Cookie: x=1', 'OK\n', 'OK\0', 'OK\u0100'])(
    'refuses reason phrase %j',
    (reason) => {
      expect(() => serializeResponseHead({ statusCode: 200, reason })).toThrow(
        expect.objectContaining({ code: 'LB_WIRE_INVALID_STATUS' }),
      );
    },
  );

  test('has RFC 9110 phrases', () => {
    expect(STATUS_REASONS[206]).toBe('Partial Content');
    expect(STATUS_REASONS[416]).toBe('Range Not Satisfiable');
    expect(STATUS_REASONS[413]).toBe('Content Too Large');
    expect(STATUS_REASONS[422]).toBe('Unprocessable Content');
  });
});

describe('header injection is refused', () => {
  const values: Array<[string, string]> = [
    ['CRLF response splitting in Location', '/x\r\nSet-Cookie: admin=1'],
    ['bare LF', '/x\nSet-Cookie: admin=1'],
    ['bare CR', '/x\rSet-Cookie: admin=1'],
    ['NUL', '/x\0'],
    ['other control (VT)', '/x\u000b'],
    ['DEL', '/x\u007f'],
    ['non-latin1 character', '/\u2028'],
  ];
  test.each(values)('value with %s', (_label, value) => {
    let caught: unknown;
    try {
      serializeResponseHead({ statusCode: 302, headers: [['Location', value]] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidHeaderError);
    expect(caught).toMatchObject({
      code: 'LB_WIRE_INVALID_HEADER',
      field: 'Location',
      part: 'value',
    });
  });

  const names = ['X-A\r\nSet-Cookie', 'X-A\n', 'X-A\0', 'X A', 'X-A:', '', 'Caf\u00e9', '(x)'];
  test.each(names)('name %j', (name) => {
    expect(() =>
      serializeRequestHead({ method: 'GET', target: '/', headers: [[name, 'v']] }),
    ).toThrow(
      expect.objectContaining({ code: 'LB_WIRE_INVALID_HEADER', field: name, part: 'name' }),
    );
  });

  test('value injection through a record array element', () => {
    expect(() =>
      serializeResponseHead({ statusCode: 200, headers: { 'Set-Cookie': ['a=1', 'b\r\nX: y'] } }),
    ).toThrow(expect.objectContaining({ code: 'LB_WIRE_INVALID_HEADER', field: 'Set-Cookie' }));
  });

  test('NaN and Infinity are refused as numeric values', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() =>
        serializeResponseHead({ statusCode: 200, headers: [['Content-Length', value]] }),
      ).toThrow(expect.objectContaining({ code: 'LB_WIRE_INVALID_HEADER', part: 'value' }));
    }
  });

  test('a non-string value smuggled past the types is refused', () => {
    const headers = [['X-Obj', { toString: () => 'a\r\nb' }]] as unknown as Array<[string, string]>;
    expect(() => serializeResponseHead({ statusCode: 200, headers })).toThrow(
      expect.objectContaining({ code: 'LB_WIRE_INVALID_HEADER', field: 'X-Obj', part: 'value' }),
    );
  });

  test('a JSON __proto__ key is an ordinary (valid token) header and pollutes nothing', () => {
    const headers = JSON.parse('{"__proto__":"evil","X-A":"1"}') as Record<string, string>;
    const head = serializeResponseHead({ statusCode: 204, headers });
    expect(latin1(head)).toBe('HTTP/1.1 204 No Content\r\n__proto__: evil\r\nX-A: 1\r\n\r\n');
    expect(({} as Record<string, unknown>)['evil']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('X-A');
  });

  test('a literal __proto__ key sets the prototype, and inherited keys are not emitted', () => {
    const headers = { __proto__: { 'X-Inherited': 'no' }, 'X-Own': 'yes' } as unknown as Record<
      string,
      string
    >;
    expect(latin1(serializeResponseHead({ statusCode: 204, headers }))).toBe(
      'HTTP/1.1 204 No Content\r\nX-Own: yes\r\n\r\n',
    );
  });

  test('isValidHeaderName / isValidHeaderValue', () => {
    expect(isValidHeaderName('Content-Type')).toBe(true);
    expect(isValidHeaderName('Content Type')).toBe(false);
    expect(isValidHeaderValue('text/html; charset=utf-8')).toBe(true);
    expect(isValidHeaderValue('a\r\nb')).toBe(false);
  });
});

describe('serializeRequestHead', () => {
  test('exact bytes', () => {
    const head = serializeRequestHead({
      method: 'GET',
      target: '/big.iso?x=1',
      headers: { Host: 'mirror:8080', Range: 'bytes=0-99' },
    });
    expect(latin1(head)).toBe(
      'GET /big.iso?x=1 HTTP/1.1\r\nHost: mirror:8080\r\nRange: bytes=0-99\r\n\r\n',
    );
  });

  test('no headers, HTTP/1.0', () => {
    expect(latin1(serializeRequestHead({ method: 'HEAD', target: '*', version: '1.0' }))).toBe(
      'HEAD * HTTP/1.0\r\n\r\n',
    );
  });

  test.each(['GE T', 'GET\r\n', '', 'G\u00c9T', 'GET/'])('refuses method %j', (method) => {
    expect(() => serializeRequestHead({ method, target: '/' })).toThrow(
      expect.objectContaining({
        code: 'LB_WIRE_INVALID_REQUEST_LINE',
        part: 'method',
        value: method,
      }),
    );
  });

  test.each(['/a b', '/a\r\nHost: evil', '', '/\0', '/caf\u00e9', '/\t'])(
    'refuses target %j',
    (target) => {
      let caught: unknown;
      try {
        serializeRequestHead({ method: 'GET', target });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidRequestLineError);
      expect(caught).toMatchObject({ code: 'LB_WIRE_INVALID_REQUEST_LINE', part: 'target' });
    },
  );
});

describe('framing', () => {
  test('known length → Content-Length', () => {
    expect(chooseResponseFraming({ statusCode: 200, contentLength: 10 })).toEqual({
      mode: 'content-length',
      headers: [['Content-Length', '10']],
    });
  });

  test('unknown length → chunked for HTTP/1.1, close for HTTP/1.0', () => {
    expect(chooseResponseFraming({ statusCode: 200 })).toEqual({
      mode: 'chunked',
      headers: [['Transfer-Encoding', 'chunked']],
    });
    expect(chooseResponseFraming({ statusCode: 200, requestVersion: '1.0' })).toEqual({
      mode: 'close',
      headers: [['Connection', 'close']],
    });
  });

  test('HEAD announces the length but sends nothing', () => {
    expect(
      chooseResponseFraming({ statusCode: 200, requestMethod: 'HEAD', contentLength: 42 }),
    ).toEqual({ mode: 'none', headers: [['Content-Length', '42']] });
    expect(chooseResponseFraming({ statusCode: 200, requestMethod: 'HEAD' })).toEqual({
      mode: 'none',
      headers: [],
    });
  });

  test.each([100, 101, 204, 304])('%i has no body and no framing header', (statusCode) => {
    expect(chooseResponseFraming({ statusCode, contentLength: 5 })).toEqual({
      mode: 'none',
      headers: [],
    });
  });

  test('zero length is Content-Length: 0, not chunked', () => {
    expect(chooseResponseFraming({ statusCode: 200, contentLength: 0 }).headers).toEqual([
      ['Content-Length', '0'],
    ]);
  });

  test.each([-1, 1.5, Number.NaN, 2 ** 53])('refuses length %s', (contentLength) => {
    expect(() => chooseResponseFraming({ statusCode: 200, contentLength })).toThrow(
      InvalidArgumentError,
    );
    expect(() => chooseRequestFraming(contentLength)).toThrow(InvalidArgumentError);
  });

  test('request framing', () => {
    expect(chooseRequestFraming(undefined)).toEqual({ mode: 'none', headers: [] });
    expect(chooseRequestFraming(null)).toEqual({
      mode: 'chunked',
      headers: [['Transfer-Encoding', 'chunked']],
    });
    expect(chooseRequestFraming(7)).toEqual({
      mode: 'content-length',
      headers: [['Content-Length', '7']],
    });
  });
});

describe('chunks', () => {
  test('encodeChunk frames data in hex', () => {
    expect(latin1(encodeChunk(Buffer.from('hello')))).toBe('5\r\nhello\r\n');
    expect(latin1(encodeChunk(new Uint8Array(255)).subarray(0, 4))).toBe('ff\r\n');
    expect(encodeChunk(new Uint8Array(4096)).byteLength).toBe(4 + 2 + 4096 + 2);
  });

  test('an empty chunk is empty bytes, never the last-chunk marker', () => {
    expect(encodeChunk(new Uint8Array(0)).byteLength).toBe(0);
  });

  test('chunkPrefix, CRLF and LAST_CHUNK', () => {
    expect(latin1(chunkPrefix(0x1a2b))).toBe('1a2b\r\n');
    expect(latin1(CRLF)).toBe('\r\n');
    expect(latin1(LAST_CHUNK)).toBe('0\r\n\r\n');
  });

  test.each([0, -1, 1.5])('chunkPrefix refuses %s', (size) => {
    expect(() => chunkPrefix(size)).toThrow(InvalidArgumentError);
  });
});
