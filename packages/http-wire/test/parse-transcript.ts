/**
 * Test helper: feeds a byte string to a parser in pieces of k bytes and records a transcript that
 * does not depend on k (consecutive body views of a message are joined), so tests can check that
 * every split gives exactly what the whole input gives.
 */
import { expect } from 'vitest';
import { HttpParseError } from '../src/errors.js';
import type { HeaderList } from '../src/headers.js';
import type { ParserLimits } from '../src/limits.js';
import type { ExecuteResult } from '../src/parse-event.js';
import { RequestParser } from '../src/request-parser.js';
import { ResponseParser } from '../src/response-parser.js';

export interface AnyParser {
  execute(chunk: Uint8Array): ExecuteResult<object>;
  finish(): ExecuteResult<object>;
  readonly upgraded: boolean;
}

export type TranscriptEntry =
  | { kind: 'head'; head: Record<string, unknown> }
  | { kind: 'body'; text: string }
  | { kind: 'end'; trailers: string[] | null }
  | { kind: 'upgraded'; rest: string }
  | { kind: 'error'; code: string; offset: number; status: number };

export interface Transcript {
  entries: TranscriptEntry[];
  /** Whether finish() was reached without error. */
  finished: boolean;
}

export const encode = (text: string): Uint8Array => Buffer.from(text, 'latin1');
const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

function plainHead(head: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(head)) {
    out[key] = key === 'headers' ? [...(value as HeaderList).raw] : value;
  }
  return out;
}

/**
 * Feeds `input` in `pieceSize`-byte pieces (all at once when 0), or cut at the given ascending
 * positions, then calls finish().
 */
export function transcribe(
  parser: AnyParser,
  input: Uint8Array,
  pieces: number | number[] = 0,
): Transcript {
  const entries: TranscriptEntry[] = [];
  let body: string | null = null;
  const flushBody = () => {
    if (body !== null && body.length > 0) entries.push({ kind: 'body', text: body });
    body = null;
  };
  const record = (result: ExecuteResult<object>, chunk: Uint8Array) => {
    for (const event of result.events) {
      if (event.kind === 'body') {
        // Body events must be views of the chunk given to execute, never copies.
        expect(event.data.buffer).toBe(chunk.buffer);
        body = (body ?? '') + decode(event.data);
        continue;
      }
      flushBody();
      if (event.kind === 'head') entries.push({ kind: 'head', head: plainHead(event.head) });
      else entries.push({ kind: 'end', trailers: event.trailers ? [...event.trailers.raw] : null });
    }
  };
  const bounds: number[] = [];
  if (Array.isArray(pieces)) {
    for (const cut of pieces) if (cut > 0 && cut < input.length) bounds.push(cut);
  } else {
    const step = pieces > 0 ? pieces : Math.max(1, input.length);
    for (let cut = step; cut < input.length; cut += step) bounds.push(cut);
  }
  bounds.push(input.length);
  try {
    let at = 0;
    for (const bound of bounds) {
      if (bound <= at) continue;
      // Fresh copies so views of one piece can be told apart from views of another.
      const piece = new Uint8Array(input.subarray(at, bound));
      const result = parser.execute(piece);
      record(result, piece);
      if (result.consumed < piece.length) {
        if (parser.upgraded) {
          flushBody();
          entries.push({ kind: 'upgraded', rest: decode(input.subarray(at + result.consumed)) });
          return { entries, finished: false };
        }
        // Stopped before bad input: the next call must throw.
        parser.execute(piece.subarray(result.consumed));
        throw new Error('execute returned early without an error to report');
      }
      at = bound;
    }
    record(parser.finish(), new Uint8Array(0));
    flushBody();
    return { entries, finished: true };
  } catch (err) {
    if (!(err instanceof HttpParseError)) throw err;
    flushBody();
    // What is split-independent is the complete messages before an error, and the error itself;
    // the head and body pieces of the broken message depend on where the chunks ended.
    let lastEnd = entries.length - 1;
    while (lastEnd >= 0 && entries[lastEnd]!.kind !== 'end') lastEnd--;
    entries.length = lastEnd + 1;
    entries.push({ kind: 'error', code: err.code, offset: err.offset, status: err.status });
    return { entries, finished: false };
  }
}

export type ParserFactory = () => AnyParser;

export const requestParser =
  (limits?: ParserLimits): ParserFactory =>
  () =>
    new RequestParser(limits);

export const responseParser =
  (methods: string[], limits?: ParserLimits): ParserFactory =>
  () => {
    const parser = new ResponseParser(limits);
    for (const method of methods) parser.expectResponseTo(method);
    return parser;
  };

/**
 * The transcript of the whole input, after checking that every piece size from 1 byte up (or only
 * `sizes`, for inputs of many kilobytes) gives the same one.
 */
export function transcribeAllSplits(
  make: ParserFactory,
  input: string | Uint8Array,
  sizes?: number[],
): Transcript {
  const bytes = typeof input === 'string' ? encode(input) : input;
  const whole = transcribe(make(), bytes);
  for (const size of sizes ?? Array.from({ length: bytes.length - 1 }, (_, k) => k + 1)) {
    const split = transcribe(make(), bytes, size);
    expect(split, `pieces of ${size} bytes`).toEqual(whole);
  }
  return whole;
}

/** The error of the whole input (checked identical at every split). */
export function parseError(make: ParserFactory, input: string | Uint8Array, sizes?: number[]) {
  const { entries } = transcribeAllSplits(make, input, sizes);
  const last = entries[entries.length - 1];
  if (last?.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(entries)}`);
  return last;
}

/** Offset of the n-th (0-based) occurrence of `needle` in `text`, for readable expectations. */
export function at(text: string, needle: string, occurrence = 0): number {
  let index = -1;
  for (let k = 0; k <= occurrence; k++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`${JSON.stringify(needle)} not in input`);
  }
  return index;
}

/** Expected transcript entries: a head with at least `fields`, a message end, a body piece. */
export const head = (fields: Record<string, unknown>) => ({
  kind: 'head',
  head: expect.objectContaining(fields),
});
export const end = (trailers: string[] | null = null): TranscriptEntry => ({
  kind: 'end',
  trailers,
});
export const body = (text: string): TranscriptEntry => ({ kind: 'body', text });
