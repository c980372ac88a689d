/**
 * Whatever the serializer accepts, the parsers read back unchanged, however the bytes are split.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RequestParser } from './request-parser.js';
import { ResponseParser } from './response-parser.js';
import {
  chooseRequestFraming,
  chooseResponseFraming,
  encodeChunk,
  LAST_CHUNK,
  serializeRequestHead,
  serializeResponseHead,
} from './serializer.js';

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const token = fc.string({ unit: fc.constantFrom(...TCHARS), minLength: 1, maxLength: 12 });
/** Field names that cannot collide with the framing and connection fields the parsers act on. */
const fieldName = token.map((name) => `X-${name}`);
/** VCHAR and obs-text, with SP/HTAB only inside (the parser trims a value's edges). */
const visible = fc
  .oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
  .map((code) => String.fromCharCode(code));
const fieldValue = fc
  .array(fc.oneof({ weight: 5, arbitrary: visible }, fc.constantFrom(' ', '\t')), { maxLength: 30 })
  .map((chars) => chars.join('').replace(/^[ \t]+|[ \t]+$/g, ''));
const fields = fc.array(fc.tuple(fieldName, fieldValue), { maxLength: 8 });
const body = fc.uint8Array({ maxLength: 300 });
/** Splits bytes at arbitrary points, the way TCP may deliver them. */
const cuts = fc.array(fc.nat(), { maxLength: 6 });

function split(bytes: Uint8Array, at: number[]): Uint8Array[] {
  const points = [...new Set(at.map((n) => n % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    pieces.push(bytes.subarray(start, point));
    start = point;
  }
  return pieces;
}

function concat(parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

function flatten(pairs: Array<[string, string]>): string[] {
  return pairs.flat();
}

describe('serialize → parse round trip', () => {
  test('responses, Content-Length or chunked', () => {
    fc.assert(
      fc.property(
        // 1xx, 204 and 304 have no body; 100-599 is all either side accepts (RFC 9110 section 15).
        fc.integer({ min: 200, max: 599 }).filter((code) => code !== 204 && code !== 304),
        fc.option(
          fc.array(visible, { minLength: 1, maxLength: 20 }).map((chars) => chars.join('')),
        ),
        fields,
        body,
        fc.boolean(),
        cuts,
        (statusCode, reason, headers, payload, chunked, at) => {
          const framing = chooseResponseFraming({
            statusCode,
            contentLength: chunked ? null : payload.byteLength,
          });
          const head = serializeResponseHead({
            statusCode,
            reason: reason ?? undefined,
            headers: [...headers, ...framing.headers],
          });
          const wireBody = chunked
            ? concat([
                encodeChunk(payload.subarray(0, 7)),
                encodeChunk(payload.subarray(7)),
                LAST_CHUNK,
              ])
            : payload;
          const parser = new ResponseParser();
          parser.expectResponseTo('GET');
          const events = split(concat([head, wireBody]), at).flatMap(
            (piece) => parser.execute(piece).events,
          );
          const first = events[0];
          expect(first?.kind).toBe('head');
          if (first?.kind !== 'head') return;
          expect(first.head.statusCode).toBe(statusCode);
          if (reason !== null) expect(first.head.reason).toBe(reason);
          expect(first.head.headers.raw).toEqual(flatten([...headers, ...framing.headers]));
          expect(first.head.chunked).toBe(chunked);
          const received = events.flatMap((event) => (event.kind === 'body' ? [event.data] : []));
          expect(Buffer.from(concat(received)).equals(Buffer.from(payload))).toBe(true);
          expect(events.at(-1)?.kind).toBe('end');
        },
      ),
    );
  });

  test('requests with and without a body', () => {
    fc.assert(
      fc.property(
        token.filter((method) => method !== 'CONNECT'),
        fc
          .array(
            fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
            {
              maxLength: 40,
            },
          )
          .map((chars) => `/${chars.join('')}`),
        fields,
        fc.option(body),
        cuts,
        (method, target, headers, payload, at) => {
          const framing = chooseRequestFraming(payload === null ? undefined : payload.byteLength);
          const all: Array<[string, string]> = [
            ['Host', 'mirror:8080'],
            ...headers,
            ...framing.headers,
          ];
          const head = serializeRequestHead({ method, target, headers: all });
          const parser = new RequestParser();
          const events = split(concat([head, payload ?? new Uint8Array(0)]), at).flatMap(
            (piece) => parser.execute(piece).events,
          );
          const first = events[0];
          expect(first?.kind).toBe('head');
          if (first?.kind !== 'head') return;
          expect(first.head.method).toBe(method);
          expect(first.head.target).toBe(target);
          expect(first.head.headers.raw).toEqual(flatten(all));
          const received = events.flatMap((event) => (event.kind === 'body' ? [event.data] : []));
          expect(Buffer.from(concat(received)).equals(Buffer.from(payload ?? []))).toBe(true);
          expect(events.at(-1)?.kind).toBe('end');
        },
      ),
    );
  });

  test('a chunked response split into three pieces at every pair of points', () => {
    const head = serializeResponseHead({
      statusCode: 200,
      headers: [['Transfer-Encoding', 'chunked']],
    });
    const bytes = concat([head, encodeChunk(Buffer.from('hello')), LAST_CHUNK]);
    for (let a = 0; a <= bytes.length; a++) {
      for (let b = a; b <= bytes.length; b++) {
        const parser = new ResponseParser();
        parser.expectResponseTo('GET');
        const kinds = [bytes.subarray(0, a), bytes.subarray(a, b), bytes.subarray(b)].flatMap(
          (piece) => parser.execute(piece).events.map((event) => event.kind),
        );
        expect(kinds.filter((kind) => kind !== 'body')).toEqual(['head', 'end']);
      }
    }
  });
});
