import { describe, expect, test } from 'vitest';
import { DEFAULT_PARSER_LIMITS } from '../src/limits.js';
import {
  parseError,
  requestParser,
  responseParser,
  transcribeAllSplits,
} from './parse-transcript.js';

const LARGE_INPUT_SPLITS = [1, 2, 7, 64, 1000, 4096];

/** A request line of exactly `bytes` bytes, CRLF included. */
function requestLine(bytes: number): string {
  const fixed = 'GET / HTTP/1.1\r\n'.length;
  return `GET /${'a'.repeat(bytes - fixed)} HTTP/1.1\r\n`;
}

/** A header section of exactly `bytes` bytes (Host field, one filler field, empty line). */
function headerSection(bytes: number): string {
  const fixed = 'Host: a\r\nX-Fill: \r\n\r\n'.length;
  return `Host: a\r\nX-Fill: ${'f'.repeat(bytes - fixed)}\r\n\r\n`;
}

function lastKind(entries: { kind: string }[]): string | undefined {
  return entries[entries.length - 1]?.kind;
}

describe('request line limit (414)', () => {
  test('defaults: 8192 bytes including CRLF', () => {
    expect(DEFAULT_PARSER_LIMITS).toEqual({
      maxRequestLineBytes: 8192,
      maxHeaderBytes: 16384,
      maxHeaderCount: 100,
      maxChunkExtensionBytes: 1024,
      maxTrailerBytes: 16384,
    });
  });

  test('a request line of exactly 8192 bytes is accepted', () => {
    const input = `${requestLine(8192)}Host: a\r\n\r\n`;
    const { entries } = transcribeAllSplits(requestParser(), input, LARGE_INPUT_SPLITS);
    expect(entries.map((e) => e.kind)).toEqual(['head', 'end']);
  });

  test('8193 bytes: HPE_URI_TOO_LONG, 414, at byte 8192', () => {
    const input = `${requestLine(8193)}Host: a\r\n\r\n`;
    expect(parseError(requestParser(), input, LARGE_INPUT_SPLITS)).toEqual({
      kind: 'error',
      code: 'HPE_URI_TOO_LONG',
      offset: 8192,
      status: 414,
    });
  });

  test('a request line that never ends fails at the limit, before any CRLF arrives', () => {
    expect(
      parseError(requestParser(), `GET /${'a'.repeat(9000)}`, LARGE_INPUT_SPLITS),
    ).toMatchObject({
      code: 'HPE_URI_TOO_LONG',
      offset: 8192,
    });
  });

  test('custom limit: exactly at it is accepted, one byte more is refused', () => {
    const make = requestParser({ maxRequestLineBytes: 40 });
    expect(lastKind(transcribeAllSplits(make, `${requestLine(40)}Host: a\r\n\r\n`).entries)).toBe(
      'end',
    );
    expect(parseError(make, `${requestLine(41)}Host: a\r\n\r\n`)).toEqual({
      kind: 'error',
      code: 'HPE_URI_TOO_LONG',
      offset: 40,
      status: 414,
    });
  });

  test('the limit counts from the request line, not from skipped empty lines', () => {
    const make = requestParser({ maxRequestLineBytes: 40 });
    const input = `\r\n\r\n${requestLine(40)}Host: a\r\n\r\n`;
    expect(lastKind(transcribeAllSplits(make, input).entries)).toBe('end');
  });

  test('a status line over the limit: HPE_HEADER_OVERFLOW, 502', () => {
    const make = responseParser(['GET'], { maxRequestLineBytes: 20 });
    expect(parseError(make, 'HTTP/1.1 200 Very long reason\r\n\r\n')).toEqual({
      kind: 'error',
      code: 'HPE_HEADER_OVERFLOW',
      offset: 20,
      status: 502,
    });
  });
});

describe('header section limits (431)', () => {
  const line = requestLine(20);

  test('a header section of exactly 16384 bytes (empty line included) is accepted', () => {
    const input = line + headerSection(16384);
    const { entries } = transcribeAllSplits(requestParser(), input, LARGE_INPUT_SPLITS);
    expect(entries.map((e) => e.kind)).toEqual(['head', 'end']);
  });

  test('16385 bytes: HPE_HEADER_OVERFLOW, 431, at the first byte past the limit', () => {
    const input = line + headerSection(16385);
    expect(parseError(requestParser(), input, LARGE_INPUT_SPLITS)).toEqual({
      kind: 'error',
      code: 'HPE_HEADER_OVERFLOW',
      offset: 20 + 16384,
      status: 431,
    });
  });

  test('an endless header section fails at the limit', () => {
    const input = `${line}Host: a\r\nX: ${'v'.repeat(20000)}`;
    expect(parseError(requestParser(), input, LARGE_INPUT_SPLITS)).toMatchObject({
      code: 'HPE_HEADER_OVERFLOW',
      offset: 20 + 16384,
    });
  });

  test('custom byte limit, reached exactly by the final CRLF', () => {
    const make = requestParser({ maxHeaderBytes: 30 });
    expect(lastKind(transcribeAllSplits(make, line + headerSection(30)).entries)).toBe('end');
    expect(parseError(make, line + headerSection(31))).toEqual({
      kind: 'error',
      code: 'HPE_HEADER_OVERFLOW',
      offset: 50,
      status: 431,
    });
  });

  test('100 fields are accepted, the 101st is refused at its first byte', () => {
    const fields = (n: number) =>
      Array.from({ length: n }, (_, k) => (k === 0 ? 'Host: a\r\n' : `X-${k}: ${k}\r\n`)).join('');
    const ok = transcribeAllSplits(
      requestParser(),
      `${line}${fields(100)}\r\n`,
      LARGE_INPUT_SPLITS,
    );
    expect(ok.entries.map((e) => e.kind)).toEqual(['head', 'end']);
    const input = `${line}${fields(101)}\r\n`;
    expect(parseError(requestParser(), input, LARGE_INPUT_SPLITS)).toEqual({
      kind: 'error',
      code: 'HPE_HEADER_OVERFLOW',
      offset: input.indexOf('X-100:'),
      status: 431,
    });
  });

  test('custom field count', () => {
    const make = requestParser({ maxHeaderCount: 2 });
    expect(lastKind(transcribeAllSplits(make, `${line}Host: a\r\nB: 1\r\n\r\n`).entries)).toBe(
      'end',
    );
    expect(parseError(make, `${line}Host: a\r\nB: 1\r\nC: 2\r\n\r\n`)).toMatchObject({
      code: 'HPE_HEADER_OVERFLOW',
      offset: `${line}Host: a\r\nB: 1\r\n`.length,
      status: 431,
    });
  });
});

