/**
 * How a satisfiable Range request is answered. Overlapping and adjacent ranges are coalesced
 * (RFC 9110 §14.3 allows it, whatever their order); one range left is a plain 206; up to
 * {@link MAX_MULTIPART_RANGES} become a `multipart/byteranges` 206; more than that and the whole
 * file is sent as a 200, which every client handles and which caps the work one request can ask for.
 */
import { randomBytes } from 'node:crypto';
import { type ByteRange, formatContentRange } from '@lb/http-wire';

export const MAX_MULTIPART_RANGES = 16;

/** Sorted, with overlapping or touching ranges merged. */
export function coalesceRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end + 1) {
      last.end = Math.max(last.end, range.end);
    } else {
      merged.push({ start: range.start, end: range.end });
    }
  }
  return merged;
}

export interface MultipartLayout {
  boundary: string;
  parts: Array<{ framing: Buffer; start: number; end: number }>;
  closing: Buffer;
  /** Exact body length: framing, data and closing delimiter. */
  length: number;
}

/** A boundary that cannot plausibly occur in file data (96 random bits). */
export function newBoundary(): string {
  return `lb-${randomBytes(12).toString('hex')}`;
}

/**
 * The body of a multipart/byteranges response (RFC 9110 §14.6) as framing buffers around file
 * ranges, so its exact length is known before the first byte is sent.
 */
export function layoutMultipart(
  ranges: readonly ByteRange[],
  size: number,
  contentType: string,
  boundary: string = newBoundary(),
): MultipartLayout {
  let length = 0;
  const parts = ranges.map((range, index) => {
    const framing = Buffer.from(
      `${index === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Range: ${formatContentRange(range.start, range.end, size)}\r\n\r\n`,
      'latin1',
    );
    length += framing.length + (range.end - range.start + 1);
    return { framing, start: range.start, end: range.end };
  });
  const closing = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  length += closing.length;
  return { boundary, parts, closing, length };
}
