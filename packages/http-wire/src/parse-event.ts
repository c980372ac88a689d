import type { HeaderList } from './headers.js';

/** What a parser found in the bytes given to one `execute` call, in stream order. */
export type ParseEvent<H> =
  /** A complete head (start line and header section). */
  | { kind: 'head'; head: H }
  /** Body bytes: a `subarray` view of the chunk given to `execute`, never a copy. */
  | { kind: 'body'; data: Uint8Array }
  /** The message is complete; `trailers` holds the trailer fields of a chunked body, if any. */
  | { kind: 'end'; trailers: HeaderList | null };

export interface ExecuteResult<H> {
  /**
   * Bytes of the chunk that were used. Equal to the chunk length except when the parser stopped:
   * after an upgrade/CONNECT message (the rest belongs to the new protocol) or before bad input
   * that follows complete messages (the next call throws).
   */
  consumed: number;
  events: ParseEvent<H>[];
}
