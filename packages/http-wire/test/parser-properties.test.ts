/**
 * Property tests: random valid messages written by the package's serializer round-trip through
 * the parsers at random split points; random and mutated bytes only ever produce HttpParseError,
 * and the same result at any split.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { serializeRequestHead, serializeResponseHead } from '../src/serializer.js';
import {
  encode,
  requestParser,
  responseParser,
  type TranscriptEntry,
  transcribe,
} from './parse-transcript.js';

const RUNS = Number(process.env.FC_RUNS ?? 300);

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const tchar = fc.constantFrom(...TCHARS);
const token = (maxLength: number) => fc.string({ unit: tchar, minLength: 1, maxLength });

/** Names that would change framing or connection handling are written by the model itself. */
const RESERVED = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'expect',
]);
const fieldName = token(16).filter((name) => !RESERVED.has(name.toLowerCase()));

/** field-value without leading/trailing whitespace: VCHAR, obs-text, inner SP/HTAB. */
const valueChar = fc.oneof(
  fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom(' ', '\t'),
);
const fieldValue = fc
  .string({ unit: valueChar, maxLength: 40 })
  .map((value) => value.replace(/^[ \t]+|[ \t]+$/g, ''));

const fields = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 8 });

const pathChar = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%/?",
);
const target = fc.string({ unit: pathChar, maxLength: 40 }).map((path) => `/${path}`);
const method = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'),
  token(10).filter((m) => m !== 'CONNECT'),
);

const bodyBytes = fc.uint8Array({ maxLength: 60 });
const chunkExtension = fc.oneof(
  fc.constant(''),
  fc
    .tuple(token(6), fc.option(token(6), { nil: undefined }))
    .map(([n, v]) => (v === undefined ? `;${n}` : `;${n}=${v}`)),
);

type Body =
  | { kind: 'none' }
  | { kind: 'length'; data: Uint8Array }
  | { kind: 'chunked'; chunks: [Uint8Array, string][]; trailers: [string, string][] };

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.constant<Body>({ kind: 'none' }),
  bodyBytes.map<Body>((data) => ({ kind: 'length', data })),
  fc
    .record({
      chunks: fc.array(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), chunkExtension), {
        maxLength: 4,
      }),
      trailers: fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 3 }),
    })
    .map<Body>((b) => ({ kind: 'chunked', ...b })),
);

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');

/** Writes a body after its head; returns the bytes and what the parser should report. */
function writeBody(b: Body, out: Uint8Array[], expected: TranscriptEntry[]): void {
  if (b.kind === 'length') {
    out.push(Buffer.from(b.data));
    if (b.data.length > 0) expected.push({ kind: 'body', text: latin1(b.data) });
    expected.push({ kind: 'end', trailers: null });
  } else if (b.kind === 'chunked') {
    let text = '';
    for (const [data, ext] of b.chunks) {
      out.push(encode(`${data.length.toString(16)}${ext}\r\n`), Buffer.from(data), encode('\r\n'));
      text += latin1(data);
    }
    out.push(encode(`0\r\n${b.trailers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`));
    if (text.length > 0) expected.push({ kind: 'body', text });
    expected.push({ kind: 'end', trailers: b.trailers.length > 0 ? b.trailers.flat() : null });
  } else {
    expected.push({ kind: 'end', trailers: null });
  }
}

function framingFields(b: Body): [string, string][] {
  if (b.kind === 'length') return [['Content-Length', String(b.data.length)]];
  if (b.kind === 'chunked') return [['Transfer-Encoding', 'chunked']];
  return [];
}

const requestMessage = fc.record({ method, target, fields, body });
type RequestMessage = typeof requestMessage extends fc.Arbitrary<infer T> ? T : never;

function writeRequests(messages: RequestMessage[]) {
  const out: Uint8Array[] = [];
  const expected: TranscriptEntry[] = [];
  for (const m of messages) {
    const headers: [string, string][] = [
      ['Host', 'mirror.example'],
      ...m.fields,
      ...framingFields(m.body),
    ];
    out.push(serializeRequestHead({ method: m.method, target: m.target, headers }));
    expected.push({
      kind: 'head',
      head: expect.objectContaining({
        method: m.method,
        target: m.target,
        headers: headers.flat(),
        chunked: m.body.kind === 'chunked',
        contentLength: m.body.kind === 'length' ? m.body.data.length : null,
      }),
    });
    writeBody(m.body, out, expected);
  }
  return { bytes: new Uint8Array(Buffer.concat(out)), expected };
}

/** Ascending cut positions inside an input. */
const cuts = fc.array(fc.nat(), { maxLength: 12 });
const sortedCuts = (raw: number[], length: number) =>
  [...new Set(raw.map((c) => (length > 0 ? c % length : 0)))].sort((a, b) => a - b);