describe('chunked body limits', () => {
  const head = 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n';

  test('chunk extensions up to the limit are accepted and ignored', () => {
    const make = requestParser({ maxChunkExtensionBytes: 8 });
    const { entries } = transcribeAllSplits(make, `${head}2;abcdefg\r\nok\r\n0\r\n\r\n`);
    expect(entries).toContainEqual({ kind: 'body', text: 'ok' });
    expect(lastKind(entries)).toBe('end');
  });

  test('one more byte: HPE_CHUNK_EXTENSIONS_OVERFLOW at the first byte past the limit', () => {
    const make = requestParser({ maxChunkExtensionBytes: 8 });
    const input = `${head}2;abcdefgh\r\nok\r\n0\r\n\r\n`;
    expect(parseError(make, input)).toEqual({
      kind: 'error',
      code: 'HPE_CHUNK_EXTENSIONS_OVERFLOW',
      offset: input.indexOf('h\r\nok'),
      status: 400,
    });
  });

  test('default extension limit is 1024 bytes per chunk', () => {
    const ok = `${head}1;${'e'.repeat(1023)}\r\nx\r\n0\r\n\r\n`;
    expect(lastKind(transcribeAllSplits(requestParser(), ok, LARGE_INPUT_SPLITS).entries)).toBe(
      'end',
    );
    const bad = `${head}1;${'e'.repeat(1024)}\r\nx\r\n0\r\n\r\n`;
    expect(parseError(requestParser(), bad, LARGE_INPUT_SPLITS)).toMatchObject({
      code: 'HPE_CHUNK_EXTENSIONS_OVERFLOW',
      offset: head.length + 1 + 1024,
    });
  });

  test('trailer section up to the limit is accepted, one byte more is refused (431)', () => {
    const make = requestParser({ maxTrailerBytes: 16 });
    const trailers = 'X-T: 12345678\r\n\r\n'; // 17 bytes
    expect(parseError(make, `${head}0\r\n${trailers}`)).toEqual({
      kind: 'error',
      code: 'HPE_HEADER_OVERFLOW',
      offset: head.length + 3 + 16,
      status: 431,
    });
    const { entries } = transcribeAllSplits(make, `${head}0\r\nX-T: 1234567\r\n\r\n`);
    expect(lastKind(entries)).toBe('end');
  });

  test('an empty trailer section counts against the limit too (2 bytes), whole or split', () => {
    // The parser ends a chunked message whose empty line is in the chunk without the trailer scan;
    // the limit must give the same answer either way.
    const input = `${head}3\r\nabc\r\n0\r\n\r\n`;
    expect(parseError(requestParser({ maxTrailerBytes: 1 }), input)).toEqual({
      kind: 'error',
      code: 'HPE_HEADER_OVERFLOW',
      offset: input.length - 1,
      status: 431,
    });
    const { entries } = transcribeAllSplits(requestParser({ maxTrailerBytes: 2 }), input);
    expect(entries.slice(-2)).toEqual([
      { kind: 'body', text: 'abc' },
      { kind: 'end', trailers: null },
    ]);
  });

  test('default trailer limit is 16384 bytes', () => {
    const trailer = (bytes: number) => `X-T: ${'t'.repeat(bytes - 'X-T: \r\n\r\n'.length)}\r\n\r\n`;
    const ok = `${head}0\r\n${trailer(16384)}`;
    expect(lastKind(transcribeAllSplits(requestParser(), ok, LARGE_INPUT_SPLITS).entries)).toBe(
      'end',
    );
    expect(
      parseError(requestParser(), `${head}0\r\n${trailer(16385)}`, LARGE_INPUT_SPLITS),
    ).toMatchObject({
      code: 'HPE_HEADER_OVERFLOW',
      offset: head.length + 3 + 16384,
    });
  });

  test('the field count limit applies to trailers too', () => {
    const make = requestParser({ maxHeaderCount: 2 });
    const input = `${head}0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n`;
    expect(parseError(make, input)).toMatchObject({
      code: 'HPE_HEADER_OVERFLOW',
      offset: input.indexOf('C: 3'),
    });
  });
});
