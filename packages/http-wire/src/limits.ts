import { InvalidArgumentError } from './errors.js';

/**
 * Size limits of the request and response parsers. Every limit bounds what the parser buffers, so
 * a peer can never make it hold more than `maxRequestLineBytes + maxHeaderBytes` of head.
 */
export interface ParserLimits {
  /** Request line (status line for responses) including its CRLF. Default 8192; over it: 414. */
  maxRequestLineBytes?: number;
  /** Header section after the start line, including the final empty line. Default 16384; 431. */
  maxHeaderBytes?: number;
  /** Header fields in the head (and, separately, in the trailers). Default 100; over it: 431. */
  maxHeaderCount?: number;
  /** Chunk extensions of one chunk-size line (from after the size to the CR). Default 1024. */
  maxChunkExtensionBytes?: number;
  /** Trailer section of a chunked body, including the final empty line. Default 16384; 431. */
  maxTrailerBytes?: number;
}

export type ResolvedParserLimits = Required<ParserLimits>;

export const DEFAULT_PARSER_LIMITS: Readonly<ResolvedParserLimits> = Object.freeze({
  maxRequestLineBytes: 8192,
  maxHeaderBytes: 16384,
  maxHeaderCount: 100,
  maxChunkExtensionBytes: 1024,
  maxTrailerBytes: 16384,
});

// Large enough for anything sane, small enough that offsets stay small integers.
const MAX_LIMIT = 0x4000_0000;

/** Fills in defaults and rejects limits that are not positive integers. */
export function resolveParserLimits(limits: ParserLimits | undefined): ResolvedParserLimits {
  const resolved = { ...DEFAULT_PARSER_LIMITS };
  if (limits === undefined) return resolved;
  for (const key of Object.keys(DEFAULT_PARSER_LIMITS) as (keyof ResolvedParserLimits)[]) {
    const value = limits[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1 || value > MAX_LIMIT) {
      throw new InvalidArgumentError(
        `${key} must be an integer in [1, ${MAX_LIMIT}], got ${value}`,
      );
    }
    resolved[key] = value;
  }
  return resolved;
}