describe('round trips of valid messages', () => {
  test('pipelined requests parse back to what was written, at any split', () => {
    fc.assert(
      fc.property(
        fc.array(requestMessage, { minLength: 1, maxLength: 4 }),
        cuts,
        (messages, raw) => {
          const { bytes, expected } = writeRequests(messages);
          const result = transcribe(requestParser()(), bytes, sortedCuts(raw, bytes.length));
          expect(result).toEqual({ entries: expected, finished: true });
        },
      ),
      { numRuns: RUNS },
    );
  });

  const status = fc.oneof(
    fc.constantFrom(200, 201, 204, 206, 301, 304, 404, 416, 500, 503),
    fc.integer({ min: 200, max: 599 }),
  );
  const reason = fc.string({ unit: valueChar, maxLength: 20 });
  const responseMessage = fc.record({
    requestMethod: fc.constantFrom('GET', 'HEAD', 'POST'),
    informational: fc.array(fc.constantFrom(100, 102, 103), { maxLength: 2 }),
    status,
    reason,
    fields,
    body,
  });
  type ResponseMessage = typeof responseMessage extends fc.Arbitrary<infer T> ? T : never;

  function writeResponses(messages: ResponseMessage[], closeDelimitedLast: Uint8Array | null) {
    const out: Uint8Array[] = [];
    const expected: TranscriptEntry[] = [];
    messages.forEach((m, index) => {
      for (const code of m.informational) {
        out.push(serializeResponseHead({ statusCode: code }));
        expected.push({ kind: 'head', head: expect.objectContaining({ statusCode: code }) });
        expected.push({ kind: 'end', trailers: null });
      }
      const last = index === messages.length - 1 && closeDelimitedLast !== null;
      const bodyless = m.requestMethod === 'HEAD' || m.status === 204 || m.status === 304;
      const b: Body = last || m.status === 204 ? { kind: 'none' } : m.body;
      const headers: [string, string][] = [...m.fields, ...framingFields(b)];
      out.push(serializeResponseHead({ statusCode: m.status, reason: m.reason, headers }));
      expected.push({
        kind: 'head',
        head: expect.objectContaining({
          statusCode: m.status,
          reason: m.reason,
          headers: headers.flat(),
        }),
      });
      if (last && closeDelimitedLast !== null && !bodyless) {
        out.push(Buffer.from(closeDelimitedLast));
        if (closeDelimitedLast.length > 0) {
          expected.push({ kind: 'body', text: latin1(closeDelimitedLast) });
        }
        expected.push({ kind: 'end', trailers: null });
      } else if (bodyless) {
        expected.push({ kind: 'end', trailers: null });
      } else if (b.kind === 'none') {
        // Neither length nor chunked on a final response: the body runs to the end.
        expected.push({ kind: 'end', trailers: null });
      } else {
        writeBody(b, out, expected);
      }
    });
    return { bytes: new Uint8Array(Buffer.concat(out)), expected };
  }

  test('responses (1xx, HEAD, 204/304, chunked, close-delimited) parse back, at any split', () => {
    fc.assert(
      fc.property(
        fc.array(responseMessage, { minLength: 1, maxLength: 4 }),
        bodyBytes,
        cuts,
        (messages, tail, raw) => {
          // Only the last response may be close-delimited; the others need a length.
          const framed = messages.map((m, k) =>
            k < messages.length - 1 && m.body.kind === 'none'
              ? { ...m, body: { kind: 'length', data: new Uint8Array(0) } as Body }
              : m,
          );
          const { bytes, expected } = writeResponses(framed, tail);
          const parser = responseParser(framed.map((m) => m.requestMethod));
          const result = transcribe(parser(), bytes, sortedCuts(raw, bytes.length));
          expect(result).toEqual({ entries: expected, finished: true });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('hostile input', () => {
  const parsers = [
    ['RequestParser', requestParser()],
    ['ResponseParser', responseParser(['GET', 'HEAD', 'GET'])],
  ] as const;

  for (const [name, make] of parsers) {
    test(`${name}: random bytes only produce HttpParseError, the same at any split`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), cuts, (bytes, raw) => {
          const whole = transcribe(make(), bytes);
          const split = transcribe(make(), bytes, sortedCuts(raw, bytes.length));
          expect(split).toEqual(whole);
          const last = whole.entries[whole.entries.length - 1];
          if (last?.kind === 'error') {
            expect(last.offset).toBeGreaterThanOrEqual(0);
            expect(last.offset).toBeLessThanOrEqual(bytes.length);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  /** Byte-level edits that keep most of the message recognisable. */
  const mutation = fc.oneof(
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
    fc.record({
      op: fc.constant('special' as const),
      at: fc.nat(),
      byte: fc.constantFrom(0x0d, 0x0a, 0x20, 0x09, 0x00, 0x3a, 0x3b, 0x2c, 0x30, 0x7f),
    }),
  );

  function mutate(bytes: Uint8Array, edits: { op: string; at: number; byte: number }[]) {
    const out = [...bytes];
    for (const edit of edits) {
      const at = out.length > 0 ? edit.at % out.length : 0;
      if (edit.op === 'insert') out.splice(at, 0, edit.byte);
      else if (edit.op === 'delete') out.splice(at, 1);
      else out[at] = edit.byte;
    }
    return new Uint8Array(out);
  }

  test('mutated valid requests only produce HttpParseError, the same at any split', () => {
    fc.assert(
      fc.property(
        fc.array(requestMessage, { minLength: 1, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        cuts,
        (messages, edits, raw) => {
          const bytes = mutate(writeRequests(messages).bytes, edits);
          const whole = transcribe(requestParser()(), bytes);
          const split = transcribe(requestParser()(), bytes, sortedCuts(raw, bytes.length));
          expect(split).toEqual(whole);
          const oneByte = transcribe(requestParser()(), bytes, 1);
          expect(oneByte).toEqual(whole);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
